"""`ordinance check`: conflicts with federal law and internal inconsistencies over every possible case."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from engine.commands import summary
from engine.analysis.check import READINGS, check, check_all, known_ordinance
from engine.analysis.gate import CHECK_KINDS, COMPARE_KINDS, gate_checks
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT
from engine.commands.options import (FEDERAL_READING, add_drop_options, add_fail_on_option, add_rules_option,
                                     add_switch_option, checked_readings, drops, finish, seconds)
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.analysis.counter import require_counter
from engine.render.check_text import render_check, render_check_all
from engine.render.json_text import json_text

if TYPE_CHECKING:
    from engine.analysis.counting import Counts
    from engine.analysis.ranking import Ranking

NAME = "check"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Search every possible case (the solver searches; no examples are tried) for "
                    "conflicts with federal law, internal conflicts and tensions, dead rules and gaps. "
                    "Each finding comes with a minimal witness case; 'none' is a solver proof.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance check westchester --against usc-1373 --reading broad\n"
               "  ordinance check beacon --against usc-1373 --drop '3(a)(i)'\n"
               "  ordinance check --all\n"
               "  ordinance check beacon --against usc-1373 --reading broad --count --rank   # how many cases, which clause\n"
               "  ordinance check trust-act --against usc-1373 --fail-on conflict   # exit 1 on a conflict (CI)")
    parser.add_argument("ordinance", nargs="?", help="the ordinance to check (public id)")
    parser.add_argument("--all", action="store_true",
                        help="every local ordinance x reading, and every savings clause")
    parser.add_argument("--against", metavar="ID", help="federal law to check against (usc-1373); "
                        "without it, internal consistency only (with --all: usc-1373)")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (default narrow)")
    add_count_options(parser, "conflicts with --against")
    add_fail_on_option(parser, CHECK_KINDS, f" ({', '.join(COMPARE_KINDS)} is for `ordinance compare`)")


def add_count_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--count and --rank, shared with `compare`: exact counts over the bounded case space."""
    parser.add_argument("--count", action="store_true",
                        help=f"also count exactly, per action, the cases of the bounded case space with {what} "
                             "(needs the counter: pip install 'ordinance-engine[count]')")
    parser.add_argument("--rank", action="store_true",
                        help="also rank the sections by the share of those cases that no longer have one "
                             "when the section is dropped")


def add_analysis_options(parser: argparse.ArgumentParser, reading_help: str) -> None:
    """The options `check` and `compare` share: the readings, drops, search limits, format, rules."""
    parser.add_argument("--reading", choices=READINGS, help=reading_help)
    add_switch_option(parser)
    add_drop_options(parser)
    add_search_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_option(parser)


def add_search_options(parser: argparse.ArgumentParser) -> None:
    """--timeout and --requests, shared with `compare` and `report`."""
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time allowed to each solver search (default {DEFAULT_TIMEOUT:g}); "
                             "a search that runs out says so")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, metavar="K",
                        help=f"the most requests a case may hold (default {DEFAULT_REQUESTS})")


def analysis_readings(rules: RuleBase, args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """The reading of 8 U.S.C. § 1373 (``--reading``, or ``--switch usc_1373=...``: the same
    choice) and the other switches, every name and value checked before the search starts."""
    chosen = checked_readings(rules, args)
    return chosen.pop(FEDERAL_READING, READINGS[0]), chosen


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    kinds = list(dict.fromkeys(args.fail_on))
    if args.all:
        if args.ordinance or args.drop or args.drop_exceptions or args.count or args.rank:
            raise EngineError("check --all takes no ordinance, no --drop and no --count or --rank. Fix: drop "
                              "them, or check one ordinance without --all.")
        return _run_all(rules, args, kinds)
    if not args.ordinance:
        raise EngineError("check: name an ordinance or give --all. Fix: e.g. "
                          "`ordinance check westchester --against usc-1373`.")
    known_ordinance(rules, args.ordinance)
    counting = args.count or args.rank
    if counting:
        if args.against is None:
            raise EngineError("check --count and --rank count conflicts with federal law. Fix: add "
                              "--against usc-1373.")
        require_counter("--count" if args.count else "--rank")
    reading, switches = analysis_readings(rules, args)
    dropped = drops(rules, [args.ordinance], args)
    limits = {"reading": reading, "drops": dropped, "timeout": args.timeout, "requests": args.requests,
              "switches": switches}
    result = check(rules, args.ordinance, against=args.against, **limits)
    gate = gate_checks([result], kinds) if kinds else None
    if not counting:
        return finish(render_check(result, as_json=args.format == "json"), gate, kinds)
    from engine.analysis.counting import count_conflicts  # the counting machinery: only when asked for
    from engine.analysis.ranking import rank_conflicts

    counts = count_conflicts(rules, args.ordinance, against=args.against, **limits) if args.count else None
    ranking = rank_conflicts(rules, args.ordinance, against=args.against, **limits) if args.rank else None
    return finish(render_with_counts(result.to_dict(), render_check(result, as_json=False), counts, ranking,
                                     as_json=args.format == "json"), gate, kinds)


def render_with_counts(data: dict[str, Any], text: str, counts: Counts | None, ranking: Ranking | None,
                       as_json: bool) -> str:
    """A check's (or comparison's) output with its counts and ranking after it: in JSON, the keys
    ``counts`` and ``rank`` added to the object (the others unchanged)."""
    from engine.render.count_text import format_counts, format_ranking

    if as_json:
        return json_text({**data, **({"counts": counts.to_dict()} if counts else {}),
                          **({"rank": ranking.to_dict()} if ranking else {})})
    parts = [text, *([format_counts(counts)] if counts else []), *([format_ranking(ranking)] if ranking else [])]
    return "\n".join(parts)


def _run_all(rules: RuleBase, args: argparse.Namespace, kinds: list[str]) -> str:
    switches = checked_readings(rules, args)
    if FEDERAL_READING in switches:
        raise EngineError(f"check --all runs every reading of 8 U.S.C. 1373 ({', '.join(READINGS)}). "
                          f"Fix: drop --reading (and --switch {FEDERAL_READING}=...), or check one ordinance.")
    against = args.against or "usc-1373"
    checks, trials = check_all(rules, against, timeout=args.timeout, requests=args.requests,
                               switches=switches)
    return finish(render_check_all(checks, trials, READINGS, as_json=args.format == "json"),
                  gate_checks(checks, kinds) if kinds else None, kinds)
