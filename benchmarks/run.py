"""Batch throughput side by side, in one run, on the same generated cases and the same cores: the
engine against a clingo API script, stock clingo and its own previous design.

    python benchmarks/run.py                                  # N = 1k, 10k; 3 rounds; writes RESULTS.md
    python benchmarks/run.py --sizes 1000,10000,100000 --max-slow 100000  # 100k: one round
    python benchmarks/run.py --previous 3b482db               # also the engine as of that commit
    python benchmarks/run.py --no-write                       # print only
    python benchmarks/run.py --only explain --no-extras --no-write   # the --explain figures alone

Variants, each at 1 and 2 jobs (processes) unless said:

* ``engine batch``: ``ordinance batch CASES --out OUT --quiet --jobs J`` as a user runs it (the
  compiled evaluation, chosen by the engine for the built-in rules);
* ``engine, multi-shot forced``: the same run with one clingo ``solve()`` per case
  (`benchmarks/engine_batch.py --evaluation multi-shot`), the design before the compiled
  evaluation, in today's code;
* ``engine at REV`` (``--previous REV``, 1 and 2 jobs, N up to ``--max-previous``): the engine
  as of a commit, run from a ``git archive`` of it, for what the code before the change cost;
* ``clingo API baseline``: `benchmarks/clingo_api_baseline.py`, what a competent clingo user
  writes (multi-shot, one ``solve()`` under assumptions per case, the same rows, no validation);
* ``stock clingo, case-indexed chunks``: the distribution's ``clingo`` binary (the wheel's
  ``python -m clingo`` if there is none) on the rules with a case argument, one process per chunk
  of 1,000 cases numbered 1..1,000 (`benchmarks/stock_clingo.py`; the chunks' facts are written
  before timing, and clingo builds no rows);
* ``engine batch --explain`` (the compact trace: ids into a table written once), its multi-shot
  twin, and ``--explain-format firings`` (every rule instance in full in each row, the design
  before), 1 job; the bytes per case of each form are printed, with their ratio.

Each measurement is a process of its own started through `benchmarks/measure.py`: wall seconds,
CPU seconds of the process and every process it waited for (workers, clingo processes), the CPU
seconds of the command's own process alone (for ``--jobs 2``: what the parent costs beside its
workers), and the peak resident memory of the largest of them, from `resource.getrusage`.  Variants run one after
the other, in rounds (``--rounds``, ``--large-rounds``), each figure the median over them; the load
average before each measurement is recorded, since other work may share the machine.  Outputs are
checked: the rows of every engine variant and of the API baseline are byte-identical (per size
and options), and stock clingo's count of non-silent statuses equals the engine's.  Also timed:
one ``ordinance decide`` end to end, and ``ordinance check`` of each seed ordinance.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import clingo

from engine import load_rule_base, parse_case
from engine.batch.case_argument import batch_facts, with_case_argument
from engine.batch.generate import generate_cases
from engine.batch.trace_table import table_path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
ANALYSIS = "## Analysis"
PYTHON = sys.executable
#: Cases per stock-clingo process (ids 1..CHUNK reused in every chunk).
CHUNK = 1000
BASELINE = "clingo API baseline"
ENGINE = "engine batch"
#: The options of the explained rows of the design before the compact trace.
EXPLAIN_FULL = "--explain --explain-format firings"


@dataclass
class Variant:
    """One way of deciding the cases: its name, jobs, the command for (cases, output, work dir),
    the largest N it runs at, and how its output is checked ("rows", "explain" or "explain-full":
    the bytes of its rows; "clingo": its count of statuses)."""

    name: str
    jobs: int
    command: object
    max_n: int
    output: str = "rows"

    @property
    def label(self) -> str:
        return f"{self.name}, {self.jobs} job{'s' if self.jobs > 1 else ''}"


@dataclass
class Cell:
    """The measurements of one variant at one N, one per round."""

    variant: Variant
    n: int
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    own: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    #: --explain variants: the bytes of the rows and of the trace's table (first round).
    sizes: tuple[int, int] | None = None

    def median(self, values: list[float]) -> float | None:
        return statistics.median(values) if values else None


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds and peak MB of a command, measured by `benchmarks/measure.py`."""
    done = subprocess.run([PYTHON, str(HERE / "measure.py"), *command], capture_output=True, text=True,
                          cwd=ROOT, env=env)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout)


