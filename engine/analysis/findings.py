"""What the analysis finds, as data: findings with their witnesses, and how complete each search was.

Every result type of `check`, `compare` and the savings analysis lives here, so
the renderers (`engine.render`) and the analyses share one definition of each.
``to_dict`` gives exactly the contract's JSON ("A check" in docs/contract.md), plus the
additions documented in docs/contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.core.cases import Case
from engine.core.printable import printable
from engine.core.results import Result, Status, WordEnum

__all__ = ["SearchStatus", "Witness", "FederalConflict", "InternalFinding", "DeadRule", "SearchReport",
           "Check", "Difference", "Relation", "Direction", "ActionRelation", "relation_of", "Comparison",
           "SavingsTrial"]


class SearchStatus(WordEnum):
    """Whether a search finished: the solver answered every question (a case found, or a proof
    that none exists), or its time limit ran out first, which is never taken for "none"."""

    COMPLETE = "complete"
    TIMED_OUT = "timed out"


@dataclass(frozen=True)
class Witness:
    """A case the solver found, with its number of true facts and whether that number is proved least."""

    case: Case
    facts: int
    minimal: bool

    def to_dict(self) -> dict[str, Any]:
        return self.case.to_dict()

    def finding_fields(self) -> dict[str, Any]:
        """The witness as every finding's JSON ends: the case, its size, whether proved minimal."""
        return {"witness": self.to_dict(), "witness_facts": self.facts, "witness_minimal": self.minimal}


@dataclass(frozen=True)
class FederalConflict:
    """An action the ordinance forbids (or restricts) where federal law protects it, in the witness case.

    ``by`` says how the ordinance stands in the way: ``prohibition`` (the act is
    forbidden; ``sections`` decided it) or ``restriction`` (the act is allowed
    only under a condition; ``sections`` state the condition), the latter a
    conflict under the default reading of the switch usc_1373_restrictions.
    """

    action: str
    local_status: Status
    sections: tuple[str, ...]
    federal_sections: tuple[str, ...]
    witness: Witness
    by: str = "prohibition"
    #: Where the action is decided item by item: the items (request number, information) the
    #: ordinance forbids and federal law protects in the witness.
    items: tuple[tuple[int, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {"action": self.action, "local_status": self.local_status, "by": self.by,
                "sections": list(self.sections), "federal_sections": list(self.federal_sections)}
        if self.items:
            data["items"] = [{"request": request, "info": info} for request, info in self.items]
        return {**data, **self.witness.finding_fields()}


@dataclass(frozen=True)
class InternalFinding:
    """An action on which the ordinance is at odds with itself (`conflict` or `tension`)."""

    kind: str
    action: str
    sections: tuple[str, ...]
    witness: Witness

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "action": self.action, "sections": list(self.sections),
                **self.witness.finding_fields()}


@dataclass(frozen=True)
class DeadRule:
    """A rule of the ordinance that fires in no possible case (under any reading)."""

    sections: tuple[str, ...]
    where: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"sections": list(self.sections), "where": self.where, "rule": self.text}


@dataclass(frozen=True)
class SearchReport:
    """How far one analysis got: COMPLETE, or TIMED_OUT listing the questions left open."""

    status: SearchStatus = SearchStatus.COMPLETE
    open_questions: tuple[str, ...] = ()

    @classmethod
    def of(cls, open_questions: tuple[str, ...]) -> SearchReport:
        """The report of an analysis that left ``open_questions`` unanswered (none: complete)."""
        return cls(SearchStatus.TIMED_OUT if open_questions else SearchStatus.COMPLETE, open_questions)

    @property
    def complete(self) -> bool:
        return self.status is SearchStatus.COMPLETE

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "open": list(self.open_questions)}


