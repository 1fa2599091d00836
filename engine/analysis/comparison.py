"""Comparing two ordinances over every possible case (asp/analysis/comparison.lp).

For each action and each pair of different statuses the two ordinances can
give it in the same case (beacon forbidden, westchester silent, ...), a minimal
witness case, decided again under both ordinances for the sections on each side.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from engine.analysis.check import known_ordinance
from engine.analysis.findings import Comparison, Difference, Witness
from engine.analysis.pipeline import Goal, verified_findings
from engine.analysis.restriction import Drop, restrict
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT, DIFFERS, CaseSearch, check_limits
from engine.analysis.symmetry import requests_interchangeable
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.core.results import Decision
from engine.core.rulebase import RuleBase
from engine.core.solve import check_readings

__all__ = ["compare", "comparison_pairs", "known_pair", "ALL_PAIRS"]

#: The ``--compare`` value that names every pair of local ordinances.
ALL_PAIRS = "all"


def known_pair(rule_base: RuleBase, first: str, second: str) -> None:
    """Two known, different ordinances (public ids), or an error naming the fix."""
    known_ordinance(rule_base, first)
    known_ordinance(rule_base, second)
    if first == second:
        raise EngineError(f"compare: both sides are '{first}'. Fix: name two different ordinances.")


def compare(rule_base: RuleBase, first: str, second: str, *, reading: str = "narrow",
            drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT, requests: int = DEFAULT_REQUESTS,
            switches: Mapping[str, str] | None = None, break_symmetry: bool = True) -> Comparison:
    """Where `first` and `second` (public ids) give an action different statuses, over every case.

    ``drops`` (`engine.analysis.restriction.parse_drops`) removes sections of either
    ordinance before the search: what would change between them without it.
    ``switches`` (other interpretive switches) hold in every case searched.
    ``break_symmetry``: search one numbering of each case's requests where the rules
    allow it (`engine.analysis.symmetry`); False searches every numbering, for the
    tests that show both give the same answers.
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
                        facts=reading_facts(readings), constants=constants,
                        interchangeable_requests=break_symmetry and requests_interchangeable(rule_base))
    goals = []
    for atom in search.atoms_of(DIFFERS):
        action, status_first, status_second = (str(DIFFERS.argument(atom, role)) for role in DIFFERS.roles)
        goals.append(Goal(atom, action, f"{action} {status_first}/{status_second}",
                          f"{first}-{second}-{action}-{status_first}-{status_second}"))

    def reproduce(goal: Goal, decision: Decision, witness: Witness) -> Difference | None:
        """The two sides as the witness's decision shows them: the statuses the search claimed."""
        row_first, row_second = decision.result(first, goal.action), decision.result(second, goal.action)
        claimed = tuple(str(DIFFERS.argument(goal.atom, f"{side}_status")) for side in ("first", "second"))
        if (row_first.status, row_second.status) != claimed:
            return None
        return Difference(goal.action, row_first, row_second, witness)

    differences, report = verified_findings(search, goals, reproduce, timeout=timeout,
                                            rule_base=restricted, ordinances=(first, second),
                                            readings=readings)
    return Comparison(first, second, reading, differences, report, requests, timeout,
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
