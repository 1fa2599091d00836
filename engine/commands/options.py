"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Callable, Sequence

from engine.core.errors import EngineError, FailureFound
from engine.core.rulebase import RULES_ENV_VAR, RuleBase
from engine.core.solve import check_readings
from engine.core.suggest import did_you_mean

if TYPE_CHECKING:  # the analysis machinery is imported by the commands that use it, not by decide
    from engine.analysis.gate import Gate
    from engine.analysis.restriction import Drop

__all__ = ["seconds", "add_rules_option", "add_reading_option", "add_switch_option", "readings", "switches",
           "checked_readings", "FEDERAL_READING", "add_drop_options", "drops", "add_fail_on_option",
           "finish"]

#: The interpretive switch that ``--reading`` sets: the reading of 8 U.S.C. § 1373.
FEDERAL_READING = "usc_1373"


def seconds(text: str) -> float:
    """An argparse type for a time limit: a finite number of seconds above 0.

    ``float()`` alone accepts ``nan`` and ``inf``; a nan limit compares false with every
    time, so a search would never stop and never say why.
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number of seconds above 0")
    return value


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", action="append", default=[],
                        help=f"also load the .lp files of DIR (your own ordinances); "
                             f"repeatable; {RULES_ENV_VAR} may list more")
    parser.add_argument("--amend", action="store_true",
                        help="let the --rules files change built-in ordinances (refused otherwise); "
                             "every command then names the amended ordinances")


def add_reading_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reading", choices=("narrow", "broad"),
                        help="reading of 8 U.S.C. 1373: narrow (status only, the default) or "
                             "broad (also release dates, custody status, addresses)")
    add_switch_option(parser)


def add_switch_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--switch", metavar="NAME=VALUE", action="append", default=[],
                        help="another interpretive switch, e.g. westchester_inmate=custody "
                             "(repeatable; `ordinance list --switches` shows them)")


def readings(args: argparse.Namespace) -> dict[str, str]:
    """The interpretive switches chosen on the command line, for `engine.decide`.

    ``--reading R`` is ``--switch usc_1373=R``; both at once must agree, or which one holds
    would be a silent choice.
    """
    chosen = switches(args)
    if args.reading:
        given = chosen.setdefault(FEDERAL_READING, args.reading)
        if given != args.reading:
            raise EngineError(f"--reading {args.reading} and --switch {FEDERAL_READING}={given} disagree. "
                              "Fix: give the reading of 8 U.S.C. 1373 once.")
    return chosen


def checked_readings(rules: RuleBase, args: argparse.Namespace) -> dict[str, str]:
    """`readings`, each name and value checked against the rule base before any work starts."""
    return check_readings(rules, readings(args))


def switches(args: argparse.Namespace) -> dict[str, str]:
    """The ``--switch NAME=VALUE`` choices.

    Only their form is checked here; `engine.core.solve.check_readings` checks names and values
    against the rule base, so a user's own switches work too.
    """
    chosen: dict[str, str] = {}
    for value in args.switch:
        name, sign, reading = value.partition("=")
        if not sign or not name or not reading:
            raise EngineError(f"--switch {value}: expected NAME=VALUE. Fix: write e.g. "
                              "--switch westchester_inmate=custody.")
        chosen[name.strip()] = reading.strip()
    return chosen


def add_drop_options(parser: argparse.ArgumentParser) -> None:
    """--drop and --drop-exceptions, shared by `check` and `compare`."""
    parser.add_argument("--drop", metavar="SECTION", action="append", default=[],
                        help="remove everything SECTION states before the search (repeatable); "
                             "write ID:SECTION to say whose section it is (e.g. westchester:15)")
    parser.add_argument("--drop-exceptions", metavar="SECTION", action="append", default=[],
                        help="remove only the exceptions and permissions SECTION states "
                             "(a carve-out inside a prohibition, e.g. westchester 7(a)); "
                             "ID:SECTION as for --drop")


def drops(rules: RuleBase, ordinances: Sequence[str], args: argparse.Namespace) -> list[Drop]:
    """The sections --drop and --drop-exceptions remove from ``ordinances`` (public ids)."""
    from engine.analysis.restriction import parse_drops

    return (parse_drops(rules, ordinances, args.drop)
            + parse_drops(rules, ordinances, args.drop_exceptions, exceptions_only=True))


def _kinds(allowed: Sequence[str], elsewhere: str) -> Callable[[str], list[str]]:
    """An argparse type for ``--fail-on``: one kind or a comma list of them, each in ``allowed``."""
    def parse(text: str) -> list[str]:
        kinds = [k.strip() for k in text.split(",") if k.strip()]
        for kind in kinds or [text]:
            if kind not in allowed:
                raise argparse.ArgumentTypeError(
                    f"'{kind}' is not something this command can fail on{did_you_mean(kind, allowed)}; "
                    f"use {' or '.join(allowed)}{elsewhere}")
        return kinds
    return parse


def add_fail_on_option(parser: argparse.ArgumentParser, allowed: Sequence[str], elsewhere: str = "") -> None:
    """``--fail-on KIND[,KIND]`` (repeatable): exit 1 when the command finds one (docs/cli.md).
    ``elsewhere`` says which other command takes the kinds this one does not."""
    parser.add_argument("--fail-on", metavar="KIND", type=_kinds(allowed, elsewhere), action="extend",
                        default=[], help=f"exit 1 when a finding of KIND ({', '.join(allowed)}) is found, or when "
                                         "the search for one ran out of time (repeatable, or KIND,KIND); "
                                         "the output is written first")


def finish(output: str, gate: Gate | None, kinds: Sequence[str]) -> str:
    """The command's output to print; or, when the ``--fail-on`` gate failed, the output written
    now and `FailureFound` raised, so that a CI log shows the findings above the failing status."""
    if gate is None or gate.passed:
        return output
    sys.stdout.write(output)
    sys.stdout.flush()
    raise FailureFound(gate.message(kinds))
