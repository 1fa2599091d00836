"""Comparing two ordinances on a caseload: how many of the user's own cases they decide differently.

`engine.analysis.comparison` answers "is there *any* case, within the bounded case space,
where the two texts disagree?" with a minimal witness.  A county weighing a model policy
asks the next question about the cases it actually has: how many of them, and which,
would come out differently.  This module counts that, over exactly the cases given.

The cases are read as `ordinance batch` reads them (`engine.batch.io.read_inputs`) and
decided by the batch machinery (`engine.batch.solver.decide_chunk`, one grounding for
all), so a caseload of many thousands of cases takes seconds.  A case that cannot be read
or validated is counted as an error, never dropped: a count that silently skipped bad
rows would understate the differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Mapping, Sequence

from engine.analysis.comparison import known_pair
from engine.analysis.gate import Gate
from engine.analysis.restriction import Drop, restrict
from engine.batch.solver import BLOCK, BatchOptions, CaseInput, decide_chunk
from engine.core.rulebase import RuleBase

__all__ = ["StatusPairCount", "CaseloadError", "CaseloadComparison", "compare_caseload", "gate_caseload"]


@dataclass(frozen=True)
class StatusPairCount:
    """The cases on which ``first`` gives ``action`` one status and ``second`` another."""

    action: str
    first_status: str
    second_status: str
    #: Every such case's id, in input order.
    cases: tuple[str, ...]

    def to_dict(self, show: int | None = None) -> dict[str, Any]:
        shown = self.cases if show is None else self.cases[:show]
        return {"action": self.action, "first_status": self.first_status,
                "second_status": self.second_status, "count": len(self.cases), "cases": list(shown)}


@dataclass(frozen=True)
class CaseloadError:
    """A case of the caseload that could not be decided: where it is and why (as `batch` reports it)."""

    case: str
    where: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"case": self.case, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class CaseloadComparison:
    """Two ordinances over a caseload: the status pairs they differ by, counted per action."""

    first: str
    second: str
    source: str
    #: The interpretive switches every case was decided under, as (name, value) pairs.
    readings: tuple[tuple[str, str], ...]
    dropped: tuple[str, ...]
    #: Cases read, decided and differing (a case differs when some action's statuses differ).
    total: int
    decided: int
    differing: int
    pairs: tuple[StatusPairCount, ...]
    errors: tuple[CaseloadError, ...]

    def to_dict(self, show: int | None = None) -> dict[str, Any]:
        """As JSON; ``show`` keeps the first N case ids of each status pair (None: every one)."""
        return {"first": self.first, "second": self.second, "cases_from": self.source,
                "scope": "counts over the given cases only, not over every possible case",
                "readings": dict(self.readings), "dropped": list(self.dropped),
                "cases": {"total": self.total, "decided": self.decided, "differing": self.differing,
                          "errors": len(self.errors)},
                "differences": [pair.to_dict(show) for pair in self.pairs],
                "errors": [error.to_dict() for error in self.errors]}


def _statuses(results: Iterable[Mapping[str, Any]], first: str, second: str) -> dict[str, list[str | None]]:
    """Per action of a row: the status under ``first`` and under ``second`` (None: not ruled on)."""
    by_action: dict[str, list[str | None]] = {}
    for result in results:
        side = 0 if result["ordinance"] == first else 1 if result["ordinance"] == second else None
        if side is not None:
            by_action.setdefault(result["action"], [None, None])[side] = str(result["status"])
    return by_action


def compare_caseload(rule_base: RuleBase, first: str, second: str, inputs: Iterable[CaseInput], *,
                     source: str, readings: Mapping[str, str] | None = None,
                     drops: Sequence[Drop] = ()) -> CaseloadComparison:
    """Decide every case of ``inputs`` under ``first`` and ``second`` (public ids) and count,
    per action and per pair of different statuses, the cases on which they differ.

    ``readings`` (every interpretive switch, § 1373's reading included) hold for every case;
    ``drops`` remove sections before deciding, as `compare --drop` does.  ``source`` names
    the caseload in the output.  Cases are decided `BLOCK` at a time, so memory stays flat
    in the caseload's size apart from the ids of the differing cases.
    """
    known_pair(rule_base, first, second)
    catalog = rule_base.catalog
    keep = {catalog.ordinances[first].constant, catalog.ordinances[second].constant}
    restricted = restrict(rule_base, keep, drops)
    chosen = tuple(sorted((readings or {}).items()))
    options = BatchOptions(ordinances=(first, second), readings=chosen, include_silent=True)
    found: dict[tuple[str, str, str], list[str]] = {}
    errors: list[CaseloadError] = []
    total = differing = 0
    stream = iter(inputs)
    while chunk := list(islice(stream, BLOCK)):
        total += len(chunk)
        for item, row in zip(chunk, decide_chunk(chunk, restricted, options), strict=True):
            if "error" in row:
                error = row["error"]
                errors.append(CaseloadError(str(row["case"]), error["where"] or item.where, error["message"]))
                continue
            differs = False
            for action, (status_first, status_second) in _statuses(row["results"], first, second).items():
                if status_first != status_second:
                    differs = True
                    found.setdefault((action, str(status_first), str(status_second)), []).append(str(row["case"]))
            differing += differs
    order = {action: index for index, action in enumerate(catalog.actions)}
    pairs = tuple(StatusPairCount(action, status_first, status_second, tuple(cases))
                  for (action, status_first, status_second), cases in
                  sorted(found.items(), key=lambda kv: (order.get(kv[0][0], len(order)), -len(kv[1]), kv[0])))
    dropped = tuple(f"{catalog.ordinance_by_constant(d.ordinance).id}:{d.label()}" for d in drops)
    return CaseloadComparison(first, second, source, chosen, dropped, total, total - len(errors),
                              differing, pairs, tuple(errors))


def gate_caseload(caseload: CaseloadComparison) -> Gate:
    """`compare --cases --fail-on difference`: fails when some case of the caseload is decided
    differently.  Counts over given cases are exact, so there is nothing left unproved."""
    if not caseload.pairs:
        return Gate()
    actions = list(dict.fromkeys(pair.action for pair in caseload.pairs))
    return Gate((f"{caseload.first} and {caseload.second} decide {caseload.differing:,} of the "
                 f"{caseload.decided:,} decided cases differently, on {len(actions)} action(s): "
                 f"{', '.join(actions)}",))
