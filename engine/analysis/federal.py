"""Conflicts with 8 U.S.C. § 1373 over every possible case.

One grounding of the ordinance, the federal law and the case space
(asp/analysis/conflict_1373.lp); then one solve asks whether any conflict
exists at all.  If not, the answer is a solver proof for every action at once.
If so, one solve per candidate action (an action the grounder could make a
conflict) finds a minimal witness or proves there is none for that action.
Each witness is decided again with `engine.decide` before it is reported.
"""

from __future__ import annotations

from typing import Mapping
import clingo

from engine.core.cases import Case
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.analysis.findings import COMPLETE, FederalConflict, SearchReport
from engine.core.rulebase import RuleBase
from engine.analysis.search import NONE, CaseSearch
from engine.core.solve import decide
from engine.analysis.witness import minimal_witnesses

__all__ = ["federal_conflicts"]

ENCODINGS = ("case_space.lp", "minimal.lp", "conflict_1373.lp")


def _verified(case: Case, rule_base: RuleBase, local: str, against: str, action: str,
              readings: dict[str, str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Decide the witness again; it must show the local prohibition and the federal protection."""
    decision = decide(case, rule_base, ordinances=[local, against], readings=readings)
    local_row, federal_row = decision.result(local, action), decision.result(against, action)
    if local_row.status not in ("forbidden", "conflict") or federal_row.status != "permitted":
        raise RuntimeError(f"witness {case.to_dict()} does not reproduce the conflict on {action}: "
                           f"{local} {local_row.status}, {against} {federal_row.status}")
    return local_row.status, local_row.sections, federal_row.sections


def federal_conflicts(rule_base: RuleBase, local: str, against: str, reading: str, *,
                      timeout: float, requests: int, switches: Mapping[str, str] | None = None
                      ) -> tuple[tuple[FederalConflict, ...], SearchReport]:
    """Every action `local` forbids where `against` protects it, each with a minimal witness.

    ``rule_base`` is already restricted to the two ordinances (and any drops);
    ``local`` and ``against`` are public ids.
    """
    catalog = rule_base.catalog
    if not catalog.ordinances[against].federal:
        raise EngineError(f"--against: '{against}' is not federal law. Fix: use one of: "
                          f"{', '.join(o.id for o in catalog.ordinances.values() if o.federal)}.")
    readings = {**(switches or {}), "usc_1373": reading}  # other switches hold in every case searched
    search = CaseSearch(rule_base, ENCODINGS, facts=reading_facts(readings), constants={
        "local": catalog.ordinances[local].constant,
        "federal_law": catalog.ordinances[against].constant, "requests": requests})
    anything = search.minimal(clingo.Function("conflict_found"), timeout)
    if anything.status == NONE:
        return (), SearchReport(COMPLETE)
    goals = [(goal, str(goal.arguments[0]), f"{local}-{goal.arguments[0]}-{reading}")
             for goal in search.atoms_named("federal_conflict", 1)]
    witnesses, report = minimal_witnesses(search, goals, timeout)
    found = []
    for goal, witness in witnesses:
        action = str(goal.arguments[0])
        status, sections, federal_sections = _verified(witness.case, rule_base, local, against,
                                                       action, readings)
        found.append(FederalConflict(action, status, sections, federal_sections, witness))
    return tuple(found), report
