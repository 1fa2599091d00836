"""Searching the space of possible cases with clingo: minimal witnesses and brave consequences.

A `CaseSearch` grounds a (restricted) rule base once, together with the case
space (asp/analysis/case_space.lp) and an analysis encoding; each question is
then one solve call under an assumption (``federal_conflict(share_status_info)``
must hold), so the solver, not a Python loop over cases, does the searching.
Every solve has a time limit: a search that runs out of time says so and is
never taken for a proof that nothing exists.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import clingo
from clingo import ast

from engine.analysis.findings import SearchStatus
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase, builtin_rules_dir
from engine.core.solve import finish_by
from engine.core.vocabulary import Predicate

__all__ = ["Outcome", "CaseSearch", "analysis_file", "DEFAULT_TIMEOUT", "DEFAULT_REQUESTS",
           "check_limits", "FEDERAL_CONFLICT", "CONFLICT_FOUND", "FINDING", "FINDING_FOUND", "DIFFERS",
           "SAVING", "ADDRESSED_ACTION", "ADDRESSED_KIND"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_REQUESTS = 2
#: The case space and the order on requests that keeps one numbering of each case.
CASE_SPACE = "case_space.lp"
SYMMETRY = "symmetry.lp"
#: How a witness search minimises: core-guided.  A witness has a handful of facts out of
#: hundreds a case may state (over 500 at 12 requests).  clasp's default, model-guided,
#: starts from whatever case it meets first, often one with every request filled, and
#: lowers its size a model at a time; core-guided optimisation starts from "no facts" and
#: adds only what the goal needs (benchmarks/RESULTS.md, "Analysis", has the times).  Both
#: prove the same optimum, and minimal.lp's tie-break makes that optimum one case.
CORE_GUIDED = "--opt-strategy=usc"

# The predicates of the analysis encodings (asp/analysis/) that the Python asks about or reads,
# with named argument positions as in `engine.core.vocabulary`.
#: conflict_1373.lp: an action the local ordinance forbids where federal law protects it.
FEDERAL_CONFLICT = Predicate("federal_conflict", 1, ("action",))
#: conflict_1373.lp: some action is in conflict (one solve proves there is none at all).
CONFLICT_FOUND = Predicate("conflict_found", 0, ())
#: consistency.lp: the ordinance is at odds with itself on an action (kind conflict or tension).
FINDING = Predicate("finding", 2, ("kind", "action"))
#: consistency.lp: some finding of a kind exists.
FINDING_FOUND = Predicate("found", 1, ("kind",))
#: comparison.lp: the two ordinances give an action different statuses.
DIFFERS = Predicate("differs", 3, ("action", "first_status", "second_status"))
#: savings.lp: a section that could save the ordinance from a conflict.
SAVING = Predicate("saving", 1, ("section",))
#: coverage.lp: an action, and a request kind, the ordinance speaks to in some case.
ADDRESSED_ACTION = Predicate("addressed_action", 1, ("action",))
ADDRESSED_KIND = Predicate("addressed_kind", 1, ("kind",))
#: norm_use.lp: a norm (section, action, kind) triggered in some case; binding (not lifted) in some
#: case; triggered in some case where no other section's norm of its kind is.
NORM_FIRES = Predicate("norm_fires", 3, ("section", "action", "kind"))
NORM_BINDS = Predicate("norm_binds", 3, ("section", "action", "kind"))
NORM_ALONE = Predicate("norm_alone", 3, ("section", "action", "kind"))


def check_limits(timeout: float, requests: int) -> None:
    """Reject a time limit or request bound that leaves nothing to search."""
    if requests < 1:
        raise EngineError(f"--requests {requests}: a case needs room for at least one request. "
                          "Fix: give 1 or more.")
    if not timeout > 0:  # nan too
        raise EngineError(f"--timeout {timeout:g}: must be positive. Fix: give seconds, e.g. 30.")


#: `#show` statements: they choose what clingo prints and change no answer set.
SHOWS = frozenset({ast.ASTType.ShowSignature, ast.ASTType.ShowTerm})


def _unshown(statements: Iterable[ast.AST]) -> list[ast.AST]:
    """The statements but ``#show``.  In brave mode clingo collects every shown atom true in some
    case, a model at a time, so what the rule base shows (every status and the sections deciding
    it) and what the case space shows (every case fact, for stock clingo's witnesses) would be
    collected too: hundreds of models no analysis reads, where its own atoms need a few dozen."""
    return [statement for statement in statements if statement.ast_type not in SHOWS]


def analysis_file(name: str) -> Path:
    """A file of asp/analysis/ (the case space and the analysis encodings)."""
    return builtin_rules_dir() / "analysis" / name


@dataclass(frozen=True)
class Outcome:
    """What one search for a minimal case found.

    ``status`` says whether the solver finished.  When it did, ``atoms`` is the
    best answer set (``optimal``: proved to have fewest case facts), or empty:
    a proof that no possible case qualifies.  When it ran out of time, ``atoms``
    is the best case found so far, if any, and proves nothing.
    """

    status: SearchStatus
    atoms: tuple[clingo.Symbol, ...] = ()
    optimal: bool = False

    @property
    def found(self) -> bool:
        """The solver finished with a case."""
        return self.status is SearchStatus.COMPLETE and bool(self.atoms)

    @property
    def impossible(self) -> bool:
        """The solver proved that no possible case qualifies."""
        return self.status is SearchStatus.COMPLETE and not self.atoms


class CaseSearch:
    """A rule base grounded with the case space and analysis encodings, ready for questions."""

    def __init__(self, rule_base: RuleBase, encodings: Sequence[str], *,
                 constants: dict[str, str | int], facts: Iterable[clingo.Symbol] = (),
                 extra_statements: Iterable[ast.AST] = (), brave: bool = False,
                 interchangeable_requests: bool = False) -> None:
        """Ground ``rule_base`` with the ``encodings`` (files of asp/analysis/), the ``constants``
        (``-c`` values), ``facts`` and ``extra_statements``.

        ``brave``: for `brave`, clingo's brave enumeration mode, only the encodings' own
        atoms shown; otherwise for `minimal`.
        ``interchangeable_requests``: the rule base treats requests alike
        (`engine.analysis.symmetry.requests_interchangeable`), so only one numbering of
        each case's requests is searched (asp/analysis/symmetry.lp): the same answers, with
        the proofs that no smaller case exists made once per case, not once per numbering.
        """
        arguments = ["--warn=none"]
        for name, value in constants.items():
            arguments += ["-c", f"{name}={value}"]
        if brave:
            arguments += ["--enum-mode=brave", "0"]
            rule_base = rule_base.with_statements(_unshown(rule_base.statements))
        else:
            arguments.append(CORE_GUIDED)
        control = rule_base.control(facts, arguments)
        with ast.ProgramBuilder(control) as builder:
            for name in [*encodings, *([SYMMETRY] if interchangeable_requests else [])]:
                statements: list[ast.AST] = []
                ast.parse_files([str(analysis_file(name))], statements.append)
                for statement in _unshown(statements) if brave and name == CASE_SPACE else statements:
                    builder.add(statement)
            for statement in extra_statements:
                builder.add(statement)
        control.ground([("base", [])])
        self.control = control

    def derivable(self, atom: clingo.Symbol) -> bool:
        """Whether the grounder kept the atom: if not, no case can make it true (a proof by grounding)."""
        return self.control.symbolic_atoms[atom] is not None

    def atoms_of(self, predicate: Predicate) -> list[clingo.Symbol]:
        """The ground atoms of one predicate: the candidates a question can be asked about."""
        return sorted(a.symbol for a in self.control.symbolic_atoms.by_signature(*predicate.signature))

    def minimal(self, goal: clingo.Symbol, timeout: float) -> Outcome:
        """A case with fewest facts in which ``goal`` holds, or a proof that none exists."""
        if not self.derivable(goal):
            return Outcome(SearchStatus.COMPLETE)
        best: list[tuple[clingo.Symbol, ...]] = []
        proven = [False]

        def on_model(model: clingo.Model) -> None:
            best[:] = [tuple(model.symbols(atoms=True))]
            proven[0] = model.optimality_proven

        result, status = self._solve(timeout, on_model, [(goal, True)])
        if status is SearchStatus.TIMED_OUT:
            return Outcome(status, best[0] if best else ())
        if result.satisfiable:
            return Outcome(SearchStatus.COMPLETE, best[0], proven[0] or result.exhausted)
        return Outcome(SearchStatus.COMPLETE)

    def brave(self, timeout: float) -> tuple[set[clingo.Symbol], SearchStatus]:
        """The shown atoms true in some possible case, and whether the search finished in time
        (if not, the atoms are only those of the cases seen so far).

        Built with ``brave=True``: clingo's brave enumeration mode, in which the last
        model is the union of all answer sets' shown atoms.
        """
        found: set[clingo.Symbol] = set()

        def on_model(model: clingo.Model) -> None:
            found.clear()
            found.update(model.symbols(shown=True))

        return found, self._solve(timeout, on_model)[1]

    def _solve(self, timeout: float, on_model: Callable[[clingo.Model], None],
               assumptions: Sequence[tuple[clingo.Symbol, bool]] = ()
               ) -> tuple[clingo.SolveResult, SearchStatus]:
        """One solve, cancelled when ``timeout`` seconds run out: its result and whether it finished."""
        with self.control.solve(assumptions=list(assumptions), on_model=on_model, async_=True) as handle:
            finished = finish_by(handle, time.monotonic() + timeout)
            result = handle.get()
        return result, SearchStatus.COMPLETE if finished else SearchStatus.TIMED_OUT
