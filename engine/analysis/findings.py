"""What a check finds, as data: findings with their witnesses, and how complete each search was.

``to_dict`` gives exactly the contract's JSON ("A check" in CASES.md), plus the
additions documented in docs/contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.core.cases import Case

__all__ = ["Witness", "FederalConflict", "InternalFinding", "DeadRule", "SearchReport", "Check",
           "COMPLETE", "TIMED_OUT"]

COMPLETE, TIMED_OUT = "complete", "timed out"


@dataclass(frozen=True)
class Witness:
    """A case the solver found, with its number of true facts and whether that number is proved least."""

    case: Case
    facts: int
    minimal: bool

    def to_dict(self) -> dict[str, Any]:
        return self.case.to_dict()


@dataclass(frozen=True)
class FederalConflict:
    """An action the ordinance forbids where federal law protects it, in the witness case."""

    action: str
    local_status: str
    sections: tuple[str, ...]
    federal_sections: tuple[str, ...]
    witness: Witness

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "local_status": self.local_status,
                "sections": list(self.sections), "federal_sections": list(self.federal_sections),
                "witness": self.witness.to_dict(), "witness_facts": self.witness.facts,
                "witness_minimal": self.witness.minimal}


@dataclass(frozen=True)
class InternalFinding:
    """An action on which the ordinance is at odds with itself (`conflict` or `tension`)."""

    kind: str
    action: str
    sections: tuple[str, ...]
    witness: Witness

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "action": self.action, "sections": list(self.sections),
                "witness": self.witness.to_dict(), "witness_facts": self.witness.facts,
                "witness_minimal": self.witness.minimal}


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
    """How far one analysis got: COMPLETE (every question answered by the solver, a
    found case or a proof that none exists) or TIMED_OUT, listing the open questions."""

    status: str = COMPLETE
    open_questions: tuple[str, ...] = ()

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
