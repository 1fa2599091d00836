"""Batch throughput against a naive loop and raw clingo, on the same generated cases, in one run.

    python benchmarks/run.py                       # N = 1k, 10k, 100k; writes benchmarks/RESULTS.md
    python benchmarks/run.py --sizes 1000,10000    # smaller
    python benchmarks/run.py --no-write            # print only

Every variant runs as its own process (interpreter start included in its wall time) and its
peak memory is the largest resident set of that process or any of its workers (`wait4`).
Variants:

* ``batch``: ``ordinance batch cases.jsonl --out ...`` (one worker per core), and with ``--jobs 1``;
* ``batch --explain``: the same with derivations;
* ``naive``: `benchmarks/naive.py`, a new ``clingo.Control`` per case (`engine.decide`);
* ``raw clingo``: the clingo wheel's own ``clingo`` (``python -m clingo``; the wheel ships no
  separate binary) on one program: the rules with a case argument (`engine.batch.case_argument`) and
  all cases' facts, model printed to a file (building the files is not timed) — the floor of
  the one-big-program design;
* ``one program per chunk``: `benchmarks/chunk_program.py`, that design in-process in chunks of
  2,000 (an upper bound: it builds no rows).

Variants too slow or too big for a size (``--max-naive``, ``--max-raw``) are skipped with a
projection from the largest size run.  Also timed: one ``ordinance decide`` of a case, end to
end, and ``ordinance check`` of each seed ordinance if that command exists.  The number of
non-silent local statuses is compared across variants, so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import clingo

from engine import load_rule_base, parse_case
from engine.batch.case_argument import batch_facts, with_case_argument
from engine.batch.generate import generate_cases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
ANALYSIS = "## Analysis"


@dataclass
class Run:
    """One variant at one size: wall seconds, peak MB, and its count of non-silent statuses."""

    variant: str
    n: int
    wall: float | None
    peak_mb: float | None
    statuses: int | None = None
    note: str = ""
    load: float | None = None

    @property
    def rate(self) -> float | None:
        return self.n / self.wall if self.wall else None


def measure(command: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command (its largest process).

    Started through GNU time where present: a child forked straight from this
    (large) process would report this process's size as its own peak on Linux.
    """
    gnu_time = Path("/usr/bin/time")
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        wrapped = [str(gnu_time), "-f", "%M", "-o", peak.name, *command] if gnu_time.exists() else command
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read().decode()[-2000:]}")
        kilobytes = int(peak.read().split()[-1]) if gnu_time.exists() else usage.ru_maxrss
    if stdout:
        out.close()  # type: ignore[union-attr]
    return wall, kilobytes / 1024


def ordinance_command() -> list[str]:
    """The installed `ordinance` script next to this interpreter (as a user runs it)."""
    script = Path(sys.executable).with_name("ordinance")
    return [str(script)] if script.exists() else [shutil.which("ordinance") or "ordinance"]


def local_status_count_jsonl(path: Path) -> int:
    count = 0
    with path.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            count += sum(1 for r in row.get("results", ()) if r["status"] != "silent")
    return count


def local_status_count_naive(path: Path, local: set[str]) -> int:
    count = 0
    with path.open(encoding="utf-8") as rows:
        for line in rows:
            count += sum(1 for r in json.loads(line)["results"]
                         if r["status"] != "silent" and r["ordinance"] in local)
    return count


def local_status_count_raw(path: Path, constants: set[str]) -> int:
    pattern = re.compile(r"\bstatus\(\d+,(\w+),")
    count = 0
    with path.open(encoding="utf-8") as text:
        for line in text:
            count += sum(1 for match in pattern.finditer(line) if match.group(1) in constants)
    return count


def raw_program(work: Path, cases_file: Path) -> tuple[Path, Path]:
    """The rules with a case argument and the facts of every case, as .lp files."""
    rules = load_rule_base()
    rules_file = work / "batch-rules.lp"
    if not rules_file.exists():
        statements = [s for s in with_case_argument(rules.statements) if s.ast_type.name != "Comment"]
        rules_file.write_text("".join(f"{s}\n" for s in statements), encoding="utf-8")
    facts_file = work / f"{cases_file.stem}-facts.lp"
    with cases_file.open(encoding="utf-8") as lines, facts_file.open("w", encoding="utf-8") as out:
        cases = (parse_case(json.loads(line), rules.catalog, str(cases_file), "case") for line in lines)
        for fact in batch_facts(enumerate(cases, start=1), {}):
            out.write(f"{fact}.\n")
    return rules_file, facts_file


