"""`ordinance list`: the ordinances loaded, their sources and sections; or the actions or switches."""

from __future__ import annotations

import argparse

from engine.commands import summary
from engine.commands.options import add_rules_option
from engine.core.rulebase import RULES_ENV_VAR, RuleBase, builtin_rules_dir
from engine.render.list_text import format_actions, format_ordinances, format_switches

NAME = "list"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="List the encoded ordinances, their sources and the sections encoded.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance list\n"
               "  ordinance list --actions     # the action ids `explain` and case files use\n"
               "  ordinance list --switches    # the interpretive switches, for --switch NAME=VALUE\n"
               "  ordinance list --rules docs/own-ordinance   # with your own ordinance")
    parser.add_argument("--actions", action="store_true", help="list the action ids instead")
    parser.add_argument("--switches", action="store_true",
                        help="list the interpretive switches (--switch NAME=VALUE) instead")
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    if args.actions:
        return format_actions(rules.catalog)
    if args.switches:
        return format_switches(rules.catalog)
    return format_ordinances(rules.catalog, builtin_rules_dir(), rules.files[1:], RULES_ENV_VAR)
