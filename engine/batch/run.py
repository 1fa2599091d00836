"""Running a batch: stream chunks of cases through worker processes, write rows in order.

The input is cut into chunks; each chunk is decided and encoded by
`engine.batch.solver.decide_chunk` in a worker (one grounding per worker, reused
for all its chunks) and appended to the output in input order, one write per
chunk.  A chunk of a JSON Lines or CSV file is a `Slice` (byte offsets, first line
number): this process only finds where records start, and each worker reads and
parses its own slices, so that the work of reading scales with the workers.  Other
inputs (standard input, a directory, cases from Python) are read here and their
chunks sent to the workers.  Into an output file, a worker also appends its chunk's rows
itself when the chunk before it is written, and otherwise (rarely: workers advance in
step) sends them back to be written here in their turn (`_Output`), so that rows do not
pass through this process either; it records how far the output got after each chunk.
At most ``2 × jobs`` chunks are in flight, so memory
stays flat in the number of cases.  With one job (or fewer than `POOL_THRESHOLD`
chunks) everything runs in this process, which avoids the start-up of workers for
small inputs.

After each chunk the run's state (`engine.batch.resume`) records how many input
records are done, so ``--resume`` continues exactly; Ctrl-C stops the workers
(which ignore SIGINT, so that only this process reports it) and says what was kept.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from engine.batch.solver import BatchOptions, CaseInput, decide_chunk, forget_solvers
from engine.batch.io import FileInputs, Slice, append_text, csv_header, encode_rows, read_slice
from engine.batch.resume import begin, run_settings
from engine.batch.trace_table import Sent, TableWriter, new_entries
from engine.core.rulebase import RuleBase, load_rule_base
from engine.render.progress import Progress

__all__ = ["BatchSummary", "run_batch", "default_jobs", "CHUNK_SIZE"]

#: Cases per chunk: large enough to amortise the per-chunk costs (an evaluation call per
#: request count, a state file update), small enough to keep the progress bar moving and
#: memory low: a chunk's rows are held as text and as bytes at once (~8 KB a case).
#: Measured (generated cases): 1,000 saved ~2-10% of the CPU (1 job at 10k: 2.1 s at 500,
#: 1.8-1.9 s at 1,000, 2.0 s at 2,000) but raised the peak memory at 100k from 80 to 101 MB.
CHUNK_SIZE = 500
#: Fewer chunks than this run in this process: starting workers and grounding the
#: rules in each (~0.3 s) does not pay for a few thousand cases (measured at 1,000).
POOL_THRESHOLD = 4


@dataclass(frozen=True)
class BatchSummary:
    """What a run did: cases decided now, cases skipped by --resume, error rows (and the
    message of the first), how long it took."""

    decided: int
    skipped: int
    errors: int
    first_error: str | None = None
    seconds: float = 0.0


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


#: A chunk of the input: cases already read, or a slice of a file for the worker to read.
Chunk = list[CaseInput] | Slice


def _size(chunk: Chunk) -> int:
    """How many records (and so rows) a chunk holds."""
    return chunk.records if isinstance(chunk, Slice) else len(chunk)


@dataclass(frozen=True)
class _Job:
    """What every chunk of a run is decided and written with."""

    rule_base: RuleBase
    options: BatchOptions
    fmt: str
    #: What this process has sent of the compact trace's table (`engine.batch.trace_table`).
    sent: Sent = field(default_factory=dict, compare=False)

    def encode(self, chunk: Chunk) -> tuple[str, int, str | None, list[dict]]:
        """The text of the chunk's rows, how many of them are errors, the first error, and the
        table entries of the trace ids this process has not sent yet (compact --explain)."""
        items = read_slice(chunk) if isinstance(chunk, Slice) else chunk
        rows = decide_chunk(items, self.rule_base, self.options)
        errors = [row["error"] for row in rows if "error" in row]
        first = errors[0]["message"] if errors else None
        entries = new_entries(rows, self.rule_base, self.options, self.sent) if self.options.compact else []
        return encode_rows(rows, self.fmt, self.options.explain), len(errors), first, entries


@dataclass(frozen=True)
class _Output:
    """The output file workers append their rows to, in input order: chunk ``n`` (numbered
    from 0 in the order sent) may be written when ``written.value`` is ``n``.

    A worker finding that it is not its chunk's turn does not wait (it would idle while
    another worker is slowed by other work on the machine): it sends the rows back, and
    the parent, which collects chunks in order, writes them in their turn and moves the
    turn on (`_results`).
    """

    path: str
    written: Any  # a multiprocessing Value ("q", with its lock): how many chunks are written


#: The job of this worker process and the output it writes to (none: its rows go back as text):
#: a `multiprocessing` pool's initializer can only hand its worker state through a global, and
#: the rule base is too big to send per chunk.
_WORKER_JOB: list[_Job] = []
_WORKER_OUTPUT: list[tuple[int, _Output]] = []


def _start_worker(rules_dirs: tuple[str, ...], options: BatchOptions, fmt: str, output: _Output | None) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it
    # (and stops the workers), so that the user sees one line, not a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forget_solvers()  # a solver's watchdog thread does not survive fork
    _WORKER_JOB[:] = [_Job(load_rule_base(rules_dirs), options, fmt)]
    _WORKER_OUTPUT[:] = [(os.open(output.path, os.O_WRONLY | os.O_APPEND), output)] if output else []


def _encode_in_worker(chunk: Chunk, number: int) -> tuple[str | None, int, int, str | None, list[dict]]:
    """The chunk decided and encoded: (its text, 0, ...), or, where this worker writes the output
    itself, (None, the bytes it appended, ...) once it is written in its turn."""
    text, errors, first, entries = _WORKER_JOB[0].encode(chunk)
    if not _WORKER_OUTPUT:
        return text, 0, errors, first, entries
    fd, output = _WORKER_OUTPUT[0]
    with output.written.get_lock():
        if output.written.value != number:  # not its turn: written by the parent, in order
            return text, 0, errors, first, entries
        data = text.encode("utf-8")
        try:
            append_text(fd, data)
        except OSError as error:  # a full disk: name the file (os.write does not)
            raise OSError(error.errno, error.strerror, output.path) from None
        output.written.value = number + 1
    return None, len(data), errors, first, entries


class _CtrlC:
    """Ctrl-C as a flag, looked at between chunks and while waiting for workers.

    A KeyboardInterrupt raised wherever the main thread happens to be can land inside the
    pool's bookkeeping (which then hangs on terminate) or inside a ``__del__`` (where Python
    swallows it and the run goes on); raised by `check` at a known point it does neither.
    A second Ctrl-C interrupts at once.  Only the main thread can own a signal handler:
    elsewhere (a run started from a thread) Ctrl-C keeps its default behaviour.
    """

    def __init__(self) -> None:
        self.pressed = False
        self._previous: Any = None

    def __enter__(self) -> "_CtrlC":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._press)
        return self

    def __exit__(self, *exception: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _press(self, signum: int, frame: object) -> None:
        if self.pressed:
            raise KeyboardInterrupt
        self.pressed = True

    def check(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C was pressed."""
        if self.pressed:
            raise KeyboardInterrupt


