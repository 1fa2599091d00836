"""The `ordinance` command line: a thin layer over the Python API.

Each subcommand lives in `engine.commands`.  Exit status: 0 on success, 2 on
bad input (a case file, an option, a rules directory), with a message naming
the file, line or field and the fix, and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from engine.commands import COMMANDS
from engine.core.errors import EngineError
from engine.core.rulebase import load_rule_base

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: The shell's status for a command ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the project's bad-input status (2) and a fix hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}. Fix: see `{self.prog} --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ordinance", description=(
        "Decide cases under local immigration ordinances and 8 U.S.C. 1373, section by section."))
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS.values():
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        rules = load_rule_base(args.rules, amend=args.amend)
        if not getattr(COMMANDS[args.command], "REPORTS_WARNINGS", False):
            for warning in rules.warnings:
                sys.stderr.write(f"ordinance: {warning}\n")
        if rules.amended:
            sys.stderr.write(f"ordinance: note: {', '.join(rules.amended)} amended by your --rules files "
                             "(--amend): results for them are those of the amended text, not the enacted one\n")
        sys.stdout.write(COMMANDS[args.command].run(rules, args))
    except EngineError as error:
        sys.stderr.write(f"ordinance: error: {error}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("ordinance: interrupted (Ctrl-C)\n")
        return EXIT_INTERRUPTED
    return EXIT_OK
