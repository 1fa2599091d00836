"""The one pipeline every analysis runs: search -> minimal witness -> decide again -> finding.

Federal conflicts, internal findings and comparisons ask the same kind of
question: for each goal atom of an analysis encoding (``federal_conflict(A)``,
``finding(K, A)``, ``differs(A, S1, S2)``), a case with fewest facts in which it
holds.  Each witness is then decided again with `engine.core.solve.decide`, the
code path a user runs, and must show what the search claimed; a witness that
does not is a bug in an encoding, reported as an error rather than printed.
A goal whose search runs out of time is named in the `SearchReport`, never
taken for "no such case".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

import clingo

from engine.analysis.findings import SearchReport, SearchStatus, Witness
from engine.analysis.search import CaseSearch, Outcome
from engine.core.cases import Case
from engine.core.facts import case_from_atoms
from engine.core.results import Decision
from engine.core.rulebase import RuleBase
from engine.core.solve import decide
from engine.core.vocabulary import CASE_FACT

__all__ = ["Goal", "Reproduce", "witness_from", "verified_findings"]

Finding = TypeVar("Finding")


@dataclass(frozen=True)
class Goal:
    """One question of an analysis: a minimal case in which ``atom`` holds.

    ``action`` is the action the finding is about (every analysis asks about one);
    ``label`` names the question where its search times out (``TIMED OUT on: ...``);
    ``witness_id`` becomes the id of the witness case.
    """

    atom: clingo.Symbol
    action: str
    label: str
    witness_id: str


#: Reads the finding a goal claims from the witness's decision; None if the decision does not show it.
Reproduce = Callable[[Goal, Decision, Witness], Finding | None]


def witness_from(outcome: Outcome, case_id: str) -> Witness:
    """The outcome's answer set as a case, with its size (true case facts)."""
    case = case_from_atoms(outcome.atoms, case_id)
    facts = sum(1 for atom in outcome.atoms if CASE_FACT.matches(atom))
    return Witness(case, facts, outcome.optimal)


def verified_findings(search: CaseSearch, goals: Iterable[Goal], reproduce: Reproduce[Finding], *,
                      timeout: float, rule_base: RuleBase, ordinances: Sequence[str],
                      readings: Mapping[str, str]) -> tuple[tuple[Finding, ...], SearchReport]:
    """For each goal in order, its minimal witness decided again and read by ``reproduce``.

    ``rule_base`` (the one searched), ``ordinances`` and ``readings`` are what the
    witness is decided under.  A goal the solver proves impossible gives no
    finding; one whose search times out is an open question of the report.
    Raises RuntimeError when a witness's decision does not show its goal.
    """
    found: list[Finding] = []
    open_questions: list[str] = []
    decided: dict[Case, Decision] = {}  # one witness case often answers several goals
    for goal in goals:
        outcome = search.minimal(goal.atom, timeout)
        if outcome.status is SearchStatus.TIMED_OUT:
            open_questions.append(goal.label)
            continue
        if outcome.impossible:
            continue
        witness = witness_from(outcome, goal.witness_id)
        content = replace(witness.case, id="")
        if content not in decided:
            decided[content] = decide(witness.case, rule_base, ordinances=list(ordinances),
                                      readings=dict(readings))
        decision = decided[content]
        finding = reproduce(goal, decision, witness)
        if finding is None:
            shown = ", ".join(f"{o} {decision.result(o, goal.action).status}" for o in ordinances)
            raise RuntimeError(f"witness {witness.case.to_dict()} does not reproduce '{goal.label}': "
                               f"decided {shown} on {goal.action}")
        found.append(finding)
    return tuple(found), SearchReport.of(tuple(open_questions))
