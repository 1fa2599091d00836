"""`ordinance list`: the ordinances loaded, their sources and sections; or the actions or switches."""

from __future__ import annotations

import argparse

from engine.commands.options import add_rules_option
from engine.core.rulebase import RULES_ENV_VAR, RuleBase, builtin_rules_dir
from engine.render.table import format_table

NAME = "list"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(NAME, help="the ordinances loaded, with source and sections",
                                   description="List the encoded ordinances, their sources and "
                                               "the sections encoded.")
    parser.add_argument("--actions", action="store_true", help="list the action ids instead")
    parser.add_argument("--switches", action="store_true",
                        help="list the interpretive switches (--switch NAME=VALUE) instead")
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    catalog = rules.catalog
    if args.actions:
        return format_table(("action", "meaning"), list(catalog.actions.items())) + "\n"
    if args.switches:
        rows = [(name, default, " ".join(values)) for name, (default, values) in catalog.switches.items()]
        return (format_table(("switch", "default", "readings"), rows)
                + "\nChoose one with --switch NAME=VALUE (usc_1373 also with --reading); "
                  "docs/interpretations.md explains each.\n")
    blocks = [f"{o.id} ({'federal' if o.federal else 'local'}): {o.title}\n"
              f"  source:   {o.source}\n"
              f"  sections: {' '.join(o.sorted_sections())}\n" for o in catalog.ordinances.values()]
    files = "\n".join(f"  {f}" for f in rules.files[1:]) or "  (none)"
    return ("\n".join(blocks) + f"\nBuilt-in rules: {builtin_rules_dir()}\n"
            f"Your rules (--rules, {RULES_ENV_VAR}):\n{files}\n")
