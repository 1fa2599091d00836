"""Conflicts with 8 U.S.C. § 1373 over every possible case.

One grounding of the ordinance, the federal law and the case space
(asp/analysis/conflict_1373.lp); then one solve asks whether any conflict
exists at all.  If not, the answer is a solver proof for every action at once.
If so, one solve per candidate action (an action the grounder could make a
conflict) finds a minimal witness or proves there is none for that action;
each witness is decided again (`engine.analysis.pipeline`) before it is reported.
"""

from __future__ import annotations

from typing import Mapping

import clingo

from engine.analysis.findings import FederalConflict, SearchReport, Witness
from engine.analysis.pipeline import Goal, verified_findings
from engine.analysis.search import CONFLICT_FOUND, FEDERAL_CONFLICT, CaseSearch
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.core.results import Decision, Result, Status
from engine.core.rulebase import RuleBase

__all__ = ["federal_conflicts"]

ENCODINGS = ("case_space.lp", "minimal.lp", "conflict_1373.lp")
#: What the local ordinance must say of an action in a conflict (federal law permits it).
PROHIBITING = (Status.FORBIDDEN, Status.CONFLICT)


def _items_in_conflict(local_row: Result, federal_row: Result) -> tuple[tuple[int, str], ...]:
    """The items (request, information) the local row forbids and the federal row protects."""
    protected = {(i.request, i.info) for i in federal_row.items if i.status == Status.PERMITTED}
    return tuple(sorted((i.request, i.info) for i in local_row.items
                        if i.status == Status.FORBIDDEN and (i.request, i.info) in protected))


def federal_conflicts(rule_base: RuleBase, local: str, against: str, reading: str, *,
                      timeout: float, requests: int, switches: Mapping[str, str] | None = None,
                      interchangeable_requests: bool = False
                      ) -> tuple[tuple[FederalConflict, ...], SearchReport]:
    """Every action `local` forbids where `against` protects it, each with a minimal witness.

    ``rule_base`` is already restricted to the two ordinances (and any drops);
    ``local`` and ``against`` are public ids.  ``interchangeable_requests``: the
    caller found that the rules treat requests alike (`CaseSearch`).
    """
    catalog = rule_base.catalog
    if not catalog.ordinances[against].federal:
        raise EngineError(f"--against: '{against}' is not federal law. Fix: use one of: "
                          f"{', '.join(o.id for o in catalog.ordinances.values() if o.federal)}.")
    readings = {**(switches or {}), "usc_1373": reading}  # other switches hold in every case searched
    search = CaseSearch(rule_base, ENCODINGS, facts=reading_facts(readings), constants={
        "local": catalog.ordinances[local].constant,
        "federal_law": catalog.ordinances[against].constant, "requests": requests},
        interchangeable_requests=interchangeable_requests)
    if search.minimal(clingo.Function(CONFLICT_FOUND.name), timeout).impossible:
        return (), SearchReport()
    goals = []
    for atom in search.atoms_of(FEDERAL_CONFLICT):
        action = str(FEDERAL_CONFLICT.argument(atom, "action"))
        goals.append(Goal(atom, action, action, f"{local}-{action}-{reading}"))

    restrictions_conflict = readings.get("usc_1373_restrictions", catalog.switches.get(
        "usc_1373_restrictions", ("prohibition_only", ()))[0]) == "restriction_conflicts"

    def reproduce(goal: Goal, decision: Decision, witness: Witness) -> FederalConflict | None:
        """The local prohibition (or restriction) and the federal protection, as the witness's
        decision shows them."""
        local_row, federal_row = decision.result(local, goal.action), decision.result(against, goal.action)
        if federal_row.status != Status.PERMITTED:
            return None
        if local_row.status in PROHIBITING:
            return FederalConflict(goal.action, local_row.status, local_row.sections, federal_row.sections,
                                   witness, items=_items_in_conflict(local_row, federal_row))
        if restrictions_conflict and local_row.restrictions:
            return FederalConflict(goal.action, local_row.status, local_row.restrictions, federal_row.sections,
                                   witness, by="restriction")
        return None

    return verified_findings(search, goals, reproduce, timeout=timeout, rule_base=rule_base,
                             ordinances=(local, against), readings=readings)
