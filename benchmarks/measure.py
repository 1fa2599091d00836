"""Run one command and print what it cost, as one JSON object: wall seconds, CPU seconds (user and
system, of the command and every process it waited for: workers, clingo processes) and the peak
resident memory of its largest process, all from `resource.getrusage(RUSAGE_CHILDREN)`; and
``own_cpu``, the CPU seconds of the command's process alone (without its workers), read from
``/proc/PID/stat`` once it has exited but before it is reaped (None where there is no /proc).

    python benchmarks/measure.py COMMAND [ARGS...]

A process of its own, and a small one, because a child's peak memory on Linux starts from the
size of the process that forked it: measured from `benchmarks/run.py` (which holds the rule base
and the cases) every command would look at least that big.  The command's output is discarded
(every variant writes its rows to a file); it must exit 0.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def own_cpu(pid: int) -> float | None:
    """CPU seconds of an exited, not yet reaped process itself (fields utime and stime of
    /proc/PID/stat; its reaped children are counted apart, in cutime and cstime)."""
    try:
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


started = time.perf_counter()
with tempfile.TemporaryFile() as errors:
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=errors)
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)  # exited, still readable in /proc
    wall = time.perf_counter() - started
    own = own_cpu(process.pid)
    returncode = process.wait()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if returncode != 0:
        errors.seek(0)
        sys.exit(f"{' '.join(sys.argv[1:])} exited {returncode}:\n{errors.read().decode()[-2000:]}")
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "own_cpu": own}))
