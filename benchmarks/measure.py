"""Run one command and print what it cost, as one JSON object: wall seconds, CPU seconds (user and
system, of the command and every process it waited for: workers, clingo processes) and the peak
resident memory of its largest process, all from `resource.getrusage(RUSAGE_CHILDREN)`.

    python benchmarks/measure.py COMMAND [ARGS...]

A process of its own, and a small one, because a child's peak memory on Linux starts from the
size of the process that forked it: measured from `benchmarks/run.py` (which holds the rule base
and the cases) every command would look at least that big.  The command's output is discarded
(every variant writes its rows to a file); it must exit 0.
"""

import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
finished = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if finished.returncode != 0:
    sys.exit(f"{' '.join(sys.argv[1:])} exited {finished.returncode}:\n{finished.stderr.decode()[-2000:]}")
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