def run_size(n: int, work: Path, args: argparse.Namespace) -> list[Run]:
    rules = load_rule_base()
    local_ids = set(rules.catalog.local_ids())
    constants = {rules.catalog.ordinances[i].constant for i in local_ids}
    cases = work / f"cases-{n}.jsonl"
    with cases.open("w", encoding="utf-8") as out:
        for case in generate_cases(rules.catalog, n, seed=7):
            out.write(json.dumps(case, separators=(",", ":")) + "\n")
    ordinance = ordinance_command()
    runs: list[Run] = []

    def engine(variant: str, *extra: str) -> None:
        target = work / f"out-{n}.jsonl"
        load = os.getloadavg()[0]
        wall, peak = measure([*ordinance, "batch", str(cases), "--out", str(target), "--quiet", *extra])
        runs.append(Run(variant, n, wall, peak, local_status_count_jsonl(target), load=load))
        target.unlink()
        print(f"  {variant:<28} {n / wall:>9,.0f} cases/s  {wall:7.2f} s  {peak:7.0f} MB", flush=True)

    engine("batch")
    engine("batch --jobs 1", "--jobs", "1")
    engine("batch --explain", "--explain")
    if n <= args.max_naive:
        target = work / f"naive-{n}.jsonl"
        load = os.getloadavg()[0]
        wall, peak = measure([sys.executable, str(HERE / "naive.py"), str(cases), str(target)])
        runs.append(Run("naive (Control per case)", n, wall, peak, local_status_count_naive(target, local_ids), load=load))
        target.unlink()
        print(f"  {'naive (Control per case)':<28} {n / wall:>9,.0f} cases/s  {wall:7.2f} s  {peak:7.0f} MB", flush=True)
    else:
        runs.append(Run("naive (Control per case)", n, None, None, note="skipped (see --max-naive)"))
    if n <= args.max_raw:
        rules_file, facts_file = raw_program(work, cases)
        target = work / f"raw-{n}.txt"
        load = os.getloadavg()[0]
        wall, peak = measure([sys.executable, "-m", "clingo", str(rules_file), str(facts_file),
                              "--outf=0", "-V0", "--warn=none"], stdout=target)
        runs.append(Run("raw clingo (one program)", n, wall, peak, local_status_count_raw(target, constants), load=load))
        target.unlink()
        facts_file.unlink()
        print(f"  {'raw clingo (one program)':<28} {n / wall:>9,.0f} cases/s  {wall:7.2f} s  {peak:7.0f} MB", flush=True)
        output = subprocess.run([sys.executable, str(HERE / "chunk_program.py"), str(cases), "2000"],
                                capture_output=True, text=True, cwd=ROOT)
        load = os.getloadavg()[0]
        wall, peak = measure([sys.executable, str(HERE / "chunk_program.py"), str(cases), "2000"])
        runs.append(Run("one program per chunk", n, wall, peak, int(output.stdout.strip()), load=load))
        print(f"  {'one program per chunk':<28} {n / wall:>9,.0f} cases/s  {wall:7.2f} s  {peak:7.0f} MB", flush=True)
    else:
        for variant in ("raw clingo (one program)", "one program per chunk"):
            runs.append(Run(variant, n, None, None, note="skipped (see --max-raw)"))
    cases.unlink()
    return runs


def single_case(repetitions: int = 7) -> list[float]:
    command = [*ordinance_command(), "decide", "examples/ana-detainer.yaml"]
    measure(command)  # warm-up: compiles the bytecode an installed package ships with
    return sorted(measure(command)[0] for _ in range(repetitions))


def checks() -> list[tuple[str, float | None, str]]:
    """Wall time of `ordinance check ORDINANCE --against usc-1373` (narrow reading: conflicts,
    internal consistency, dead rules and gaps) per seed ordinance, if the command exists."""
    ordinance = ordinance_command()
    usage = subprocess.run([*ordinance, "--help"], capture_output=True, text=True).stdout
    rules = load_rule_base()
    if "check" not in re.findall(r"\{(.*?)\}", usage)[0].split(","):
        return [(i, None, "`ordinance check` does not exist in this build") for i in rules.catalog.local_ids()]
    timings = []
    for public_id in rules.catalog.local_ids():
        walls = sorted(measure([*ordinance, "check", public_id, "--against", "usc-1373"])[0]
                       for _ in range(3))
        timings.append((public_id, walls[1], ""))
    return timings


