"""`ordinance batch CASES --out OUT --quiet` with the evaluation chosen: the benchmark's way to run
the engine's multi-shot path (the design before issue 15) on a rule base the compiled evaluation
would take, since the command line always chooses by itself.

    python benchmarks/engine_batch.py CASES.jsonl OUT.jsonl --jobs N --evaluation auto|multi-shot [--explain]

``--explain`` writes the compact trace, as the command does by default.

The same calls as the command (`engine.batch.io.read_inputs`, `engine.batch.run.run_batch`), so
with ``--evaluation auto`` it writes the same bytes as `ordinance batch`.
"""

import argparse

from engine.batch.io import read_inputs
from engine.batch.run import run_batch
from engine.batch.solver import AUTO, COMPACT, MULTI_SHOT, BatchOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--evaluation", choices=(AUTO, MULTI_SHOT), default=AUTO)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    options = BatchOptions(explain=args.explain, time_limit=10.0, evaluation=args.evaluation,
                           explain_format=COMPACT)
    run_batch(read_inputs(args.cases), args.out, options=options, jobs=args.jobs, source=args.cases)


if __name__ == "__main__":
    main()
