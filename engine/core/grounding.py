"""Bounding the grounding of a user's rules: one runaway rule must not hang every command.

A rule such as ``p(X+1) :- p(X).`` makes clingo's grounder build terms forever;
grounding is not interruptible from Python, and it happens before any
``--timeout`` starts.  So when a user's rule files are loaded, the whole rule
base is grounded once, with every case fact open (the ground program of every
case at once, `engine.core.asp_blocks.open_case_facts`), in a child process
limited in time and memory.  A rule base that passes grounds every case within
those bounds; one that does not is refused with what happened and the fix.
The built-in rules are not checked here (a test grounds them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Sequence

from engine.core.errors import RulesError

__all__ = ["check_grounding", "GROUNDING_SECONDS", "GROUNDING_BYTES"]

GROUNDING_SECONDS = 30.0
GROUNDING_BYTES = 4 * 2**30
#: Requests in the case grounded: what `check` searches by default.
_REQUESTS = 2


def _limit_memory() -> None:  # runs in the child, before it starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (GROUNDING_BYTES, GROUNDING_BYTES))


def check_grounding(files: Sequence[Path], seconds: float | None = None) -> None:
    """Refuse rule files whose grounding does not finish within ``seconds`` (default
    `GROUNDING_SECONDS`) and `GROUNDING_BYTES` of memory."""
    seconds = seconds or GROUNDING_SECONDS
    command = [sys.executable, "-m", "engine.core.grounding", *map(str, files)]
    limit = _limit_memory if sys.platform != "win32" else None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        raise RulesError(f"grounding the rules with your files did not finish within {seconds:g} s. Fix: look "
                         "for a rule that builds ever larger terms or numbers (such as p(X+1) :- p(X).) and "
                         "bound it, e.g. with a domain predicate in its body.") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        if "MemoryError" in done.stderr or "std::bad_alloc" in done.stderr or done.returncode < 0:
            raise RulesError(f"grounding the rules with your files needs more than {GROUNDING_BYTES // 2**30} GiB "
                             "of memory. Fix: look for a rule whose body joins many large predicates, or one "
                             "that builds ever larger terms, and bound it.")
        raise RulesError(f"grounding the rules with your files failed: {detail}. Fix: correct the rule it names.")


def _ground(files: Sequence[str]) -> None:
    """The child's work: load the files, open every case fact, ground."""
    import clingo

    from engine.core.asp_blocks import open_case_facts

    control = clingo.Control(["--warn=none"])
    for file in files:
        control.load(file)
    control.add("base", [], open_case_facts(_REQUESTS))
    control.ground([("base", [])])


if __name__ == "__main__":
    _ground(sys.argv[1:])
