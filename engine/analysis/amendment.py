"""The amendment gate: what a new version of an ordinance adds or takes away, over every possible case.

A drafting office that keeps its ordinance in a repository wants a CI step that fails
when an amendment does something nobody meant it to: forbid an act the old text let
officers do, impose a duty, strip a protection, or open a conflict with federal law.
Zelkova's ``CheckNoNewAccess`` does this for access policies; here it is built from the
searches `ordinance compare` and `ordinance check` already run, so every finding comes
with a minimal witness case and every "none" is a solver proof.

OLD and NEW are two ordinances of one rule base (say the built-in ``beacon`` and a
user's amended copy loaded with ``--rules`` under another public id).  The four kinds,
for an action in one case of the bounded case space (an ordinance *forbids* an act when
its status is ``forbidden`` or ``conflict``, and *obliges* it when ``obligated`` or
``conflict``):

* ``new-prohibition``: NEW forbids the act, OLD did not;
* ``new-duty``: NEW obliges the act, OLD did not;
* ``lost-protection``: OLD forbade the act and NEW does not (NEW permits it, is silent
  on it, or obliges it).  A prohibition is what protects a person from an act; once NEW
  no longer forbids it the person has lost that protection, whether NEW goes on to
  permit the act expressly or merely says nothing.  An OLD permission that NEW drops is
  not counted: it protected the officer, not the person, and a NEW prohibition in its
  place is a ``new-prohibition``;
* ``new-conflict``: NEW conflicts with federal law (``check NEW --against``) on an action
  and in a way (a prohibition, a restriction) in which OLD does not.

The first three come from one comparison (`engine.analysis.comparison.compare`), the
last from two checks (`engine.analysis.check.check`); only the searches the asked-for
kinds need are run.  A kind whose search timed out before finding anything is neither
found nor clean: the gate fails on it as not proved (`engine.analysis.gate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from engine.analysis.check import check, known_ordinance
from engine.analysis.comparison import compare, known_pair
from engine.analysis.findings import Comparison, Difference, FederalConflict, SearchReport, Witness
from engine.analysis.gate import Gate
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase

__all__ = ["KINDS", "AmendmentFinding", "KindOutcome", "Amendment", "amendment_gate", "gate_amendment", "cause"]

NEW_CONFLICT = "new-conflict"
NEW_PROHIBITION = "new-prohibition"
NEW_DUTY = "new-duty"
LOST_PROTECTION = "lost-protection"
#: What `ordinance gate --fail-on` can name, in the order the output lists them.
KINDS = (NEW_PROHIBITION, NEW_DUTY, LOST_PROTECTION, NEW_CONFLICT)

_FORBIDS = frozenset({"forbidden", "conflict"})
_OBLIGES = frozenset({"obligated", "conflict"})


@dataclass(frozen=True)
class AmendmentFinding:
    """One thing NEW does that OLD did not, on one action, with the case that shows it.

    ``sections`` are NEW's sections that cause it (those deciding the act, or the
    exceptions and permissions that now lift it); empty when no section of NEW speaks to
    the act in the witness (a lost protection by deletion), and ``old_sections`` then
    name what OLD said there.
    """

    kind: str
    action: str
    old_status: str
    new_status: str
    sections: tuple[str, ...]
    old_sections: tuple[str, ...]
    witness: Witness
    #: For a new conflict: the sections of federal law that protect the act.
    federal_sections: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind, "action": self.action, "old_status": self.old_status,
                "new_status": self.new_status, "new_sections": list(self.sections),
                "old_sections": list(self.old_sections)}
        if self.federal_sections:
            data["federal_sections"] = list(self.federal_sections)
        return {**data, **self.witness.finding_fields()}


@dataclass(frozen=True)
class KindOutcome:
    """One kind the gate looked for: what it found and how complete the searches behind it were.

    ``unproved`` says why "nothing found" is not a proof (a search timed out), or is
    empty when it is one; findings whose newness could not be settled are listed there too.
    """

    kind: str
    findings: tuple[AmendmentFinding, ...]
    unproved: tuple[str, ...] = ()

    @property
    def proved_clean(self) -> bool:
        return not self.findings and not self.unproved

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "found": [f.to_dict() for f in self.findings],
                "proved_none": self.proved_clean, "not_proved": list(self.unproved)}


@dataclass(frozen=True)
class Amendment:
    """Everything `ordinance gate OLD NEW` reports."""

    old: str
    new: str
    against: str
    reading: str
    switches: tuple[tuple[str, str], ...]
    requests: int
    timeout: float
    outcomes: tuple[KindOutcome, ...]

    def outcome(self, kind: str) -> KindOutcome:
        """The outcome of one kind (it must have been searched)."""
        return next(o for o in self.outcomes if o.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "against": self.against, "reading": self.reading,
                "switches": dict(self.switches), "kinds": [o.to_dict() for o in self.outcomes],
                "search": {"requests": self.requests, "timeout_seconds": self.timeout}}


def _kind_of_difference(difference: Difference) -> list[str]:
    """The kinds (of the three a comparison shows) one OLD/NEW status pair is."""
    old, new = str(difference.first.status), str(difference.second.status)
    kinds = []
    if new in _FORBIDS and old not in _FORBIDS:
        kinds.append(NEW_PROHIBITION)
    if new in _OBLIGES and old not in _OBLIGES:
        kinds.append(NEW_DUTY)
    if old in _FORBIDS and new not in _FORBIDS:
        kinds.append(LOST_PROTECTION)
    return kinds


def _sides(difference: Difference) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """NEW's sections behind its status (those deciding it, then the exceptions lifting a norm),
    and OLD's likewise."""
    def cited(row: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*row.sections, *row.exceptions)))
    return cited(difference.second), cited(difference.first)


