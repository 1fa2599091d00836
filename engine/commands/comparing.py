"""`ordinance compare A B`: where two ordinances disagree, and on which minimal case."""

from __future__ import annotations

import argparse
import json

from engine.render.check_text import DROPPED_NOTE, witness_line
from engine.commands.checking import add_analysis_options
from engine.commands.options import drops, switches
from engine.analysis.comparison import Comparison, compare, known_pair
from engine.analysis.findings import COMPLETE
from engine.core.rulebase import RuleBase

NAME = "compare"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="where two ordinances give an action different statuses, over every possible case",
        description="For each action and each pair of different statuses, a minimal case in which "
                    "the two ordinances disagree, with the sections on each side.",
        epilog="Examples: ordinance compare beacon westchester; "
               "ordinance compare westchester beacon --drop-exceptions westchester:7(a)")
    parser.add_argument("first", help="an ordinance id")
    parser.add_argument("second", help="another ordinance id")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (matters where an ordinance follows it)")


def _by(sections: tuple[str, ...]) -> str:
    return " ".join(sections) or "no section applies"


def format_comparison(comparison: Comparison) -> str:
    """The differences as text, action by action."""
    first, second = comparison.first, comparison.second
    lines = [f"{first} vs {second} ({comparison.reading} reading of 8 U.S.C. 1373"
             + "".join(f"; switch {name}={value}" for name, value in comparison.switches)
             + "; every possible "
             f"case with at most {comparison.requests} requests; dropped sections: "
             f"{', '.join(comparison.dropped) or 'none'})"]
    if comparison.dropped:
        lines.append(DROPPED_NOTE)
    if not comparison.differences:
        lines.append("  no difference (proved: they give every action the same status in every case)")
    for d in comparison.differences:
        lines.append(f"  {d.action}: {first} {d.first.status} ({_by(d.first.sections)}), "
                     f"{second} {d.second.status} ({_by(d.second.sections)})")
        lines.append(witness_line(d.witness))
    if comparison.search.status != COMPLETE:
        lines.append(f"  TIMED OUT on: {', '.join(comparison.search.open_questions)}")
    return "\n".join(lines) + "\n"


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    known_pair(rules, args.first, args.second)  # before the drops, which name their sections
    comparison = compare(rules, args.first, args.second, reading=args.reading,
                         drops=drops(rules, [args.first, args.second], args), timeout=args.timeout,
                         requests=args.requests, switches=switches(args))
    if args.format == "json":
        return json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return format_comparison(comparison)
