"""`ordinance schema`: the JSON Schema of case files, for editors and other validators."""

from __future__ import annotations

import argparse
import json

from engine.commands import summary
from engine.commands.options import add_rules_option
from engine.core.rulebase import RuleBase
from engine.core.schema import case_schema

NAME = "schema"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Print the JSON Schema of case files for the rules loaded (with --rules, "
                    "your ordinances and their values are included). Point an editor at it to "
                    "complete and check case files as you type.",
        epilog="Example: ordinance schema > case.schema.json")
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    return json.dumps(case_schema(rules.catalog), indent=2) + "\n"