def machine() -> str:
    cpu = "unknown CPU"
    try:
        names = re.findall(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = f"{names[0]} × {len(names)}" if names else cpu
        memory = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 ** 2
    except OSError:
        memory = 0
    return (f"{cpu}, {memory} GiB RAM, {platform.platform()}, Python {platform.python_version()}, "
            f"clingo {clingo.__version__}")


def _fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def report(runs: list[Run], decide_walls: list[float], check_times: list, started: str) -> str:
    lines = ["# Benchmark results\n", f"Run of `python benchmarks/run.py` on {started} UTC.  ",
             f"Machine: {machine()}.  ",
             "Cases: `ordinance generate --seed 7` (all four local ordinances, 37 actions each).  ",
             "Wall time is per process, interpreter start included; peak memory is the largest "
             "process (a worker or the parent).\n",
             "Other work shared the machine during the run; the load average (1 min) before "
             "each engine run is shown, so rates are comparable only within one N.\n",
             "| variant | N | cases/s | wall s | peak MB | × raw clingo | non-silent statuses | load |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    raw_rate = {r.n: r.rate for r in runs if r.variant.startswith("raw clingo") and r.rate}
    largest_raw = max(raw_rate) if raw_rate else None
    for run in runs:
        floor = raw_rate.get(run.n) or (raw_rate[largest_raw] if largest_raw else None)
        projected = run.n not in raw_rate and floor is not None
        ratio = f"{run.rate / floor:.1f}" + ("\\*" if projected else "") if run.rate and floor else "—"
        lines.append(f"| {run.variant} | {run.n:,} | {_fmt(run.rate, ',.0f')} | {_fmt(run.wall, '.2f')} | "
                     f"{_fmt(run.peak_mb, ',.0f')} | {ratio} | "
                     f"{run.statuses if run.statuses is not None else run.note} | "
                     f"{_fmt(run.load, '.1f')} |")
    lines.append("\n\\* against raw clingo's rate at the largest N it ran at (its rate does not "
                 "rise with N: grounding one program is at best linear in the cases).\n")
    lines.append(f"Single case, `ordinance decide examples/ana-detainer.yaml` end to end: median "
                 f"{statistics.median(decide_walls):.3f} s (min {decide_walls[0]:.3f}, max "
                 f"{decide_walls[-1]:.3f}, {len(decide_walls)} runs).\n")
    lines.append("| `ordinance check ORDINANCE --against usc-1373` | wall s (median of 3) |\n|---|---:|")
    for public_id, wall, note in check_times:
        lines.append(f"| {public_id} | {_fmt(wall, '.2f') if wall is not None else note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--max-naive", type=int, default=10_000,
                        help="largest N for the naive loop (~4 ms a case)")
    parser.add_argument("--max-raw", type=int, default=10_000,
                        help="largest N for raw clingo (~170 MB and ~2 s per 1,000 cases)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    # Time the package as a user runs it: with compiled bytecode, even where the shell forbids writing it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="ordinance-bench-") as work:
        for n in (int(s) for s in args.sizes.split(",")):
            print(f"N = {n:,}", flush=True)
            runs += run_size(n, Path(work), args)
            counts = {r.statuses for r in runs if r.n == n and r.statuses is not None}
            print(f"  non-silent local statuses agree across variants: {len(counts) == 1}", flush=True)
    walls = single_case()
    print(f"single-case decide, end to end: median {statistics.median(walls):.3f} s", flush=True)
    check_times = checks()
    for public_id, wall, note in check_times:
        print(f"ordinance check {public_id}: {_fmt(wall, '.2f') if wall is not None else note}")
    text = report(runs, walls, check_times, started)
    if not args.no_write:
        analysis = ""
        if RESULTS.exists() and ANALYSIS in RESULTS.read_text(encoding="utf-8"):
            analysis = ANALYSIS + RESULTS.read_text(encoding="utf-8").split(ANALYSIS, 1)[1]
        RESULTS.write_text(text + ("\n" + analysis if analysis else ""), encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
