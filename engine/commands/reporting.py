"""`ordinance report --out FILE.html`: every check in one shareable page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.commands import summary
from engine.analysis.check import READINGS, check_all
from engine.analysis.comparison import ALL_PAIRS, compare, comparison_pairs
from engine.analysis.counter import require_counter
from engine.analysis.counting import count_conflicts
from engine.commands.checking import add_search_options
from engine.commands.options import add_rules_option
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.render.progress import StepProgress
from engine.render.report_html import render_report, report_summary

NAME = "report"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Check every local ordinance under every reading (as `check --all`), compare "
                    "the pairs --compare names (as `compare`, narrow reading) and write the matrix, "
                    "the savings clauses, each finding and each difference with the sections' words, "
                    "its witness case and its graph. A long run shows its progress on standard error "
                    "(on a terminal) and ends with a summary line there.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance report --out report.html\n"
               "  ordinance report --out report.html --compare beacon:westchester --compare trust-act:nyc\n"
               "  ordinance report --out report.html --compare all --quiet")
    parser.add_argument("--out", required=True, metavar="FILE.html", help="where to write the page")
    parser.add_argument("--against", metavar="ID", default="usc-1373", help="federal law (usc-1373)")
    parser.add_argument("--compare", metavar="A:B", action="append", default=[],
                        help="also compare ordinances A and B over every possible case (repeatable); "
                             f"'{ALL_PAIRS}' compares every pair of local ordinances (slower: one "
                             "graph per difference)")
    parser.add_argument("--quiet", action="store_true", help="no progress line or summary on standard error")
    parser.add_argument("--count", action="store_true",
                        help="also give each cell of the matrix the share of cases with a conflict, counted "
                             "exactly (check --count; needs pip install 'ordinance-engine[count]')")
    add_search_options(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    target = Path(args.out)
    if target.suffix.lower() not in (".html", ".htm"):
        raise EngineError(f"--out {target}: the report is an HTML page. Fix: end the name in .html.")
    pairs = comparison_pairs(rules, args.compare)
    progress = StepProgress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    limits = {"timeout": args.timeout, "requests": args.requests}
    if args.count:
        require_counter()
    try:
        checks, trials = check_all(rules, args.against, progress=progress, **limits)
        counts = {}
        for done, each in enumerate(checks if args.count else ()):
            progress("counts", done, len(checks))
            counts[(each.ordinance, each.reading)] = count_conflicts(rules, each.ordinance, against=args.against,
                                                                     reading=each.reading, **limits)
        comparisons = []
        for first, second in pairs:
            progress("comparisons", len(comparisons), len(pairs))
            comparisons.append(compare(rules, first, second, reading=READINGS[0], **limits))
        page = render_report(rules, checks, trials, comparisons,
                             progress=lambda done, total: progress("graphs", done, total), counts=counts)
    finally:
        progress.clear()
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise EngineError(f"--out {target}: cannot write it ({error.strerror}). Fix: give a path in a "
                          "writable directory.") from None
    if not args.quiet:
        sys.stderr.write(f"ordinance report: {len(checks)} checks, {len(trials)} savings trials, "
                         f"{len(comparisons)} comparisons, {progress.totals.get('graphs', 0)} graphs; "
                         f"{progress.seconds:.1f} s\n")
    return report_summary(str(target), checks, comparisons)
