"""`ordinance compare A B`: where two ordinances disagree, and on which minimal case."""

from __future__ import annotations

import argparse

from engine.commands import summary
from engine.analysis.caseload import compare_caseload, gate_caseload
from engine.analysis.comparison import compare, known_pair
from engine.analysis.gate import CHECK_KINDS, COMPARE_KINDS, gate_comparison
from engine.analysis.counter import require_counter
from engine.commands.checking import add_analysis_options, add_count_options, analysis_readings, render_with_counts
from engine.commands.options import FEDERAL_READING, add_fail_on_option, drops, finish
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.render.compare_text import render_caseload, render_comparison

NAME = "compare"
#: Case ids listed per status pair of a caseload unless --show says otherwise.
SHOW = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="For each action and each pair of different statuses, a minimal case in which "
                    "the two ordinances disagree, with the sections on each side.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance compare beacon westchester\n"
               "  ordinance compare westchester beacon --drop-exceptions 'westchester:7(a)'\n"
               "  ordinance compare trust-act nyc --fail-on difference   # exit 1 if they differ (CI)\n"
               "  ordinance compare beacon westchester --requests 1 --count   # in how many cases, exactly\n"
               "  ordinance compare beacon westchester --cases examples/batch/cases.jsonl --show 5")
    parser.add_argument("first", help="an ordinance id")
    parser.add_argument("second", help="another ordinance id")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (matters where an ordinance follows it)")
    add_count_options(parser, "different statuses (and per pair of statuses)")
    add_fail_on_option(parser, COMPARE_KINDS, f" ({' and '.join(CHECK_KINDS)} are for `ordinance check`)")
    parser.add_argument("--cases", metavar="FILE",
                        help="count over these cases instead of searching every possible case: a .jsonl/.csv "
                             "file, a directory of case files or - (read as `ordinance batch` reads them); "
                             "--timeout and --requests then do not apply")
    parser.add_argument("--show", type=_count, metavar="N",
                        help=f"with --cases: list the first N case ids of each status pair (default {SHOW})")


def _count(text: str) -> int:
    """An argparse type for --show: a whole number, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 0 or more")
    return int(text)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    known_pair(rules, args.first, args.second)  # before the drops, which name their sections
    reading, switches = analysis_readings(rules, args)
    kinds = list(dict.fromkeys(args.fail_on))
    counting = args.count or args.rank
    if counting:
        if args.cases is not None:
            raise EngineError("compare --cases counts your own cases; --count and --rank count the bounded case "
                              "space. Fix: give one or the other.")
        require_counter("--count" if args.count else "--rank")
    if args.cases is not None:
        from engine.batch.io import read_inputs  # the batch machinery: only when asked for

        caseload = compare_caseload(rules, args.first, args.second, read_inputs(args.cases), source=args.cases,
                                    readings={**switches, FEDERAL_READING: reading},
                                    drops=drops(rules, [args.first, args.second], args))
        return finish(render_caseload(caseload, as_json=args.format == "json",
                                     show=SHOW if args.show is None else args.show),
                      gate_caseload(caseload) if kinds else None, kinds)
    if args.show is not None:
        raise EngineError("compare --show lists case ids of a caseload. Fix: add --cases FILE, or drop --show.")
    limits = {"reading": reading, "drops": drops(rules, [args.first, args.second], args),
              "timeout": args.timeout, "requests": args.requests, "switches": switches}
    comparison = compare(rules, args.first, args.second, **limits)
    gate = gate_comparison(comparison) if kinds else None
    if not counting:
        return finish(render_comparison(comparison, as_json=args.format == "json"), gate, kinds)
    from engine.analysis.counting import count_differences  # the counting machinery: only when asked for
    from engine.analysis.ranking import rank_differences

    counts = count_differences(rules, args.first, args.second, **limits) if args.count else None
    ranking = rank_differences(rules, args.first, args.second, **limits) if args.rank else None
    return finish(render_with_counts(comparison.to_dict(), render_comparison(comparison, as_json=False),
                                     counts, ranking, as_json=args.format == "json"), gate, kinds)
