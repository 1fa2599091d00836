"""Times of the analyses over every possible case: prints one line per measurement.

    python benchmarks/analysis.py [--requests K] [--repeat N]

Each figure is the best of N runs (the rule base is parsed once, as in a CLI call
that loads it before the command).
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

from engine import load_rule_base
from engine.check import check, check_all
from engine.comparison import compare


def best_of(repeat: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = load_rule_base(use_env=False)
    for ordinance in rules.catalog.local_ids():
        for reading in ("narrow", "broad"):
            seconds = best_of(args.repeat, lambda: check(rules, ordinance, against="usc-1373",
                                                         reading=reading, requests=args.requests))
            print(f"check {ordinance:12} --against usc-1373 --reading {reading:6} {seconds:7.3f} s")
    seconds = best_of(args.repeat, lambda: compare(rules, "beacon", "westchester", timeout=30,
                                                   requests=args.requests))
    print(f"compare beacon westchester                              {seconds:7.3f} s")
    seconds = best_of(1, lambda: check_all(rules, requests=args.requests))
    print(f"check --all (matrix and savings clauses)                {seconds:7.3f} s")


if __name__ == "__main__":
    main()
