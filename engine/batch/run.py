"""Running a batch: stream chunks of cases through worker processes, write rows in order.

Cases are read lazily and cut into chunks; each chunk is decided and encoded
by `engine.batch.solver.decide_chunk` in a worker (one grounding per worker, reused
for all its chunks) and appended to the output in input order, one write per
chunk.  At most ``2 × jobs`` chunks are in flight, so memory stays flat in the
number of cases.  With one job (or fewer than `POOL_THRESHOLD` chunks)
everything runs in this process, which avoids the start-up of workers for
small inputs.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from engine.batch.solver import BatchOptions, CaseInput, decide_chunk, forget_solvers
from engine.batch.io import append_text, completed_cases, csv_header, encode_rows
from engine.core.rulebase import RuleBase, load_rule_base
from engine.batch.progress import Progress

__all__ = ["BatchSummary", "run_batch", "default_jobs", "CHUNK_SIZE"]

#: Cases per chunk: large enough to amortise inter-process transfer, small enough
#: to keep the progress bar moving and memory low.
CHUNK_SIZE = 500
#: Fewer chunks than this run in this process: starting workers and grounding the
#: rules in each (~0.3 s) does not pay for a few thousand cases (measured at 1,000).
POOL_THRESHOLD = 4


@dataclass(frozen=True)
class BatchSummary:
    """What a run did: cases decided now, cases skipped by --resume, error rows."""

    decided: int
    skipped: int
    errors: int


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class _Job:
    """What every chunk of a run is decided and written with."""

    rule_base: RuleBase
    options: BatchOptions
    fmt: str

    def encode(self, items: list[CaseInput]) -> tuple[str, int]:
        """The text of the chunk's rows, and how many of them are errors."""
        rows = decide_chunk(items, self.rule_base, self.options)
        errors = sum(1 for row in rows if "error" in row)
        return encode_rows(rows, self.fmt, self.options.explain), errors


#: The job of this worker process: a `multiprocessing` pool's initializer can only hand
#: its worker state through a global, and the rule base is too big to send per chunk.
_WORKER_JOB: list[_Job] = []


def _start_worker(rules_dirs: tuple[str, ...], options: BatchOptions, fmt: str) -> None:
    forget_solvers()  # a solver's watchdog thread does not survive fork
    _WORKER_JOB[:] = [_Job(load_rule_base(rules_dirs), options, fmt)]


def _encode_in_worker(items: list[CaseInput]) -> tuple[str, int]:
    return _WORKER_JOB[0].encode(items)


def _chunks(items: Iterable[CaseInput], size: int) -> Iterator[list[CaseInput]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _pending(items: Iterable[CaseInput], done: set[str], skipped: list[int]) -> Iterator[CaseInput]:
    """The inputs not yet written, counting the skipped ones."""
    for item in items:
        case_id = item.data.get("id", item.default_id) if isinstance(item.data, dict) else item.default_id
        if str(case_id) in done:
            skipped[0] += 1
            continue
        yield item


def _results(chunks: Iterator[list[CaseInput]], jobs: int, rules_dirs: tuple[str, ...],
             options: BatchOptions, fmt: str) -> Iterator[tuple[int, str, int]]:
    """(cases, text, errors) per chunk, in input order."""
    head = list(islice(chunks, POOL_THRESHOLD))
    if jobs <= 1 or len(head) < POOL_THRESHOLD:
        job = _Job(load_rule_base(rules_dirs), options, fmt)
        for chunk in chain(head, chunks):
            yield (len(chunk), *job.encode(chunk))
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(jobs, initializer=_start_worker, initargs=(rules_dirs, options, fmt)) as pool:
        window: deque = deque()
        for chunk in chain(head, chunks):
            window.append((len(chunk), pool.apply_async(_encode_in_worker, (chunk,))))
            if len(window) >= 2 * jobs:
                size, result = window.popleft()
                yield (size, *result.get())
        while window:
            size, result = window.popleft()
            yield (size, *result.get())


def run_batch(inputs: Iterable[CaseInput], out: str | Path | None, *,
              rules_dirs: Sequence[str] = (), options: BatchOptions = BatchOptions(),
              fmt: str = "jsonl", jobs: int = 1, resume: bool = False,
              progress: Progress | None = None, chunk_size: int = CHUNK_SIZE) -> BatchSummary:
    """Decide every input and write its rows to ``out`` (None: standard output).

    Each worker loads the rules with ``load_rule_base(rules_dirs)`` (cached, and
    inherited by forked workers).  With ``resume`` the cases already in ``out`` are
    skipped and the new rows appended.
    """
    done = completed_cases(out, fmt) if resume and out else set()
    fd = None if out is None else os.open(
        out, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC), 0o644)

    def write(text: str) -> None:
        if fd is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            append_text(fd, text)

    skipped = [0]
    decided = errors = 0
    try:
        if fmt == "csv" and (fd is None or os.fstat(fd).st_size == 0):
            write(csv_header(options.explain))
        chunks = _chunks(_pending(inputs, done, skipped), chunk_size)
        for size, text, chunk_errors in _results(chunks, jobs, tuple(str(d) for d in rules_dirs),
                                                 options, fmt):
            write(text)
            decided += size
            errors += chunk_errors
            if progress:
                progress.advance(size)
    finally:
        if fd is not None:
            os.close(fd)
        if progress:
            progress.close()
    return BatchSummary(decided, skipped[0], errors)
