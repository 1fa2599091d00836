"""`ordinance report --out FILE.html`: every check in one shareable page."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.analysis.check import READINGS, check_all
from engine.commands.checking import add_search_options
from engine.commands.options import add_rules_option
from engine.analysis.comparison import ALL_PAIRS, compare, comparison_pairs
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.render.report_html import render_report, report_summary

NAME = "report"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="write one self-contained HTML page with the matrix and every finding",
        description="Check every local ordinance under every reading (as `check --all`), compare "
                    "the pairs --compare names (as `compare`, narrow reading) and write the matrix, "
                    "the savings clauses, each finding and each difference with its witness case "
                    "and graph.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance report --out report.html\n"
               "  ordinance report --out report.html --compare beacon:westchester --compare trust-act:nyc")
    parser.add_argument("--out", required=True, metavar="FILE.html", help="where to write the page")
    parser.add_argument("--against", metavar="ID", default="usc-1373", help="federal law (usc-1373)")
    parser.add_argument("--compare", metavar="A:B", action="append", default=[],
                        help="also compare ordinances A and B over every possible case (repeatable); "
                             f"'{ALL_PAIRS}' compares every pair of local ordinances (slower: one "
                             "graph per difference)")
    add_search_options(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    target = Path(args.out)
    if target.suffix.lower() not in (".html", ".htm"):
        raise EngineError(f"--out {target}: the report is an HTML page. Fix: end the name in .html.")
    pairs = comparison_pairs(rules, args.compare)
    checks, trials = check_all(rules, args.against, timeout=args.timeout, requests=args.requests)
    comparisons = [compare(rules, first, second, reading=READINGS[0], timeout=args.timeout,
                           requests=args.requests) for first, second in pairs]
    page = render_report(rules, checks, trials, comparisons)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise EngineError(f"--out {target}: cannot write it ({error.strerror}). Fix: give a path in a "
                          "writable directory.") from None
    return report_summary(str(target), checks, comparisons)