def ordinance_command() -> list[str]:
    """The installed `ordinance` script next to this interpreter (as a user runs it)."""
    script = Path(PYTHON).with_name("ordinance")
    return [str(script)] if script.exists() else [shutil.which("ordinance") or "ordinance"]


def stock_clingo() -> tuple[str, str]:
    """The clingo binary to run and its version line: the distribution's, else the wheel's."""
    binary = shutil.which("clingo")
    command = binary if binary else f"{PYTHON} -m clingo"
    version = subprocess.run([*command.split(), "--version"], capture_output=True, text=True).stdout
    return command, (version.splitlines() or ["clingo, version unknown"])[0]


def previous_engine(revision: str, work: Path) -> Path:
    """The repository as of ``revision`` (``git archive``), to import the engine from."""
    target = work / f"engine-{revision}"
    if not target.exists():
        target.mkdir()
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
        with tempfile.TemporaryFile() as handle:
            handle.write(archive)
            handle.seek(0)
            with tarfile.open(fileobj=handle) as tar:
                tar.extractall(target, filter="data")
    return target


def variants(args: argparse.Namespace, clingo_command: str, work: Path) -> list[Variant]:
    ordinance = ordinance_command()
    found = []
    for jobs in (1, 2):
        found.append(Variant(ENGINE, jobs, lambda cases, out, _w, j=jobs: [
            *ordinance, "batch", str(cases), "--out", str(out), "--quiet", "--jobs", str(j)], args.max_n))
        found.append(Variant("engine, multi-shot forced", jobs, lambda cases, out, _w, j=jobs: [
            PYTHON, str(HERE / "engine_batch.py"), str(cases), str(out), "--jobs", str(j),
            "--evaluation", "multi-shot"], args.max_slow))
        found.append(Variant(BASELINE, jobs, lambda cases, out, _w, j=jobs: [
            PYTHON, str(HERE / "clingo_api_baseline.py"), str(cases), str(out), str(j)], args.max_slow))
        found.append(Variant("stock clingo, case-indexed chunks", jobs, lambda cases, out, w, j=jobs: [
            PYTHON, str(HERE / "stock_clingo.py"), clingo_command, str(w / "batch-rules.lp"),
            str(w / f"chunks-{cases.stem}"), str(out), str(j)], args.max_clingo, "clingo"))
    if args.previous:
        # Imported from the archive, not from this checkout: without site (-S) the editable
        # install's finder is not set up, and -P keeps the working directory (this checkout) off
        # the path; the installed dependencies come by PYTHONPATH.
        path = f"{previous_engine(args.previous, work)}{os.pathsep}{sysconfig.get_paths()['purelib']}"
        for jobs in (1, 2):
            found.append(Variant(f"engine at {args.previous}", jobs, lambda cases, out, _w, j=jobs: [
                "env", f"PYTHONPATH={path}", PYTHON, "-S", "-P", "-m", "engine", "batch", str(cases), "--out",
                str(out), "--quiet", "--jobs", str(j)], args.max_previous or args.max_slow))
    found.append(Variant(f"{ENGINE} --explain", 1, lambda cases, out, _w: [
        *ordinance, "batch", str(cases), "--out", str(out), "--quiet", "--jobs", "1", "--explain"],
        args.max_explain, "explain"))
    found.append(Variant(f"{ENGINE} {EXPLAIN_FULL}", 1, lambda cases, out, _w: [
        *ordinance, "batch", str(cases), "--out", str(out), "--quiet", "--jobs", "1", "--explain",
        "--explain-format", "firings"], args.max_explain, "explain-full"))
    found.append(Variant("engine --explain, multi-shot forced", 1, lambda cases, out, _w: [
        PYTHON, str(HERE / "engine_batch.py"), str(cases), str(out), "--jobs", "1", "--evaluation",
        "multi-shot", "--explain"], args.max_explain, "explain"))
    return found


