"""`ordinance generate`: synthetic cases covering the case vocabulary, as JSON Lines or CSV."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from engine.commands import summary
from engine.commands.options import add_rules_option
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase

NAME = "generate"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Print N valid cases (the same ones for the same seed), one JSON object "
                    "a line, or CSV with the columns of docs/batch.md.",
        epilog="Example: ordinance generate --n 100000 --seed 7 > cases.jsonl")
    parser.add_argument("--n", type=int, required=True, help="how many cases")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    from engine.batch.csv_cases import case_columns, flatten_case  # here: not every command needs them
    from engine.batch.generate import MAX_REQUESTS, generate_cases

    if args.n < 0:
        raise EngineError("--n must be 0 or more. Fix: give a case count.")
    cases = generate_cases(rules.catalog, args.n, args.seed)
    out = sys.stdout
    if args.format == "csv":
        writer = csv.DictWriter(out, case_columns(rules.catalog, MAX_REQUESTS))
        writer.writeheader()
        for case in cases:
            writer.writerow(flatten_case(case))
    else:
        for case in cases:
            out.write(json.dumps(case, separators=(",", ":")) + "\n")
    return ""