def _chunks(items: Iterable[CaseInput], size: int, skip: int) -> Iterator[Chunk]:
    """The input after its first ``skip`` records, in chunks of ``size``: slices of a file,
    else lists of the cases read here."""
    if isinstance(items, FileInputs):
        yield from items.slices(size, skip)
        return
    iterator = islice(items, skip, None)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _collected(future: Future, ctrl_c: _CtrlC) -> tuple[str | None, int, int, str | None, list[dict]]:
    """A worker's answer, waited for in short slices so that Ctrl-C is seen at once."""
    while True:
        ctrl_c.check()
        try:
            return future.result(timeout=0.05)
        except TimeoutError:
            continue


@contextmanager
def _workers(jobs: int, rules_dirs: tuple[str, ...], options: BatchOptions, fmt: str, context: Any,
             output: _Output | None) -> Iterator[ProcessPoolExecutor]:
    """Worker processes (of the `multiprocessing` ``context``) that each load the rules once
    (and append their rows to the ``output`` if given); stopped at once when the run ends early.

    `concurrent.futures` rather than `multiprocessing.Pool`: a Pool terminated while its task
    thread is writing a large chunk into the workers' pipe can wait forever (seen under
    Ctrl-C); an executor whose workers are gone is merely broken, and shuts down.
    """
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                   initargs=(rules_dirs, options, fmt, output))
    finished = False
    try:
        yield executor
        finished = True
    finally:
        if not finished:  # Ctrl-C or an error: do not wait for the chunks in flight
            for process in multiprocessing.active_children():
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)


