"""`ordinance check`: conflicts with federal law and internal inconsistencies over every possible case."""

from __future__ import annotations

import argparse

from engine.analysis.check import READINGS, check, check_all, known_ordinance
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT
from engine.commands.options import add_drop_options, add_rules_option, add_switch_option, drops, seconds, switches
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.render.check_text import render_check, render_check_all

NAME = "check"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="search every possible case for conflicts with federal law and within an ordinance",
        description="Search every possible case (the solver searches; no examples are tried) for "
                    "conflicts with federal law, internal conflicts and tensions, dead rules and gaps. "
                    "Each finding comes with a minimal witness case; 'none' is a solver proof.",
        epilog="Examples: ordinance check westchester --against usc-1373 --reading broad; "
               "ordinance check --all")
    parser.add_argument("ordinance", nargs="?", help="the ordinance to check (public id)")
    parser.add_argument("--all", action="store_true",
                        help="every local ordinance x reading, and every savings clause")
    parser.add_argument("--against", metavar="ID", help="federal law to check against (usc-1373); "
                        "without it, internal consistency only (with --all: usc-1373)")
    add_analysis_options(parser, "reading of 8 U.S.C. 1373 (default narrow)")


def add_analysis_options(parser: argparse.ArgumentParser, reading_help: str) -> None:
    """The options `check` and `compare` share: the readings, drops, search limits, format, rules."""
    parser.add_argument("--reading", choices=READINGS, default="narrow", help=reading_help)
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


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    if args.all:
        if args.ordinance or args.drop or args.drop_exceptions:
            raise EngineError("check --all takes no ordinance and no --drop. Fix: drop them, or check "
                              "one ordinance without --all.")
        return _run_all(rules, args)
    if not args.ordinance:
        raise EngineError("check: name an ordinance or give --all. Fix: e.g. "
                          "`ordinance check westchester --against usc-1373`.")
    known_ordinance(rules, args.ordinance)
    result = check(rules, args.ordinance, against=args.against, reading=args.reading,
                   drops=drops(rules, [args.ordinance], args),
                   timeout=args.timeout, requests=args.requests, switches=switches(args))
    return render_check(result, as_json=args.format == "json")


def _run_all(rules: RuleBase, args: argparse.Namespace) -> str:
    against = args.against or "usc-1373"
    checks, trials = check_all(rules, against, timeout=args.timeout, requests=args.requests,
                               switches=switches(args))
    return render_check_all(checks, trials, READINGS, as_json=args.format == "json")
