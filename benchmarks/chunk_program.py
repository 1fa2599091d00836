"""The other batch design, for comparison: one program per chunk of cases with a case argument.

Usage: python benchmarks/chunk_program.py CASES.jsonl CHUNK_SIZE
Grounds the rule base rewritten with a case argument (`engine.batch.case_argument`) together with
a chunk's facts, numbering the cases 1..CHUNK_SIZE in every chunk (so symbols are reused,
PERFORMANCE.md §3), solves, and counts the shown atoms.  It stops there, without building
rows, so its rate is an upper bound for this design; it prints the count of non-silent
local statuses to check it against the other variants.
"""

from __future__ import annotations

import json
import sys
from itertools import islice

import clingo
from clingo import ast

from engine import load_rule_base, parse_case
from engine.batch.case_argument import batch_facts, with_case_argument


def main(source: str, chunk_size: int) -> None:
    rules = load_rule_base()
    statements = with_case_argument(rules.statements)
    local = {rules.catalog.ordinances[i].constant for i in rules.catalog.local_ids()}
    statuses = 0
    with open(source, encoding="utf-8") as lines:
        while chunk := list(islice(lines, chunk_size)):
            cases = [parse_case(json.loads(line), rules.catalog, source, "case") for line in chunk]
            control = clingo.Control(["--warn=none"])
            with ast.ProgramBuilder(control) as builder:
                for statement in statements:
                    builder.add(statement)
            with control.backend() as backend:
                for fact in batch_facts(enumerate(cases, start=1), {}):
                    backend.add_rule([backend.add_atom(fact)])
            control.ground([("base", [])])
            shown: list[clingo.Symbol] = []
            control.solve(on_model=lambda model: shown.extend(model.symbols(shown=True)))
            statuses += sum(1 for s in shown if s.name == "status" and str(s.arguments[1]) in local)
    print(statuses)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
