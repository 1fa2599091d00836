"""The `ordinance` command line: a thin layer over the Python API.

Exit status: 0 on success, 2 on bad input (a case file, an option, a rules
directory), with a message naming the file, line or field and the fix, and
no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from engine.cases import load_cases, read_case_file
from engine.errors import EngineError
from engine.facts import case_to_lp
from engine.program import RULES_ENV_VAR, RuleBase, builtin_rules_dir, load_rule_base
from engine.solve import decide
from engine.table import format_decision, format_table

__all__ = ["main", "build_parser"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the project's bad-input status (2) and a fix hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}. Fix: see `{self.prog} --help`.\n")


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", action="append", default=[],
                        help=f"also load the .lp files of DIR (your own ordinances); "
                             f"repeatable; {RULES_ENV_VAR} may list more")


def _add_reading_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reading", choices=("narrow", "broad"),
                        help="reading of 8 U.S.C. 1373: narrow (status only, the default) or "
                             "broad (also release dates, custody status, addresses)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ordinance", description=(
        "Decide cases under local immigration ordinances and 8 U.S.C. 1373, section by section."))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    listing = commands.add_parser("list", help="the ordinances loaded, with source and sections",
                                  description="List the encoded ordinances, their sources and "
                                              "the sections encoded.")
    listing.add_argument("--actions", action="store_true", help="list the action ids instead")
    _add_rules_option(listing)

    deciding = commands.add_parser(
        "decide", help="a status for every ordinance x action of a case",
        description="Decide a case file (JSON or YAML, one case or a list).",
        epilog="Example: ordinance decide examples/ana-detainer.yaml --ordinance westchester")
    deciding.add_argument("case", help="a case file (.json, .yaml, .yml)")
    deciding.add_argument("--ordinance", action="append", metavar="ID",
                          help="rule under this ordinance only (repeatable); overrides the "
                               "case's own 'ordinances'; default: every local ordinance")
    deciding.add_argument("--format", choices=("text", "json"), default="text")
    deciding.add_argument("--all", action="store_true", help="text format: list silent rows too")
    deciding.add_argument("--graph", metavar="FILE.dot|.svg|.png",
                          help="also draw which sections decided which actions (one case); "
                               ".dot needs no Graphviz binary, .svg/.png need it")
    _add_reading_option(deciding)
    _add_rules_option(deciding)

    facts = commands.add_parser(
        "facts", help="print a case as ASP facts for stock clingo",
        description="Print the case's facts, to run `clingo asp/all.lp FILE` without Python.",
        epilog="Example: ordinance facts examples/ana-detainer.yaml > ana.lp && clingo asp/all.lp ana.lp")
    facts.add_argument("case", help="a case file holding one case")
    _add_reading_option(facts)
    _add_rules_option(facts)
    return parser


def _readings(args: argparse.Namespace) -> dict[str, str]:
    return {"usc_1373": args.reading} if args.reading else {}


def _list(rules: RuleBase, args: argparse.Namespace) -> str:
    catalog = rules.catalog
    if args.actions:
        return format_table(("action", "meaning"), list(catalog.actions.items())) + "\n"
    blocks = [f"{o.id} ({'federal' if o.federal else 'local'}): {o.title}\n"
              f"  source:   {o.source}\n"
              f"  sections: {' '.join(o.sorted_sections())}\n" for o in catalog.ordinances.values()]
    files = "\n".join(f"  {f}" for f in rules.files[1:]) or "  (none)"
    return ("\n".join(blocks) + f"\nBuilt-in rules: {builtin_rules_dir()}\n"
            f"Your rules (--rules, {RULES_ENV_VAR}):\n{files}\n")


def _decide(rules: RuleBase, args: argparse.Namespace) -> str:
    case_file = read_case_file(args.case, rules.catalog)
    decisions = [decide(c, rules, ordinances=args.ordinance, readings=_readings(args))
                 for c in case_file.cases]
    if args.graph:
        _write_graph(decisions, args.graph)
    if args.format == "json":
        data = [d.to_dict() for d in decisions]
        return json.dumps(data if case_file.is_list else data[0], indent=2, ensure_ascii=False) + "\n"
    return "\n".join(format_decision(d, show_silent=args.all) for d in decisions)


def _write_graph(decisions: list, path: str) -> None:
    from pathlib import Path

    from visualize import decision_graph, render_decision

    if len(decisions) != 1:
        raise EngineError(f"--graph draws one case, the file holds {len(decisions)}. "
                          "Fix: put the case to draw in a file of its own.")
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in ("dot", "svg", "png"):
        raise EngineError(f"--graph {path}: unknown format '{suffix}'. Fix: end the name in .dot, .svg or .png.")
    dot = render_decision(decision_graph(decisions[0]))
    if suffix == "dot":
        target.write_text(dot.source, encoding="utf-8")
        return
    try:
        target.write_bytes(dot.pipe(format=suffix))
    except Exception as error:  # graphviz.ExecutableNotFound and rendering failures
        raise EngineError(f"--graph {path}: Graphviz could not render ({error}). Fix: install the "
                          "Graphviz package (e.g. `apt-get install graphviz`) or write a .dot file.") from None


def _facts(rules: RuleBase, args: argparse.Namespace) -> str:
    cases = load_cases(args.case, rules.catalog)
    if len(cases) != 1:
        raise EngineError(f"{args.case}: holds {len(cases)} cases; `facts` prints one. "
                          "Fix: put the case you want in a file of its own.")
    return case_to_lp(cases[0], _readings(args))


COMMANDS = {"list": _list, "decide": _decide, "facts": _facts}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        rules = load_rule_base(args.rules)
        sys.stdout.write(COMMANDS[args.command](rules, args))
    except EngineError as error:
        sys.stderr.write(f"ordinance: error: {error}\n")
        return EXIT_BAD_INPUT
    return EXIT_OK
