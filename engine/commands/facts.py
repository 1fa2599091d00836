"""`ordinance facts`: a case as ASP facts, to run the rules on stock clingo."""

from __future__ import annotations

import argparse

from engine.cases import load_cases
from engine.commands.options import add_reading_option, add_rules_option, readings
from engine.errors import EngineError
from engine.facts import case_to_lp
from engine.program import RuleBase

NAME = "facts"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="print a case as ASP facts for stock clingo",
        description="Print the case's facts, to run `clingo asp/all.lp FILE` without Python.",
        epilog="Example: ordinance facts examples/ana-detainer.yaml > ana.lp && clingo asp/all.lp ana.lp")
    parser.add_argument("case", help="a case file holding one case")
    add_reading_option(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    cases = load_cases(args.case, rules.catalog)
    if len(cases) != 1:
        raise EngineError(f"{args.case}: holds {len(cases)} cases; `facts` prints one. "
                          "Fix: put the case you want in a file of its own.")
    return case_to_lp(cases[0], readings(args))