def _from_comparison(comparison: Comparison, kinds: Sequence[str]) -> list[KindOutcome]:
    found: dict[str, list[AmendmentFinding]] = {kind: [] for kind in kinds}
    for difference in comparison.differences:
        for kind in _kind_of_difference(difference):
            if kind in found:
                new_sections, old_sections = _sides(difference)
                found[kind].append(AmendmentFinding(kind, difference.action, str(difference.first.status),
                                                    str(difference.second.status), new_sections, old_sections,
                                                    difference.witness))
    timed_out = () if comparison.search.complete else (
        f"the search for differences between {comparison.first} and {comparison.second} timed out on: "
        + ", ".join(comparison.search.open_questions),)
    return [KindOutcome(kind, tuple(found[kind]), () if found[kind] else timed_out) for kind in kinds]


def _timed_out(report: SearchReport | None) -> bool:
    return report is not None and not report.complete


def _new_conflicts(old: str, new: str, against: str, old_conflicts: Sequence[FederalConflict],
                   old_search: SearchReport | None, new_conflicts: Sequence[FederalConflict],
                   new_search: SearchReport | None) -> KindOutcome:
    """NEW's conflicts that OLD lacks, matched by action and by how the ordinance stands in the way."""
    had = {(c.action, c.by) for c in old_conflicts}
    findings: list[AmendmentFinding] = []
    unproved: list[str] = []
    for conflict in new_conflicts:
        if (conflict.action, conflict.by) in had:
            continue
        if _timed_out(old_search):
            unproved.append(f"{new} conflicts with {against} on {conflict.action}; whether {old} does too is "
                            "not known (its search timed out)")
            continue
        findings.append(AmendmentFinding(NEW_CONFLICT, conflict.action, "no conflict", str(conflict.local_status),
                                         conflict.sections, (), conflict.witness, conflict.federal_sections))
    if not findings and _timed_out(new_search):
        unproved.append(f"the search for conflicts of {new} with {against} timed out")
    return KindOutcome(NEW_CONFLICT, tuple(findings), tuple(unproved))


def amendment_gate(rule_base: RuleBase, old: str, new: str, *, kinds: Sequence[str] = KINDS,
                   against: str = "usc-1373", reading: str = "narrow",
                   switches: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                   requests: int = DEFAULT_REQUESTS) -> Amendment:
    """What NEW adds or takes away against OLD (public ids), for each of ``kinds`` (`KINDS`),
    over every case with at most ``requests`` requests; ``against`` is the federal law of
    ``new-conflict``.  Only the searches the kinds need are run."""
    known_pair(rule_base, old, new)
    known_ordinance(rule_base, against, "federal law")
    chosen = [kind for kind in KINDS if kind in kinds]
    if not chosen:
        raise EngineError(f"gate: no kind to look for. Fix: name one or more of {', '.join(KINDS)}.")
    switches = dict(switches or {})
    outcomes: list[KindOutcome] = []
    compared = [kind for kind in chosen if kind != NEW_CONFLICT]
    if compared:
        comparison = compare(rule_base, old, new, reading=reading, timeout=timeout, requests=requests,
                             switches=switches)
        outcomes += _from_comparison(comparison, compared)
    if NEW_CONFLICT in chosen:
        checks = [check(rule_base, ordinance, against=against, reading=reading, timeout=timeout,
                        requests=requests, internal=False, switches=switches) for ordinance in (old, new)]
        outcomes.append(_new_conflicts(old, new, against, checks[0].conflicts or (), checks[0].conflict_search,
                                       checks[1].conflicts or (), checks[1].conflict_search))
    return Amendment(old, new, against, reading, tuple(sorted(switches.items())), requests, timeout,
                     tuple(outcomes))


def cause(finding: AmendmentFinding, old: str, new: str) -> str:
    """Which sections of NEW cause a finding, in words: the sections, or, where no section of
    NEW speaks to the act, what OLD's sections said that NEW no longer does."""
    if finding.sections:
        return f"{new} {' '.join(finding.sections)}"
    if finding.old_sections:
        return f"no section of {new} applies ({old} {' '.join(finding.old_sections)} did)"
    return f"no section of {new} applies"


def gate_amendment(amendment: Amendment, kinds: Sequence[str]) -> Gate:
    """`gate --fail-on KIND`: each finding of a named kind (with NEW's sections), and each named
    kind whose search did not finish."""
    found: list[str] = []
    unproved: list[str] = []
    for outcome in amendment.outcomes:
        if outcome.kind not in kinds:
            continue
        found += (f"{outcome.kind}: {finding.action} {finding.new_status} under {amendment.new} "
                  f"(caused by: {cause(finding, amendment.old, amendment.new)})" for finding in outcome.findings)
        unproved += (f"{outcome.kind}: {why}" for why in outcome.unproved)
    return Gate(tuple(found), tuple(unproved))
