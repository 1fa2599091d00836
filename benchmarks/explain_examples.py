"""Explain every non-silent conclusion of every example, and search its counterfactuals.

Prints, per example file, how many conclusions were explained, how long the
graphs and texts took (one traced solve per case), and how many conclusions
have a verified counterfactual; then the totals, and the conclusions no change
to the case can alter, grouped by why (no case fact in the derivation: a
section that binds in every case; otherwise several sections give it).

    python benchmarks/explain_examples.py [--max N]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from engine import counterfactuals, decide, load_cases, load_rule_base
from engine.explain.explanation import explain_pairs

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=1, help="counterfactuals asked per conclusion")
    args = parser.parse_args()
    rules = load_rule_base(use_env=False)
    totals: Counter[str] = Counter()
    unchangeable: Counter[str] = Counter()
    print(f"{'example':45} {'conclusions':>11} {'explain s':>9} {'what-if s':>9} {'with what-if':>12}")
    files = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.json"))
    for path in files:
        for case in load_cases(path, rules.catalog):
            rows = [r for r in decide(case, rules, ordinances=list(rules.catalog.ordinances)).results
                    if r.status != "silent"]
            started = time.perf_counter()
            explanations = explain_pairs(case, rules, [(r.ordinance, r.action) for r in rows])
            explained = time.perf_counter() - started
            started = time.perf_counter()
            found = 0
            for why in explanations:
                if counterfactuals(case, rules, why.ordinance, why.action, limit=args.max):
                    found += 1
                    continue
                rests_on_case = any(d["kind"] == "atom" and d["role"] == "fact" and d["origin"] == "case"
                                    for _, d in why.graph.nodes(data=True))
                unchangeable["several sections or paths" if rests_on_case else "binds in every case"] += 1
            searched = time.perf_counter() - started
            totals.update(conclusions=len(rows), with_what_if=found)
            totals["explain_ms"] += round(explained * 1000)
            totals["what_if_ms"] += round(searched * 1000)
            print(f"{case.id:45} {len(rows):>11} {explained:>9.2f} {searched:>9.2f} {found:>12}")
    print(f"\n{totals['conclusions']} conclusions: {totals['with_what_if']} with a verified counterfactual; "
          f"explain {totals['explain_ms'] / max(totals['conclusions'], 1):.1f} ms each, "
          f"what-if {totals['what_if_ms'] / max(totals['conclusions'], 1):.1f} ms each")
    for reason, count in unchangeable.most_common():
        print(f"  no change to the case alters {count}: {reason}")


if __name__ == "__main__":
    main()
