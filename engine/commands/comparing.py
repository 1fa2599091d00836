"""`ordinance compare A B`: where two ordinances disagree, and on which minimal case."""

from __future__ import annotations

import argparse

from engine.analysis.comparison import compare, known_pair
from engine.analysis.gate import CHECK_KINDS, COMPARE_KINDS, gate_comparison
from engine.commands.checking import add_analysis_options, analysis_readings
from engine.commands.options import add_fail_on_option, drops, finish
from engine.core.rulebase import RuleBase
from engine.render.compare_text import render_comparison

NAME = "compare"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="where two ordinances give an action different statuses, over every possible case",
        description="For each action and each pair of different statuses, a minimal case in which "
                    "the two ordinances disagree, with the sections on each side.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance compare beacon westchester\n"
               "  ordinance compare westchester beacon --drop-exceptions 'westchester:7(a)'\n"
               "  ordinance compare trust-act nyc --fail-on difference   # exit 1 if they differ (CI)")
    parser.add_argument("first", help="an ordinance id")
    parser.add_argument("second", help="another ordinance id")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (matters where an ordinance follows it)")
    add_fail_on_option(parser, COMPARE_KINDS, f" ({' and '.join(CHECK_KINDS)} are for `ordinance check`)")


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    known_pair(rules, args.first, args.second)  # before the drops, which name their sections
    reading, switches = analysis_readings(rules, args)
    comparison = compare(rules, args.first, args.second, reading=reading,
                         drops=drops(rules, [args.first, args.second], args), timeout=args.timeout,
                         requests=args.requests, switches=switches)
    kinds = list(dict.fromkeys(args.fail_on))
    return finish(render_comparison(comparison, as_json=args.format == "json"),
                  gate_comparison(comparison) if kinds else None, kinds)