@dataclass(frozen=True)
class Check:
    """Everything `ordinance check` reports for one ordinance (and one reading, one set of drops)."""

    ordinance: str
    against: str | None
    reading: str
    dropped: tuple[str, ...]
    requests: int
    timeout: float
    conflicts: tuple[FederalConflict, ...] | None
    conflict_search: SearchReport | None
    internal: tuple[InternalFinding, ...]
    internal_search: SearchReport | None
    dead_rules: tuple[DeadRule, ...] = ()
    gap_actions: tuple[str, ...] = ()
    gap_request_kinds: tuple[str, ...] = ()
    coverage_search: SearchReport | None = None
    #: Interpretive switches other than § 1373's reading, as (name, value) pairs.
    switches: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "ordinance": self.ordinance, "against": self.against, "reading": self.reading,
            "switches": dict(self.switches), "dropped": list(self.dropped),
            "conflicts": None if self.conflicts is None else [c.to_dict() for c in self.conflicts],
            "internal": [f.to_dict() for f in self.internal],
            "dead_rules": [d.to_dict() for d in self.dead_rules],
            "gaps": {"actions": list(self.gap_actions), "request_kinds": list(self.gap_request_kinds)},
            "search": {
                "conflicts": None if self.conflict_search is None else self.conflict_search.to_dict(),
                "internal": None if self.internal_search is None else self.internal_search.to_dict(),
                "coverage": None if self.coverage_search is None else self.coverage_search.to_dict(),
                "requests": self.requests, "timeout_seconds": self.timeout},
        }

    def __repr__(self) -> str:
        """Short, as a console or a notebook shows a bare check: the findings are its fields."""
        found = [] if self.conflicts is None else [_count(len(self.conflicts), "conflict")]
        if self.internal_search is not None:
            found.append(_count(len(self.internal), "internal finding"))
        searches = (self.conflict_search, self.internal_search, self.coverage_search)
        timed_out = any(search is not None and not search.complete for search in searches)
        against = f" against {self.against}" if self.against else ""
        return printable(f"<Check {self.ordinance}{against}, {self.reading} reading: "
                         f"{', '.join(found) or 'nothing searched'}"
                         f"{'; a search TIMED OUT' if timed_out else ''}>")

    def _repr_html_(self) -> str:
        """The check as a notebook shows it: a table of each kind of finding, with its witness."""
        from engine.render.notebook import check_html

        return check_html(self)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _side(row: Result) -> dict[str, Any]:
    return {"status": row.status, "sections": list(row.sections), "exceptions": list(row.exceptions)}


@dataclass(frozen=True)
class Difference:
    """One action on which two ordinances disagree, in the witness case."""

    action: str
    first: Result
    second: Result
    witness: Witness

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "first": _side(self.first), "second": _side(self.second),
                **self.witness.finding_fields()}


class Relation(WordEnum):
    """How two ordinances stand to each other on an action, over every case of the bounded case space.

    An ordinance *restrains* an act in a case when its status there forbids the act
    (``forbidden``, ``conflict``) or obliges it (``obligated``, ``conflict``); the table is
    ``restraint/2`` of asp/analysis/comparison.lp.  FIRST_STRICTER: in every case the
    first ordinance forbids the act wherever the second does and obliges it wherever the
    second does, and in some case it does more; SECOND_STRICTER the other way round;
    EQUIVALENT: the same restraints in every case; INCOMPARABLE: each restrains the act,
    in some case, in a way the other does not.  READING: a prohibition and a duty are
    different restraints, neither the stronger, so a case in which one forbids what the
    other obliges makes the two incomparable (it shows both directions), never ranks
    them.  UNKNOWN: a search timed out before settling a direction (never a proof).
    """

    EQUIVALENT = "equivalent"
    FIRST_STRICTER = "first_stricter"
    SECOND_STRICTER = "second_stricter"
    INCOMPARABLE = "incomparable"
    UNKNOWN = "unknown"


#: The relation given whether each direction holds (first restrains beyond second, and the reverse).
_RELATION = {(False, False): Relation.EQUIVALENT, (True, False): Relation.FIRST_STRICTER,
             (False, True): Relation.SECOND_STRICTER, (True, True): Relation.INCOMPARABLE}


@dataclass(frozen=True)
class Direction:
    """Whether one ordinance restrains an action, in some case, in a way the other does not.

    ``holds``: True with ``witness``, the difference (status pair and case) with fewest
    facts among those showing it; False when the solver proved that no case shows it
    (every status pair of this direction proved impossible, by a solve or by grounding);
    None when it found none but a search of this direction timed out (``open``).
    ``witness_minimal``: no case with fewer facts shows the direction, which needs every
    search of the direction finished and each witness proved minimal.
    """

    holds: bool | None
    witness: Difference | None = None
    witness_minimal: bool = False
    open: tuple[str, ...] = ()
    #: How many status pairs of this direction the solver was asked about: 0 when the grounder
    #: alone settled it (no pair of the direction can hold in any case).
    pairs_searched: int = 0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"holds": self.holds, "open": list(self.open), "pairs_searched": self.pairs_searched}
        if self.witness is not None:
            data.update({"first_status": self.witness.first.status, "second_status": self.witness.second.status,
                         **self.witness.witness.finding_fields(), "witness_minimal": self.witness_minimal})
        return data


