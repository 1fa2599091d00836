"""`ordinance list`: the ordinances loaded, their sources and sections; or the actions."""

from __future__ import annotations

import argparse

from engine.commands.options import add_rules_option
from engine.program import RULES_ENV_VAR, RuleBase, builtin_rules_dir
from engine.table import format_table

NAME = "list"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(NAME, help="the ordinances loaded, with source and sections",
                                   description="List the encoded ordinances, their sources and "
                                               "the sections encoded.")
    parser.add_argument("--actions", action="store_true", help="list the action ids instead")
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    catalog = rules.catalog
    if args.actions:
        return format_table(("action", "meaning"), list(catalog.actions.items())) + "\n"
    blocks = [f"{o.id} ({'federal' if o.federal else 'local'}): {o.title}\n"
              f"  source:   {o.source}\n"
              f"  sections: {' '.join(o.sorted_sections())}\n" for o in catalog.ordinances.values()]
    files = "\n".join(f"  {f}" for f in rules.files[1:]) or "  (none)"
    return ("\n".join(blocks) + f"\nBuilt-in rules: {builtin_rules_dir()}\n"
            f"Your rules (--rules, {RULES_ENV_VAR}):\n{files}\n")
