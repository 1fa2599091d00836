"""Exact model counts with Ganak (the `pyganak` package), in a worker process that can be stopped.

Why a process: ``pyganak.Counter.count()`` runs to the end in C, with no time limit and
without looking at signals.  The worker holds the formula; each count is one message to it
and its answer one message back.  A count that runs out of time, or a Ctrl-C, ends the
worker (it is started again for the next count), so a count is either exact or not given:
no partial number is ever returned.

The worker is this module run as a program (``python -m engine.analysis.counter``) in a
session of its own, so a Ctrl-C at the terminal reaches the command, which ends it.  It
speaks pickle over its standard input and output; Ganak's own lines to standard output go
to the null device.

pyganak is an optional dependency (``pip install 'ordinance-engine[count]'``):
`require_counter` says so, with the command to install it, before anything is grounded.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO, Sequence

from engine.core.errors import EngineError

__all__ = ["ModelCounter", "require_counter", "INSTALL", "COUNTER_METHOD"]

#: The install command a user without the counter is told.
INSTALL = "pip install 'ordinance-engine[count]'"
#: The package holding the counter.
COUNTER_PACKAGE = "pyganak"
#: How sure a count is, as Ganak's documentation states it for the mode pyganak runs: the default,
#: probabilistic one (components are cached by a hash, and a collision could go unseen).  pyganak
#: offers no other mode (its Counter takes only ``verbose`` and ``seed``; the command line's
#: ``--prob 0`` has no counterpart) and does not report the bound Ganak computes for each count
#: (from its cache look-ups and entries), so the output gives the authors' general figure.
COUNTER_METHOD = ("exact model counts by Ganak in its default probabilistic mode: a collision in its hashed "
                  "component cache could make a count wrong, a chance that depends on the formula and that "
                  "Ganak's authors put at usually below one in a billion")


def require_counter(option: str = "--count") -> None:
    """An error naming the install command when the counter (pyganak) is not installed."""
    try:
        importlib.import_module(COUNTER_PACKAGE)
    except ImportError:
        raise EngineError(f"{option} needs the exact model counter Ganak (the Python package "
                          f"{COUNTER_PACKAGE}), which is not installed. Fix: {INSTALL} "
                          f"(or: pip install {COUNTER_PACKAGE}).") from None


class ModelCounter:
    """Counts of the models of CNF formulas, each given as its clauses over variables 1..n.

    Use as a context manager: the worker is ended on leaving it (also on Ctrl-C).
    """

    def __init__(self) -> None:
        self.worker: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "ModelCounter":
        return self

    def __exit__(self, *_: object) -> None:
        self._stop()

    def count(self, clauses: Sequence[Sequence[int]], variables: int, timeout: float) -> int | None:
        """The number of models of ``clauses`` over variables 1..``variables``, or None if the
        count was not finished within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        worker = self._start()
        assert worker.stdin is not None and worker.stdout is not None
        try:
            _send(worker.stdin, ([list(clause) for clause in clauses], variables))
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([worker.stdout], [], [], max(remaining, 0))
            if not ready:
                self._stop()
                return None
            answer = pickle.load(worker.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):  # the worker is gone (killed, crashed)
            code = worker.poll()
            self._stop()
            raise EngineError(f"the model counter's process ended before answering (exit status {code}). "
                              "Fix: run the command again; if it fails again, count with fewer "
                              "--requests.") from None
        except BaseException:
            self._stop()  # a Ctrl-C: never leave the worker counting
            raise
        if isinstance(answer, str):
            self._stop()
            raise EngineError(f"the model counter failed: {answer}")
        return int(answer)

    def _start(self) -> subprocess.Popen[bytes]:
        if self.worker is None or self.worker.poll() is not None:
            root = str(Path(__file__).resolve().parents[2])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
            self.worker = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, start_new_session=True, env=env)
        return self.worker

    def _stop(self) -> None:
        if self.worker is not None:
            if self.worker.poll() is None:
                self.worker.kill()
            self.worker.wait()
            for stream in (self.worker.stdin, self.worker.stdout):
                if stream is not None:
                    stream.close()
            self.worker = None


def _send(stream: BinaryIO, message: object) -> None:
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _serve() -> None:
    """The worker: answer each formula (clauses, variables) with its count (or a message saying
    why the counter failed), until standard input closes."""
    import pyganak

    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # Ganak writes lines such as "c o intermediate count" to standard output
    while True:
        try:
            clauses, variables = pickle.load(requests)
        except EOFError:
            return
        try:
            counter = pyganak.Counter()
            counter.new_vars(variables)
            counter.add_clauses(clauses)
            _send(answers, counter.count())
        except Exception as error:  # the parent turns it into an EngineError
            _send(answers, f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    _serve()