def relation_of(first_beyond: bool | None, second_beyond: bool | None) -> tuple[Relation, tuple[Relation, ...]]:
    """The relation two directions make, and the relations not ruled out (one, unless a
    direction is not known: then the relation is UNKNOWN and the possible ones are listed)."""
    firsts = (False, True) if first_beyond is None else (first_beyond,)
    seconds = (False, True) if second_beyond is None else (second_beyond,)
    found = {_RELATION[(a, b)] for a in firsts for b in seconds}
    possible = tuple(r for r in Relation if r in found)
    return (possible[0] if len(possible) == 1 else Relation.UNKNOWN), possible


@dataclass(frozen=True)
class ActionRelation:
    """How two ordinances stand on one action over every case: each direction of restraint,
    and whether they give it the same status in every case (``identical``; None: not known).

    The relation is about restraint: two ordinances that differ on an act only as
    ``permitted`` against ``silent`` are EQUIVALENT on it, with ``identical`` False.
    """

    action: str
    first_beyond: Direction
    second_beyond: Direction
    identical: bool | None
    #: How many status pairs of the action the solver was asked about: 0 when the grounder
    #: alone showed that no case can give it two statuses (a proof no time limit can cut short).
    pairs_searched: int = 0

    @property
    def relation(self) -> Relation:
        return relation_of(self.first_beyond.holds, self.second_beyond.holds)[0]

    @property
    def possible(self) -> tuple[Relation, ...]:
        """The relations not ruled out: the relation itself once both directions are settled."""
        return relation_of(self.first_beyond.holds, self.second_beyond.holds)[1]

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "relation": self.relation, "possible": list(self.possible),
                "identical": self.identical, "pairs_searched": self.pairs_searched,
                "first_beyond_second": self.first_beyond.to_dict(),
                "second_beyond_first": self.second_beyond.to_dict()}


def _any(values: list[bool | None]) -> bool | None:
    """True if some value is, False if all are, else None (not known)."""
    return True if True in values else False if all(v is False for v in values) else None


@dataclass(frozen=True)
class Comparison:
    """Every way two ordinances can disagree, with minimal witnesses (`ordinance compare`),
    and how they stand on each action (``relations``: equivalent, one stricter, incomparable)."""

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
    #: One per action of the rule base, in the catalog's order.
    relations: tuple[ActionRelation, ...] = ()

    def relation(self, action: str) -> ActionRelation:
        """How the two stand on ``action`` (KeyError for an action not compared)."""
        for relation in self.relations:
            if relation.action == action:
                return relation
        raise KeyError(action)

    @property
    def overall(self) -> tuple[Relation, tuple[Relation, ...]]:
        """The relation over every action at once (the first stricter if it is at least as
        strict on every action and stricter on one), and the relations not ruled out (all of
        them when no relation was computed)."""
        if not self.relations:
            return relation_of(None, None)
        return relation_of(_any([r.first_beyond.holds for r in self.relations]),
                           _any([r.second_beyond.holds for r in self.relations]))

    def to_dict(self) -> dict[str, Any]:
        relation, possible = self.overall
        return {"first": self.first, "second": self.second, "reading": self.reading,
                "switches": dict(self.switches), "dropped": list(self.dropped),
                "differences": [d.to_dict() for d in self.differences],
                "search": {**self.search.to_dict(), "requests": self.requests,
                           "timeout_seconds": self.timeout},
                "overall_relation": {"relation": relation, "possible": list(possible)},
                "relations": [r.to_dict() for r in self.relations]}

    def __repr__(self) -> str:
        """Short, as a console or a notebook shows a bare comparison: the findings are ``differences``."""
        overall = f"; over all actions: {self.overall[0]}" if self.relations else ""
        return printable(f"<Comparison {self.first} vs {self.second}, {self.reading} reading: "
                         f"{_count(len(self.differences), 'difference')}{overall}"
                         f"{'' if self.search.complete else '; the search TIMED OUT'}>")

    def _repr_html_(self) -> str:
        """The comparison as a notebook shows it: a table of the differences, with their witnesses."""
        from engine.render.notebook import comparison_html

        return comparison_html(self)


@dataclass(frozen=True)
class SavingsTrial:
    """The conflict search under one reading with some savings sections removed."""

    ordinance: str
    reading: str
    removed: tuple[str, ...]
    new_conflicts: tuple[FederalConflict, ...]
    search: SearchReport

    @property
    def load_bearing(self) -> bool | None:
        """Removing the sections creates a conflict the ordinance as written does not have;
        None when no such conflict was found but a search ran out of time (not known)."""
        if self.new_conflicts:
            return True
        return False if self.search.complete else None

    def to_dict(self) -> dict[str, Any]:
        return {"ordinance": self.ordinance, "reading": self.reading, "removed": list(self.removed),
                "load_bearing": self.load_bearing,
                "new_conflicts": [c.to_dict() for c in self.new_conflicts],
                "search": self.search.to_dict()}