def prepare(n: int, work: Path, clingo_needed: bool) -> Path:
    """The generated cases as JSON Lines and, for stock clingo, the rules and the chunks' facts."""
    rules = load_rule_base(use_env=False)
    cases = work / f"cases-{n}.jsonl"
    with cases.open("w", encoding="utf-8") as out:
        for case in generate_cases(rules.catalog, n, seed=7):
            out.write(json.dumps(case, separators=(",", ":")) + "\n")
    if clingo_needed:
        rules_file = work / "batch-rules.lp"
        if not rules_file.exists():
            statements = [s for s in with_case_argument(rules.statements) if s.ast_type.name != "Comment"]
            rules_file.write_text("".join(f"{s}\n" for s in statements), encoding="utf-8")
        chunks = work / f"chunks-{cases.stem}"
        chunks.mkdir(exist_ok=True)
        with cases.open(encoding="utf-8") as lines:
            number = 0
            while block := list(islice(lines, CHUNK)):
                parsed = [parse_case(json.loads(line), rules.catalog, str(cases), "case") for line in block]
                with (chunks / f"{number:06d}.lp").open("w", encoding="utf-8") as out:
                    out.writelines(f"{fact}.\n" for fact in batch_facts(enumerate(parsed, start=1), {}))
                number += 1
    return cases


def statuses_in_rows(path: Path) -> int:
    with path.open(encoding="utf-8") as rows:
        return sum(1 for line in rows for r in json.loads(line).get("results", ()) if r["status"] != "silent")


def statuses_in_models(directory: Path, constants: set[str]) -> int:
    pattern = re.compile(r"\bstatus\(\d+,(\w+),")
    return sum(1 for path in directory.glob("*.txt")
               for match in pattern.finditer(path.read_text(encoding="utf-8")) if match.group(1) in constants)


def digest(path: Path) -> str:
    hashed = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            hashed.update(block)
    return hashed.hexdigest()


def run_size(n: int, found: list[Variant], work: Path, rounds: int) -> tuple[list[Cell], list[str]]:
    """Every variant at one N, ``rounds`` times in turn; outputs checked in the first round."""
    active = [v for v in found if n <= v.max_n]
    cases = prepare(n, work, any(v.output == "clingo" for v in active))
    rules = load_rule_base(use_env=False)
    constants = {rules.catalog.ordinances[i].constant for i in rules.catalog.local_ids()}
    cells = [Cell(v, n) for v in active]
    digests: dict[str, dict[str, str]] = {"rows": {}, "explain": {}, "explain-full": {}, "explain table": {}}
    counts: dict[str, int] = {}
    for round_number in range(rounds):
        for cell in cells:
            variant = cell.variant
            out = work / "out"
            if out.is_dir():
                shutil.rmtree(out)
            elif out.exists():
                out.unlink()
            table = table_path(out)
            table.unlink(missing_ok=True)
            if variant.output == "clingo":
                out.mkdir()
            cell.load.append(os.getloadavg()[0])
            figures = measure(variant.command(cases, out, work))
            cell.wall.append(figures["wall"])
            cell.cpu.append(figures["cpu"])
            if figures.get("own_cpu") is not None:
                cell.own.append(figures["own_cpu"])
            cell.peak.append(figures["peak_mb"])
            own = figures.get("own_cpu")
            print(f"  N={n:<9,} {variant.label:<45} cpu {figures['cpu']:8.2f} s  wall {figures['wall']:8.2f} s  "
                  + (f"(own process {own:.2f} s)  " if own is not None and variant.jobs > 1 else "")
                  + f"peak {figures['peak_mb']:6.0f} MB  load {cell.load[-1]:.1f}", flush=True)
            if round_number == 0:
                if variant.output == "clingo":
                    counts[variant.label] = statuses_in_models(out, constants)
                else:
                    digests[variant.output][variant.label] = digest(out)
                    if variant.output == "rows":
                        counts[variant.label] = statuses_in_rows(out)
                    else:
                        cell.sizes = (out.stat().st_size, table.stat().st_size if table.exists() else 0)
                        if table.exists():
                            digests["explain table"][variant.label] = digest(table)
                        print(f"  N={n:<9,} {variant.label:<45} rows {cell.sizes[0] / n:,.0f} bytes a case, "
                              f"table {cell.sizes[1]:,} bytes", flush=True)
    problems = [f"N={n}: {kind} differ: {sorted(found_digests)}" for kind, found_digests in digests.items()
                if len(set(found_digests.values())) > 1]
    if len(set(counts.values())) > 1:
        problems.append(f"N={n}: non-silent status counts differ: {counts}")
    print(f"  N={n:,}: rows byte-identical across engine variants and the API baseline, status counts "
          f"equal to stock clingo's: {not problems}", flush=True)
    cases.unlink()
    return cells, problems


