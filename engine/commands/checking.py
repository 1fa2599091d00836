"""`ordinance check`: conflicts with federal law and internal inconsistencies over every possible case."""

from __future__ import annotations

import argparse

from engine.commands import summary
from engine.analysis.check import READINGS, check, check_all, known_ordinance
from engine.analysis.gate import CHECK_KINDS, COMPARE_KINDS, gate_checks
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT
from engine.commands.options import (FEDERAL_READING, add_drop_options, add_fail_on_option, add_rules_option,
                                     add_switch_option, checked_readings, drops, finish, seconds)
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.render.check_text import render_check, render_check_all

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
               "  ordinance check trust-act --against usc-1373 --fail-on conflict   # exit 1 on a conflict (CI)")
    parser.add_argument("ordinance", nargs="?", help="the ordinance to check (public id)")
    parser.add_argument("--all", action="store_true",
                        help="every local ordinance x reading, and every savings clause")
    parser.add_argument("--against", metavar="ID", help="federal law to check against (usc-1373); "
                        "without it, internal consistency only (with --all: usc-1373)")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (default narrow)")
    add_fail_on_option(parser, CHECK_KINDS, f" ({', '.join(COMPARE_KINDS)} is for `ordinance compare`)")


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
        if args.ordinance or args.drop or args.drop_exceptions:
            raise EngineError("check --all takes no ordinance and no --drop. Fix: drop them, or check "
                              "one ordinance without --all.")
        return _run_all(rules, args, kinds)
    if not args.ordinance:
        raise EngineError("check: name an ordinance or give --all. Fix: e.g. "
                          "`ordinance check westchester --against usc-1373`.")
    known_ordinance(rules, args.ordinance)
    reading, switches = analysis_readings(rules, args)
    result = check(rules, args.ordinance, against=args.against, reading=reading,
                   drops=drops(rules, [args.ordinance], args),
                   timeout=args.timeout, requests=args.requests, switches=switches)
    return finish(render_check(result, as_json=args.format == "json"),
                  gate_checks([result], kinds) if kinds else None, kinds)


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
