"""Comparing two ordinances over every possible case (asp/analysis/comparison.lp).

For each action and each pair of different statuses the two ordinances can
give it in the same case (beacon forbidden, westchester silent, ...), a minimal
witness case, decided again under both ordinances for the sections on each side.

From those same searches, the relation of the two on each action
(`engine.analysis.findings.Relation`): equivalent, one stricter, or incomparable.
An ordinance restrains an act in a case when it forbids or obliges it there
(``restraint/2`` of comparison.lp: ``forbidden`` forbids, ``obligated`` obliges,
``conflict`` does both); A is stricter than B on an act when, in every case, A
forbids it wherever B does and obliges it wherever B does, and in some case does
more.  A status pair (S1, S2) shows the direction "first restrains beyond second"
when S1 carries a restraint S2 lacks.  So the direction holds iff some search of
such a pair found a witness, and it is proved not to hold iff every such pair is
impossible: proved so by its solve, or by grounding (a ``differs`` atom the grounder
did not keep is true in no case, since grounding keeps every atom that can be;
grounding has no time limit, so that proof is never cut short).  A pair whose
search timed out leaves its direction not known unless another pair shows it.
No solve is added: the minimal witness of a direction is the smallest of its
pairs' minimal witnesses, proved minimal once each of its pairs is settled.
READING: forbidding an act that the other obliges is no stricter, only different:
such a case shows both directions, so the two are incomparable on that act.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from engine.analysis.check import known_ordinance
from engine.analysis.findings import ActionRelation, Comparison, Difference, Direction, Witness
from engine.analysis.pipeline import Goal, verified_findings
from engine.analysis.restriction import Drop, restrict
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT, DIFFERS, CaseSearch, check_limits
from engine.analysis.symmetry import requests_interchangeable
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.core.results import Decision
from engine.core.rulebase import RuleBase
from engine.core.solve import check_readings
from engine.core.vocabulary import Predicate

__all__ = ["compare", "comparison_pairs", "known_pair", "ALL_PAIRS"]

#: The ``--compare`` value that names every pair of local ordinances.
ALL_PAIRS = "all"
#: comparison.lp: the restraint (forbid, oblige) that an act of a status is under: what
#: "stricter" means, read from the encoding so that it is defined once.
RESTRAINT = Predicate("restraint", 2, ("status", "restraint"))


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
    restraints: dict[str, set[str]] = {}
    for atom in search.atoms_of(RESTRAINT):
        restraints.setdefault(str(RESTRAINT.argument(atom, "status")), set()).add(
            str(RESTRAINT.argument(atom, "restraint")))
    found = {(d.action, d.first.status, d.second.status): d for d in differences}
    relations = tuple(_relation(action, goals, found, set(report.open_questions), restraints)
                      for action in catalog.actions)
    return Comparison(first, second, reading, differences, report, requests, timeout,
                      dropped, tuple(sorted(switches.items())), relations)


def _statuses(goal: Goal) -> tuple[str, str]:
    return str(DIFFERS.argument(goal.atom, "first_status")), str(DIFFERS.argument(goal.atom, "second_status"))


def _direction(pairs: list[tuple[Goal, Difference | None]], open_labels: set[str]) -> Direction:
    """One direction of restraint from the searches of its status pairs (each found, proved
    impossible, or open); a pair the grounder did not offer is impossible and is not listed."""
    found = [difference for _, difference in pairs if difference is not None]
    still_open = tuple(goal.label for goal, _ in pairs if goal.label in open_labels)
    if not found:
        return Direction(None if still_open else False, open=still_open, pairs_searched=len(pairs))
    smallest = min(found, key=lambda difference: difference.witness.facts)
    return Direction(True, smallest, not still_open and all(d.witness.minimal for d in found), still_open,
                     len(pairs))


def _relation(action: str, goals: Sequence[Goal], found: Mapping[tuple[str, str, str], Difference],
              open_labels: set[str], restraints: Mapping[str, set[str]]) -> ActionRelation:
    """How the two stand on ``action``, read off the searches of its status pairs (``found``: the
    differences by action and statuses; ``open_labels``: the goals whose searches timed out)."""
    mine = [(goal, found.get((action, *_statuses(goal)))) for goal in goals if goal.action == action]

    def beyond(own: int) -> list[tuple[Goal, Difference | None]]:
        """The pairs in which side ``own`` (0: first, 1: second) has a restraint the other lacks."""
        return [(goal, difference) for goal, difference in mine
                if restraints.get(_statuses(goal)[own], set()) - restraints.get(_statuses(goal)[1 - own], set())]

    identical = _direction(mine, open_labels).holds  # "some pair of statuses occurs", inverted below
    return ActionRelation(action, _direction(beyond(0), open_labels), _direction(beyond(1), open_labels),
                          None if identical is None else not identical, len(mine))


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
