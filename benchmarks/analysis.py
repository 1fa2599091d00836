"""Times of the analyses over every possible case: prints one line per measurement.

    python benchmarks/analysis.py [--requests K] [--repeat N] [--no-report]

Each figure is the best of N runs (the rule base is parsed once, as in a CLI call
that loads it before the command).  `check --all` and `compare beacon westchester`
are also timed searching every numbering of each case's requests
(``break_symmetry=False``), with the ratio to one numbering (asp/analysis/symmetry.lp).
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Callable

from engine import RuleBase, load_rule_base
from engine.analysis.check import check, check_all
from engine.analysis.comparison import ALL_PAIRS, compare, comparison_pairs
from engine.render.report_html import render_report


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
    parser.add_argument("--no-report", action="store_true", help="skip the report and all-pairs timings")
    args = parser.parse_args()
    rules = load_rule_base(use_env=False)
    for ordinance in rules.catalog.local_ids():
        for reading in ("narrow", "broad"):
            seconds = best_of(args.repeat, lambda: check(rules, ordinance, against="usc-1373",
                                                         reading=reading, requests=args.requests))
            print(f"check {ordinance:12} --against usc-1373 --reading {reading:6} {seconds:7.3f} s")
    timed: dict[bool, tuple[float, float]] = {}
    for symmetry in (True, False):  # one numbering of each case's requests, then every numbering
        label = "" if symmetry else ", every numbering"  # of the requests
        timed[symmetry] = (
            best_of(args.repeat, lambda: compare(rules, "beacon", "westchester", timeout=30,
                                                 requests=args.requests, break_symmetry=symmetry)),
            best_of(args.repeat, lambda: check_all(rules, requests=args.requests, break_symmetry=symmetry)))
        print(f"{'compare beacon westchester' + label:55} {timed[symmetry][0]:7.3f} s")
        print(f"{'check --all' + label:55} {timed[symmetry][1]:7.3f} s")
    ratios = [every / one for one, every in zip(timed[True], timed[False])]
    print(f"{'every numbering / one numbering (compare, check --all)':55} {ratios[0]:7.2f}x {ratios[1]:5.2f}x")
    if args.no_report:
        return
    pairs = comparison_pairs(rules, [ALL_PAIRS])
    seconds = best_of(1, lambda: [compare(rules, a, b, timeout=30, requests=args.requests) for a, b in pairs])
    print(f"compare, every pair of local ordinances ({len(pairs)})            {seconds:7.3f} s")
    for chosen in ([], [ALL_PAIRS]):
        wall, cpu = report_times(rules, chosen, args.requests)
        label = "report " + (f"--compare {ALL_PAIRS}" if chosen else "(no --compare)")
        print(f"{label:55} {wall:7.3f} s wall, {cpu:7.3f} s CPU")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Graphviz runs)."""
    return sum(os.times()[:4])


def report_times(rules: RuleBase, chosen: list[str], requests: int) -> tuple[float, float]:
    """Wall and CPU time of `ordinance report` (graphs are drawn on threads, so both matter)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    checks, trials = check_all(rules, requests=requests)
    comparisons = [compare(rules, a, b, timeout=30, requests=requests)
                   for a, b in comparison_pairs(rules, chosen)]
    render_report(rules, checks, trials, comparisons)
    return time.perf_counter() - wall, cpu_seconds() - cpu


if __name__ == "__main__":
    main()