def single_case(repetitions: int = 7) -> list[float]:
    command = [*ordinance_command(), "decide", "examples/ana-detainer.yaml"]
    measure(command)  # warm-up: compiles the bytecode an installed package ships with
    return sorted(measure(command)["wall"] for _ in range(repetitions))


def checks() -> list[tuple[str, float]]:
    """Wall time of `ordinance check ORDINANCE --against usc-1373` per seed ordinance (median of 3)."""
    rules = load_rule_base(use_env=False)
    return [(public_id, statistics.median(
        measure([*ordinance_command(), "check", public_id, "--against", "usc-1373"])["wall"] for _ in range(3)))
        for public_id in rules.catalog.local_ids()]


def machine(clingo_version: str) -> str:
    cpu = "unknown CPU"
    memory = 0
    try:
        names = re.findall(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = names[0] if names else cpu
        memory = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 ** 2
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores (`nproc`), CPU model \"{cpu}\", {memory} GiB RAM, {platform.platform()}, "
            f"Python {platform.python_version()}, clingo {clingo.__version__} (Python), stock: {clingo_version}")


def _fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def ratios(cells: list[Cell]) -> list[str]:
    """The ratios the targets are stated in, per N: the engine against each alternative."""
    by = {(c.n, c.variant.label): c for c in cells}
    lines = []
    for n in sorted({c.n for c in cells}):
        def cpu(label: str) -> float | None:
            cell = by.get((n, label))
            return cell.median(cell.cpu) if cell else None

        def wall(label: str) -> float | None:
            cell = by.get((n, label))
            return cell.median(cell.wall) if cell else None

        pairs = [(f"{BASELINE}, 1 job", f"{ENGINE}, 1 job", "CPU", cpu),
                 (f"{BASELINE}, 1 job", f"{ENGINE}, 1 job", "wall", wall),
                 (f"{BASELINE}, 2 jobs", f"{ENGINE}, 2 jobs", "wall", wall),
                 (f"{ENGINE}, 1 job", f"{ENGINE}, 2 jobs", "wall", wall),
                 ("engine, multi-shot forced, 1 job", f"{ENGINE}, 1 job", "CPU", cpu),
                 ("stock clingo, case-indexed chunks, 1 job", f"{ENGINE}, 1 job", "CPU", cpu),
                 ("stock clingo, case-indexed chunks, 2 jobs", f"{ENGINE}, 2 jobs", "wall", wall),
                 ("engine --explain, multi-shot forced, 1 job", f"{ENGINE} --explain, 1 job", "CPU", cpu),
                 (f"{ENGINE} {EXPLAIN_FULL}, 1 job", f"{ENGINE} --explain, 1 job", "CPU", cpu)]
        pairs += [(c.variant.label, f"{ENGINE}, {c.variant.jobs} job{'s' if c.variant.jobs > 1 else ''}", kind, of)
                  for c in cells if c.n == n and c.variant.name.startswith("engine at ")
                  for kind, of in (("CPU", cpu), ("wall", wall))]
        for slower, faster, kind, of in pairs:
            a, b = of(slower), of(faster)
            if a and b:
                lines.append(f"| {n:,} | {faster} | {slower} | {kind} | {a / b:.2f}× |")
    return lines


