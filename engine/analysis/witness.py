"""Turning an answer set of the case space back into a contract case.

The case space (asp/analysis/case_space.lp) chooses exactly the facts that
`engine.core.facts.case_facts` would write for a case; this module reads them back
into a `Case`, so a witness found by the solver is printed in the contract's
format and can be decided again (`ordinance decide`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import clingo

from engine.core.cases import REQUEST_FLAGS, Case, Request
from engine.analysis.findings import COMPLETE, TIMED_OUT, SearchReport, Witness
from engine.core.catalog import symbol_text
from engine.core.rulebase import CASE_PREDICATES
from engine.analysis.search import FOUND, NONE, CaseSearch, Outcome

__all__ = ["case_from_atoms", "witness_from", "minimal_witnesses", "CASE_FACT_PREDICATES"]

#: The predicates a case states (the readings are chosen apart from the case).
CASE_FACT_PREDICATES = CASE_PREDICATES - {"reading"}


def case_from_atoms(atoms: Iterable[clingo.Symbol], case_id: str) -> Case:
    """The case whose facts are the case-fact atoms among ``atoms`` (others are ignored)."""
    single: dict[str, list[str]] = defaultdict(list)
    per_request: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for atom in atoms:
        if atom.name not in CASE_FACT_PREDICATES:
            continue
        if atom.name.startswith("request") and len(atom.arguments) == 2:
            per_request[atom.arguments[0].number][atom.name].append(symbol_text(atom.arguments[1]))
        elif len(atom.arguments) == 1:
            single[atom.name].append(symbol_text(atom.arguments[0]))
    requests = []
    for number in sorted(per_request):
        facts = per_request[number]
        flags = set(facts["request_has"])
        requests.append(Request(
            kind=facts["request"][0],
            source=(facts["request_from"] or ["ice"])[0],
            **{flag: flag in flags for flag in REQUEST_FLAGS},
            info=tuple(sorted(facts["request_info"])),
            purpose=(facts["request_purpose"] or [None])[0],
            topic=(facts["request_topic"] or [None])[0]))
    agency = single["agency"][0] if single["agency"] else None
    return Case(id=case_id, agency=agency, person=frozenset(single["person"]),
                roles=tuple(sorted(single["role"])), convictions=tuple(sorted(single["conviction"])),
                requests=tuple(requests), determinations=frozenset(single["determination"]))


def witness_from(outcome: Outcome, case_id: str) -> Witness:
    """The outcome's answer set as a case, with its size (true case facts)."""
    case = case_from_atoms(outcome.atoms, case_id)
    facts = sum(1 for atom in outcome.atoms if atom.name == "case_fact")
    return Witness(case, facts, outcome.optimal)


def minimal_witnesses(search: CaseSearch, goals: Sequence[tuple[clingo.Symbol, str, str]], timeout: float
                      ) -> tuple[list[tuple[clingo.Symbol, Witness]], SearchReport]:
    """A minimal witness for each ``(goal, label, witness id)``, in order.

    A goal the solver proves impossible is left out; one whose search runs out
    of time is named (by its label) in the report, never taken for "none".
    """
    found: list[tuple[clingo.Symbol, Witness]] = []
    open_questions: list[str] = []
    for goal, label, witness_id in goals:
        outcome = search.minimal(goal, timeout)
        if outcome.status == NONE:
            continue
        if outcome.status != FOUND:
            open_questions.append(label)
            continue
        found.append((goal, witness_from(outcome, witness_id)))
    report = SearchReport(TIMED_OUT, tuple(open_questions)) if open_questions else SearchReport(COMPLETE)
    return found, report
