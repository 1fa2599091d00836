"""Searching the space of possible cases with clingo: minimal witnesses and brave consequences.

A `CaseSearch` grounds a (restricted) rule base once, together with the case
space (asp/analysis/case_space.lp) and an analysis encoding; each question is
then one solve call under an assumption (``federal_conflict(share_status_info)``
must hold), so the solver, not a Python loop over cases, does the searching.
Every solve has a time limit: a search that runs out of time says so and is
never taken for a proof that nothing exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import clingo
from clingo import ast

from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase, builtin_rules_dir

__all__ = ["FOUND", "NONE", "TIMEOUT", "Outcome", "CaseSearch", "analysis_file", "DEFAULT_TIMEOUT",
           "DEFAULT_REQUESTS", "check_limits"]

FOUND, NONE, TIMEOUT = "found", "none", "timeout"
DEFAULT_TIMEOUT = 30.0
DEFAULT_REQUESTS = 2


def check_limits(timeout: float, requests: int) -> None:
    """Reject a time limit or request bound that leaves nothing to search."""
    if requests < 1:
        raise EngineError(f"--requests {requests}: a case needs room for at least one request. "
                          "Fix: give 1 or more.")
    if timeout <= 0:
        raise EngineError(f"--timeout {timeout:g}: must be positive. Fix: give seconds, e.g. 30.")


def analysis_file(name: str) -> Path:
    """A file of asp/analysis/ (the case space and the analysis encodings)."""
    return builtin_rules_dir() / "analysis" / name


@dataclass(frozen=True)
class Outcome:
    """What one search found.

    ``status`` is FOUND (``atoms`` is the best answer set; ``optimal`` says the
    solver proved it has fewest case facts), NONE (the solver proved that no
    possible case qualifies) or TIMEOUT (the limit ran out first; ``atoms`` is
    the best case found so far, if any).
    """

    status: str
    atoms: tuple[clingo.Symbol, ...] = ()
    optimal: bool = False


class CaseSearch:
    """A rule base grounded with the case space and analysis encodings, ready for questions."""

    def __init__(self, rule_base: RuleBase, encodings: Sequence[str], *,
                 constants: dict[str, str | int], facts: Iterable[clingo.Symbol] = (),
                 extra_statements: Iterable[ast.AST] = (), brave: bool = False) -> None:
        arguments = ["--warn=none"]
        for name, value in constants.items():
            arguments += ["-c", f"{name}={value}"]
        if brave:
            arguments += ["--enum-mode=brave", "0"]
        control = rule_base.control(facts, arguments)
        files = [str(analysis_file(name)) for name in encodings]
        with ast.ProgramBuilder(control) as builder:
            ast.parse_files(files, builder.add)
            for statement in extra_statements:
                builder.add(statement)
        control.ground([("base", [])])
        self.control = control

    def derivable(self, atom: clingo.Symbol) -> bool:
        """Whether the grounder kept the atom: if not, no case can make it true (a proof by grounding)."""
        return self.control.symbolic_atoms[atom] is not None

    def atoms_named(self, name: str, arity: int) -> list[clingo.Symbol]:
        """The ground atoms of one predicate: the candidates a question can be asked about."""
        return sorted(a.symbol for a in self.control.symbolic_atoms.by_signature(name, arity))

    def minimal(self, goal: clingo.Symbol, timeout: float) -> Outcome:
        """A case with fewest facts in which ``goal`` holds, or a proof that none exists."""
        if not self.derivable(goal):
            return Outcome(NONE)
        best: list[tuple[clingo.Symbol, ...]] = []
        proven = [False]

        def on_model(model: clingo.Model) -> None:
            best[:] = [tuple(model.symbols(atoms=True))]
            proven[0] = model.optimality_proven

        with self.control.solve(assumptions=[(goal, True)], on_model=on_model, async_=True) as handle:
            finished = handle.wait(timeout)
            if not finished:
                handle.cancel()
            result = handle.get()
        if not finished:
            return Outcome(TIMEOUT, best[0] if best else ())
        if result.satisfiable:
            return Outcome(FOUND, best[0], proven[0] or result.exhausted)
        return Outcome(NONE)

    def brave(self, timeout: float) -> tuple[set[clingo.Symbol], bool]:
        """The shown atoms true in some possible case; and whether the search finished in time.

        Built with ``brave=True``: clingo's brave enumeration mode, in which the last
        model is the union of all answer sets' shown atoms.
        """
        found: set[clingo.Symbol] = set()

        def on_model(model: clingo.Model) -> None:
            found.clear()
            found.update(model.symbols(shown=True))

        with self.control.solve(on_model=on_model, async_=True) as handle:
            finished = handle.wait(timeout)
            if not finished:
                handle.cancel()
            handle.get()
        return found, finished