def explain_sizes(cells: list[Cell]) -> list[str]:
    """Per N, the bytes of the explained rows in each form, and how many times smaller the
    compact trace's rows are (its table, written once per run, stated beside them)."""
    by = {(c.n, c.variant.output): c for c in cells if c.sizes and c.variant.jobs == 1
          and c.variant.name.startswith(ENGINE)}
    lines = []
    for n in sorted({n for n, _ in by}):
        compact, full = by.get((n, "explain")), by.get((n, "explain-full"))
        if not (compact and full and compact.sizes and full.sizes):
            continue
        rows, table = compact.sizes
        lines.append(f"| {n:,} | {rows / n:,.0f} | {table:,} | {(rows + table) / n:,.0f} | {full.sizes[0] / n:,.0f} | "
                     f"{full.sizes[0] / rows:.1f}× | {full.sizes[0] / (rows + table):.1f}× |")
    if not lines:
        return []
    return ["Explained rows, bytes (`--explain`: the compact trace, its table written once per run; "
            f"`{EXPLAIN_FULL}`: every rule instance in full in each row, the design before):\n",
            "| N | --explain rows, bytes a case | its table, bytes | both, bytes a case | firings rows, bytes a case "
            "| rows smaller | rows and table smaller |", "|---:|---:|---:|---:|---:|---:|---:|", *lines, ""]


def parent_shares(cells: list[Cell]) -> list[str]:
    """For the engine with 2 jobs: how much CPU its own process took beside its workers'."""
    rows = [c for c in cells if c.variant.jobs > 1 and c.own
            and (c.variant.name == ENGINE or c.variant.name.startswith("engine at "))]
    if not rows:
        return []
    lines = ["With 2 jobs, the CPU of the `ordinance batch` process itself (today: finding slices, "
             "recording progress) beside that of its workers (today: reading, deciding, encoding, writing):\n",
             "| variant | N | own process CPU s | workers CPU s | own share |", "|---|---:|---:|---:|---:|"]
    for cell in rows:
        own, cpu = cell.median(cell.own), cell.median(cell.cpu)
        lines.append(f"| {cell.variant.label} | {cell.n:,} | {own:.2f} | {cpu - own:.2f} | {own / cpu:.0%} |")
    return lines


