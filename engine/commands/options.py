"""Options shared by several subcommands."""

from __future__ import annotations

import argparse

from engine.program import RULES_ENV_VAR

__all__ = ["add_rules_option", "add_reading_option", "readings"]


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", action="append", default=[],
                        help=f"also load the .lp files of DIR (your own ordinances); "
                             f"repeatable; {RULES_ENV_VAR} may list more")


def add_reading_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reading", choices=("narrow", "broad"),
                        help="reading of 8 U.S.C. 1373: narrow (status only, the default) or "
                             "broad (also release dates, custody status, addresses)")


def readings(args: argparse.Namespace) -> dict[str, str]:
    """The interpretive switches chosen on the command line, for `engine.decide`."""
    return {"usc_1373": args.reading} if args.reading else {}
