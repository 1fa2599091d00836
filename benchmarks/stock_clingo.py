"""Stock clingo over case-indexed chunks: the rules rewritten with a case argument
(`engine.batch.case_argument`), one clingo process per chunk of cases numbered 1..CHUNK in
every chunk (so its symbols are reused, PERFORMANCE.md §3), JOBS processes at a time.

    python benchmarks/stock_clingo.py CLINGO RULES.lp CHUNK_DIR OUT_DIR JOBS

CHUNK_DIR holds the chunks' facts (``*.lp``, written by `benchmarks/run.py` before timing, as a
user of stock clingo would have them); each chunk's model goes to OUT_DIR as clingo prints it.
No rows are built: this is the floor of the design, the time clingo itself takes.
"""

import subprocess
import sys
from pathlib import Path


def main(clingo: str, rules: str, chunks: str, out: str, jobs: int) -> None:
    command = clingo.split()
    running: list[subprocess.Popen] = []
    for chunk in sorted(Path(chunks).glob("*.lp")):
        if len(running) == jobs:
            finished = running.pop(0)
            if finished.wait() not in (0, 10, 30):  # clingo's exit codes for satisfiable
                sys.exit(f"clingo failed on a chunk ({finished.args})")
        with open(Path(out) / f"{chunk.stem}.txt", "wb") as target:
            running.append(subprocess.Popen([*command, rules, str(chunk), "--outf=0", "-V0", "--warn=none"],
                                            stdout=target))
    for process in running:
        if process.wait() not in (0, 10, 30):
            sys.exit(f"clingo failed on a chunk ({process.args})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
