"""Comparing two ordinances over every possible case (asp/analysis/comparison.lp).

For each action and each pair of different statuses the two ordinances can
give it in the same case (beacon forbidden, westchester silent, ...), a minimal
witness case, decided again under both ordinances for the sections on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from engine.core.cases import Case
from engine.analysis.check import known_ordinance
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.analysis.findings import SearchReport, Witness
from engine.core.rulebase import RuleBase
from engine.core.results import Decision, Result
from engine.analysis.search import CaseSearch, check_limits
from engine.analysis.restriction import Drop, restrict
from engine.core.solve import check_readings, decide
from engine.analysis.witness import minimal_witnesses

__all__ = ["Difference", "Comparison", "compare", "comparison_pairs", "known_pair",
           "ALL_PAIRS"]

#: The ``--compare`` value that names every pair of local ordinances.
ALL_PAIRS = "all"


def _side(row: Result) -> dict[str, Any]:
    return {"status": row.status, "sections": list(row.sections), "exceptions": list(row.exceptions)}


@dataclass(frozen=True)
class Difference:
    """One action on which the ordinances disagree, in the witness case."""

    action: str
    first: Result
    second: Result
    witness: Witness

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "first": _side(self.first), "second": _side(self.second),
                "witness": self.witness.to_dict(), "witness_facts": self.witness.facts,
                "witness_minimal": self.witness.minimal}


@dataclass(frozen=True)
class Comparison:
    """Every way two ordinances can disagree, with minimal witnesses."""

    first: str
    second: str
    reading: str
    differences: tuple[Difference, ...]
    search: SearchReport
    requests: int
    timeout: float
    dropped: tuple[str, ...] = ()
    #: Interpretive switches other than § 1373's reading, as (name, value) pairs.
    switches: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "reading": self.reading,
                "switches": dict(self.switches), "dropped": list(self.dropped),
                "differences": [d.to_dict() for d in self.differences],
                "search": {**self.search.to_dict(), "requests": self.requests,
                           "timeout_seconds": self.timeout}}


def known_pair(rule_base: RuleBase, first: str, second: str) -> None:
    """Two known, different ordinances (public ids), or an error naming the fix."""
    known_ordinance(rule_base, first)
    known_ordinance(rule_base, second)
    if first == second:
        raise EngineError(f"compare: both sides are '{first}'. Fix: name two different ordinances.")


def compare(rule_base: RuleBase, first: str, second: str, *, reading: str = "narrow",
            drops: Sequence[Drop] = (), timeout: float, requests: int,
            switches: Mapping[str, str] | None = None) -> Comparison:
    """Where `first` and `second` (public ids) give an action different statuses, over every case.

    ``drops`` (`engine.analysis.restriction.parse_drops`) removes sections of either
    ordinance before the search: what would change between them without it.
    ``switches`` (other interpretive switches) hold in every case searched.
    """
    known_pair(rule_base, first, second)
    check_limits(timeout, requests)
    catalog = rule_base.catalog
    constants = {"first": catalog.ordinances[first].constant,
                 "second": catalog.ordinances[second].constant, "requests": requests}
    restricted = restrict(rule_base, {constants["first"], constants["second"]}, drops)
    dropped = tuple(f"{catalog.ordinance_by_constant(d.ordinance).id}:{d.label()}" for d in drops)
    switches = check_readings(rule_base, {k: v for k, v in (switches or {}).items() if k != "usc_1373"})
    readings = {**switches, "usc_1373": reading}
    search = CaseSearch(restricted, ("case_space.lp", "minimal.lp", "comparison.lp"),
                        facts=reading_facts(readings), constants=constants)
    goals = []
    for goal in search.atoms_named("differs", 3):
        action, status_first, status_second = (str(a) for a in goal.arguments)
        goals.append((goal, f"{action} {status_first}/{status_second}",
                      f"{first}-{second}-{action}-{status_first}-{status_second}"))
    witnesses, report = minimal_witnesses(search, goals, timeout)
    differences: list[Difference] = []
    decided: dict[Case, Decision] = {}  # one witness case often shows several differences
    for goal, witness in witnesses:
        action, status_first, status_second = (str(a) for a in goal.arguments)
        content = replace(witness.case, id="")
        if content not in decided:
            decided[content] = decide(witness.case, restricted, ordinances=[first, second], readings=readings)
        decision = decided[content]
        row_first, row_second = decision.result(first, action), decision.result(second, action)
        if (row_first.status, row_second.status) != (status_first, status_second):
            raise RuntimeError(f"witness {witness.case.to_dict()} does not reproduce {first} "
                               f"{status_first} / {second} {status_second} on {action}")
        differences.append(Difference(action, row_first, row_second, witness))
    return Comparison(first, second, reading, tuple(differences), report, requests, timeout,
                      dropped, tuple(sorted(switches.items())))


def comparison_pairs(rule_base: RuleBase, chosen: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs of ordinances ``--compare`` names: each ``A:B`` of ``chosen``, or, for
    ``all``, every pair of local ordinances (built-in and ``--rules``) in catalog order."""
    if ALL_PAIRS in chosen:
        local = rule_base.catalog.local_ids()
        return [(a, b) for i, a in enumerate(local) for b in local[i + 1:]]
    pairs: list[tuple[str, str]] = []
    for value in chosen:
        first, colon, second = value.partition(":")
        if not colon or not first or not second:
            raise EngineError(f"--compare {value}: expected two ordinance ids joined by ':', or "
                              f"'{ALL_PAIRS}'. Fix: e.g. --compare beacon:westchester.")
        known_pair(rule_base, first, second)
        if (first, second) not in pairs:
            pairs.append((first, second))
    return pairs
