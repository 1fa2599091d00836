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
           "Check", "Difference", "Comparison", "SavingsTrial"]


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


@dataclass(frozen=True)
class Comparison:
    """Every way two ordinances can disagree, with minimal witnesses (`ordinance compare`)."""

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

    def __repr__(self) -> str:
        """Short, as a console or a notebook shows a bare comparison: the findings are ``differences``."""
        return printable(f"<Comparison {self.first} vs {self.second}, {self.reading} reading: "
                         f"{_count(len(self.differences), 'difference')}"
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
