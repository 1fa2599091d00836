"""`ordinance facts`: a case as ASP facts, to run the rules on stock clingo."""

from __future__ import annotations

import argparse

from engine.commands import summary
from engine.core.cases import load_case
from engine.commands.options import add_reading_option, add_rules_option, checked_readings
from engine.core.facts import case_to_lp
from engine.core.rulebase import RuleBase

NAME = "facts"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Print the case's facts, to run `clingo asp/all.lp FILE` without Python.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance facts examples/ana-detainer.yaml > ana.lp && clingo asp/all.lp ana.lp\n"
               "  ordinance facts examples/ana-detainer.yaml --reading broad   # adds reading(usc_1373,broad).")
    parser.add_argument("case", help="a case file holding one case (.json, .yaml, .yml; - reads standard input)")
    add_reading_option(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    chosen = checked_readings(rules, args)  # a switch stock clingo would ignore without a word
    return case_to_lp(load_case(args.case, rules.catalog), chosen)
