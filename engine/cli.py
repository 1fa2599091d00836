"""The `ordinance` command line: a thin layer over the Python API.

Each subcommand lives in `engine.commands`.  Exit status: 0 on success, 2 on
bad input (a case file, an option, a rules directory) or an output that cannot
be written (a missing directory, a full disk, a closed pipe), with a message
naming the file, line or field and the fix, and no traceback; 1 when the command
found what the user asked it to fail on (`FailureFound`); 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Sequence

from engine.commands import COMMANDS
from engine.core.errors import EngineError, FailureFound
from engine.core.rulebase import load_rule_base

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FAILURE_FOUND", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

EXIT_OK = 0
#: The command ran and found what --fail-on (or --fail-on-error) asked it to fail on.
EXIT_FAILURE_FOUND = 1
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


#: What to do about an operating-system error, by its errno.
_OS_FIXES = {
    errno.ENOENT: "create the directory or correct the path",
    errno.ENOTDIR: "correct the path: a part of it is a file, not a directory",
    errno.EISDIR: "name a file, not a directory",
    errno.EACCES: "choose a location you may write to, or change its permissions",
    errno.EPERM: "choose a location you may write to, or change its permissions",
    errno.EROFS: "choose a location on a writable file system",
    errno.ENOSPC: "free disk space (or write elsewhere), then run again; `batch` can continue with --resume",
    errno.EDQUOT: "free space within your disk quota, then run again",
}


def _os_error_message(error: OSError) -> str:
    """The file, what the system said and the fix, for an error reading or writing a file."""
    where = f"{error.filename}: " if error.filename is not None else ""
    reason = error.strerror or str(error)
    fix = _OS_FIXES.get(error.errno, "check the path and the disk, then run again")
    return f"{where}{reason}. Fix: {fix}."


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's final flush of a closed
    pipe does not print a second error after ours."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, target)
    os.close(devnull)


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
        sys.stdout.flush()  # a closed pipe shows here, where it is caught, not at exit
    except EngineError as error:
        sys.stderr.write(f"ordinance: error: {error}\n")
        return EXIT_BAD_INPUT
    except FailureFound as failure:
        sys.stderr.write(f"ordinance: {failure}\n")
        return EXIT_FAILURE_FOUND
    except BrokenPipeError:
        _silence_stdout()
        sys.stderr.write("ordinance: error: the output was closed before everything was written "
                         "(a closed pipe, e.g. `| head`). Fix: let the reader take the whole output, "
                         "or write it to a file.\n")
        return EXIT_BAD_INPUT
    except OSError as error:
        sys.stderr.write(f"ordinance: error: {_os_error_message(error)}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as interruption:
        detail = f": {interruption}" if interruption.args else ""
        sys.stderr.write(f"ordinance: interrupted (Ctrl-C){detail}\n")
        return EXIT_INTERRUPTED
    return EXIT_OK