def _results(chunks: Iterator[Chunk], jobs: int, rules_dirs: tuple[str, ...],
             options: BatchOptions, fmt: str, ctrl_c: _CtrlC,
             out: str | None) -> Iterator[tuple[int, str | None, int, str | None, list[dict]]]:
    """(cases, text, bytes written, errors, first error, table entries) per chunk, in input
    order; the text is None where a worker appended it to ``out`` itself (given only when
    workers may write it), and then the bytes it wrote are given."""
    head = list(islice(chunks, POOL_THRESHOLD))
    if jobs <= 1 or len(head) < POOL_THRESHOLD:
        job = _Job(load_rule_base(rules_dirs), options, fmt)
        for chunk in chain(head, chunks):
            text, errors, first, entries = job.encode(chunk)
            yield _size(chunk), text, 0, errors, first, entries
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    output = _Output(out, context.Value("q", 0)) if out else None

    def collected(size: int, future: Future) -> Iterator[tuple[int, str | None, int, str | None, list[dict]]]:
        result = _collected(future, ctrl_c)
        yield (size, *result)
        if output is not None and result[0] is not None:  # the caller has written it: the turn moves on
            with output.written.get_lock():
                output.written.value += 1

    with _workers(jobs, rules_dirs, options, fmt, context, output) as executor:
        window: deque[tuple[int, Future]] = deque()
        for number, chunk in enumerate(chain(head, chunks)):
            window.append((_size(chunk), executor.submit(_encode_in_worker, chunk, number)))
            if len(window) >= 2 * jobs:
                yield from collected(*window.popleft())
        while window:
            yield from collected(*window.popleft())


def _settings(source: str | Path | None, fmt: str, options: BatchOptions,
              rules_dirs: tuple[str, ...]) -> dict:
    """What the rows depend on besides the cases, under the option names a user types."""
    chosen = asdict(options)
    named = {"--ordinance": chosen["ordinances"], "--reading/--switch": dict(chosen["readings"]),
             "--explain": chosen["explain"], "--all": chosen["include_silent"],
             "--time-limit": chosen["time_limit"]}
    if options.compact:  # named only then, so that the state of a run before it still matches
        named["--explain-format"] = options.explain_format
    return run_settings(source, fmt, named, load_rule_base(rules_dirs).source_files())


def run_batch(inputs: Iterable[CaseInput], out: str | Path | None, *,
              rules_dirs: Sequence[str] = (), options: BatchOptions = BatchOptions(),
              fmt: str = "jsonl", jobs: int = 1, resume: bool = False,
              progress: Progress | None = None, chunk_size: int = CHUNK_SIZE,
              source: str | Path | None = None) -> BatchSummary:
    """Decide every input and write its rows to ``out`` (None: standard output).

    Each worker loads the rules with ``load_rule_base(rules_dirs)`` (cached, and
    inherited by forked workers).  With ``resume`` the records an earlier run into
    ``out`` recorded as done are skipped and the new rows appended; ``source`` (the
    input's path) is part of what that run must have shared with this one.  Ctrl-C
    raises KeyboardInterrupt with a message saying what was kept.
    """
    started = time.monotonic()
    rules_dirs = tuple(str(d) for d in rules_dirs)
    fd = None if out is None else os.open(
        out, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC), 0o644)
    decided = errors = skipped = 0
    first_error: str | None = None
    state = None
    try:
        state = begin(out, _settings(source, fmt, options, rules_dirs), resume)
        skipped = state.records if state else 0
        table = None if not options.compact else TableWriter(out, load_rule_base(rules_dirs), options, resume)

        def write(text: str, records: int) -> None:
            if fd is None:
                sys.stdout.write(text)
                sys.stdout.flush()
                return
            data = text.encode("utf-8")
            try:
                append_text(fd, data)
            except OSError as error:  # a full disk: name the file (os.write does not)
                raise OSError(error.errno, error.strerror, str(out)) from None
            if state:
                state.advance(records, len(data))

        if fmt == "csv" and (fd is None or os.fstat(fd).st_size == 0):
            write(csv_header(options.explain), 0)
        if progress and progress.total is not None:
            progress.total = max(progress.total - skipped, 0)
        chunks = _chunks(inputs, chunk_size, skipped)
        # Workers append their rows to a regular file themselves, except when the trace table
        # must be written before them (by this process, from what the workers report).
        direct = str(out) if state and not table else None
        with _CtrlC() as ctrl_c, closing(_results(chunks, jobs, rules_dirs, options, fmt, ctrl_c,
                                                  direct)) as results:
            # closing(): on Ctrl-C the generator's pool is terminated here, not whenever it is collected
            for size, text, written, chunk_errors, chunk_first, entries in results:
                if table:  # before the rows: a row is never written without its ids' entries
                    table.add(entries)
                if text is not None:
                    write(text, size)
                elif state:
                    state.advance(size, written)
                decided += size
                errors += chunk_errors
                first_error = first_error or chunk_first
                if progress:
                    progress.advance(size)
                ctrl_c.check()
        if table:
            table.finish()
        if state:
            state.finish()
    except KeyboardInterrupt:
        kept = (f"{state.records:,} cases are in {out} ({decided:,} decided in this run); run the same "
                "command with --resume to continue" if state else f"{decided:,} cases were written")
        raise KeyboardInterrupt(kept) from None
    finally:
        if fd is not None:
            os.close(fd)
        if progress:
            progress.close()
    return BatchSummary(decided, skipped, errors, first_error, time.monotonic() - started)
