"""How long one `ordinance decide` takes end to end, next to its floors, in one run.

    python benchmarks/startup.py [--runs 15]

Three commands on the same case (examples/ana-detainer), each run ``--runs`` times after a
warm-up, interleaved so that a change in the machine's load touches all three alike:

* ``python -c pass``: the interpreter's own start, which no Python command can go below;
* stock ``clingo asp/all.lp examples/ana-detainer.lp``: grounding and solving the same rules
  and case without Python (the distribution's binary, else ``python -m clingo``; started
  through ``sh``, which turns clingo's exit codes 10/20/30 into 0 and adds about a millisecond);
* ``ordinance decide examples/ana-detainer.yaml``: the command a user runs (reads and checks
  the YAML case, loads the rules, solves, prints the table).

It prints the median and minimum wall and CPU seconds of each, and the engine's cost above each
floor.  The minimum is the figure least touched by other load on a shared machine; the target
of issue 15 (under 0.15 s end to end) is read against it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, measure, ordinance_command, stock_clingo  # noqa: E402  (benchmarks/ is not a package)


def commands() -> dict[str, list[str]]:
    """The three commands, by the name the table prints."""
    clingo_command, _ = stock_clingo()
    return {
        "python -c pass": [PYTHON, "-c", "pass"],
        # clingo exits 10/20/30 for satisfiable/unsatisfiable/exhausted; measure.py wants 0
        "stock clingo, same rules and case": ["sh", "-c", f'{clingo_command} "$@" > /dev/null; [ $? -le 30 ]',
                                              "clingo", "asp/all.lp", "examples/ana-detainer.lp"],
        "ordinance decide": [*ordinance_command(), "decide", "examples/ana-detainer.yaml"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    runs = parser.parse_args().runs
    chosen = commands()
    times: dict[str, list[dict[str, float]]] = {name: [] for name in chosen}
    # Bytecode may be written (as pip does when it installs): with PYTHONDONTWRITEBYTECODE set, as on
    # some machines, every run would compile the engine's modules again, which no user pays twice.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in chosen.values():
        measure(command, environment)  # warm-up: bytecode, file cache
    for _ in range(runs):
        for name, command in chosen.items():
            times[name].append(measure(command, environment))
    print(f"{'command':<36} {'wall median':>12} {'wall min':>9} {'CPU median':>11} {'CPU min':>8}")
    for name, measured in times.items():
        walls = [m["wall"] for m in measured]
        cpus = [m["cpu"] for m in measured]
        print(f"{name:<36} {statistics.median(walls):>11.3f}s {min(walls):>8.3f}s "
              f"{statistics.median(cpus):>10.3f}s {min(cpus):>7.3f}s")
    decide = min(m["wall"] for m in times["ordinance decide"])
    for floor in ("python -c pass", "stock clingo, same rules and case"):
        floor_wall = min(m["wall"] for m in times[floor])
        print(f"decide above {floor}: {decide - floor_wall:+.3f} s wall (minimum), "
              f"{decide / floor_wall:.1f}x")


if __name__ == "__main__":
    main()