def report(cells: list[Cell], decide_walls: list[float], check_times: list[tuple[str, float]],
           started: str, clingo_version: str, rounds: int, problems: list[str], large_rounds: int) -> str:
    lines = ["# Benchmark results\n", f"Run of `python benchmarks/run.py` on {started} UTC, {rounds} "
             f"rounds at N up to 10,000 and {large_rounds} above: each figure is the median over its rounds.  ",
             f"Machine: {machine(clingo_version)}.  ",
             "Cases: `ordinance generate --seed 7` (0 to 3 requests, all four local ordinances, "
             f"{len(load_rule_base(use_env=False).catalog.actions)} actions each).  ",
             "CPU is user + system seconds of the whole process tree, interpreter start included; "
             "wall is the process's; peak is the largest process's resident memory.  ",
             "Load is the 1-minute load average before each measurement (median): other work "
             "shares these cores.\n",
             "| variant | N | CPU s | wall s | cases/s (CPU) | peak MB | load |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for cell in cells:
        cpu, wall = cell.median(cell.cpu), cell.median(cell.wall)
        lines.append(f"| {cell.variant.label} | {cell.n:,} | {_fmt(cpu, '.2f')} | {_fmt(wall, '.2f')} | "
                     f"{_fmt(cell.n / cpu if cpu else None, ',.0f')} | {_fmt(cell.median(cell.peak), ',.0f')} | "
                     f"{_fmt(cell.median(cell.load), '.1f')} |")
    lines += ["", "Ratios (how many times the engine's figure the alternative's is; 2 jobs against 1 job: "
              "the speed-up of a second worker):\n",
              "| N | engine | alternative | measure | ratio |", "|---:|---|---|---|---:|", *ratios(cells)]
    lines += ["", *explain_sizes(cells)]
    lines += ["", *parent_shares(cells)]
    lines.append("\nOutputs: " + ("; ".join(problems) if problems else
                                  "at every N the rows of every engine variant and of the API baseline were "
                                  "byte-identical (with and without --explain), and stock clingo showed as "
                                  "many non-silent statuses.") + "\n")
    if decide_walls:
        lines.append(f"Single case, `ordinance decide examples/ana-detainer.yaml` end to end: median "
                     f"{statistics.median(decide_walls):.3f} s (min {decide_walls[0]:.3f}, max "
                     f"{decide_walls[-1]:.3f}, {len(decide_walls)} runs).\n")
    if check_times:
        lines.append("| `ordinance check ORDINANCE --against usc-1373` | wall s (median of 3) |\n|---|---:|")
        lines += [f"| {public_id} | {wall:.2f} |" for public_id, wall in check_times]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=3, help="rounds at N up to 10,000")
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds at larger N")
    parser.add_argument("--max-n", type=int, default=10 ** 7, help="largest N for `engine batch`")
    parser.add_argument("--max-slow", type=int, default=10_000,
                        help="largest N for the multi-shot variants and the API baseline (~1 ms a case)")
    parser.add_argument("--max-clingo", type=int, default=10_000,
                        help="largest N for stock clingo (~10 ms a case)")
    parser.add_argument("--max-explain", type=int, default=10_000, help="largest N for --explain")
    parser.add_argument("--previous", metavar="REV", help="also time the engine as of this commit")
    parser.add_argument("--max-previous", type=int, help="largest N for --previous (default: --max-slow)")
    parser.add_argument("--no-extras", action="store_true", help="skip the single decide and the checks")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only the variants whose name holds TEXT (repeatable), e.g. --only explain "
                             "--no-extras --no-write for the --explain figures alone")
    args = parser.parse_args()
    # Time the package as a user runs it: with compiled bytecode, even where the shell forbids writing it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    clingo_command, clingo_version = stock_clingo()
    cells: list[Cell] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ordinance-bench-") as name:
        work = Path(name)
        found = [v for v in variants(args, clingo_command, work)
                 if not args.only or any(part in v.name for part in args.only)]
        for n in (int(s) for s in args.sizes.split(",")):
            print(f"N = {n:,}", flush=True)
            size_cells, size_problems = run_size(n, found, work, args.rounds if n <= 10_000 else args.large_rounds)
            cells += size_cells
            problems += size_problems
    for line in [*ratios(cells), *explain_sizes(cells)]:
        print(line)
    walls = [] if args.no_extras else single_case()
    check_times = [] if args.no_extras else checks()
    if walls:
        print(f"single-case decide, end to end: median {statistics.median(walls):.3f} s", flush=True)
    text = report(cells, walls, check_times, started, clingo_version, args.rounds, problems, args.large_rounds)
    if not args.no_write:
        analysis = ""
        if RESULTS.exists() and ANALYSIS in RESULTS.read_text(encoding="utf-8"):
            analysis = ANALYSIS + RESULTS.read_text(encoding="utf-8").split(ANALYSIS, 1)[1]
        RESULTS.write_text(text + ("\n" + analysis if analysis else ""), encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()
