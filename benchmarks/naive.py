"""The naive design, for comparison: a new `clingo.Control` per case (`engine.decide`).

Usage: python benchmarks/naive.py CASES.jsonl OUT.jsonl
Writes one `decide --format json` object per case (every pair, silent ones included).
"""

from __future__ import annotations

import json
import sys

from engine import decide, load_rule_base, parse_case


def main(source: str, target: str) -> None:
    rules = load_rule_base()
    with open(source, encoding="utf-8") as cases, open(target, "w", encoding="utf-8") as out:
        for number, line in enumerate(cases, start=1):
            case = parse_case(json.loads(line), rules.catalog, f"{source}:{number}", f"case-{number}")
            out.write(json.dumps(decide(case, rules).to_dict(), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
