"""`check`: an ordinance against federal law and against itself, over every possible case.

Puts the searches together for one ordinance, one reading and one set of
dropped sections: the rule base is first restricted to the ordinance and the
federal law (engine.analysis.restriction), so the grounding holds nothing else.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from engine.analysis.federal import federal_conflicts
from engine.analysis.findings import Check, SavingsTrial
from engine.analysis.internal import dead_rules_and_gaps, internal_findings
from engine.analysis.restriction import Drop, restrict
from engine.analysis.savings import savings_analysis
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT, check_limits
from engine.analysis.symmetry import requests_interchangeable
from engine.core.rulebase import RuleBase
from engine.core.solve import check_readings
from engine.core.suggest import known_ordinance_id

__all__ = ["check", "check_all", "known_ordinance", "READINGS"]

READINGS = ("narrow", "broad")


def known_ordinance(rule_base: RuleBase, public_id: str, what: str = "ordinance") -> str:
    """The public id, checked: an unknown id is an error naming the known ones."""
    return known_ordinance_id(rule_base.catalog, public_id, what)


def check(rule_base: RuleBase, ordinance: str, *, against: str | None = None, reading: str = "narrow",
          drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT,
          requests: int = DEFAULT_REQUESTS, internal: bool = True,
          switches: Mapping[str, str] | None = None, break_symmetry: bool = True) -> Check:
    """Search every possible case for conflicts with ``against`` and (``internal``) within the ordinance.

    Parameters
    ----------
    ordinance, against:
        Public ids (``westchester``, ``usc-1373``); without ``against`` only the
        internal analysis runs.
    reading:
        The reading of 8 U.S.C. § 1373: ``narrow`` or ``broad``.
    drops:
        Sections removed before the search (`engine.analysis.restriction.parse_drop`).
    timeout:
        Seconds allowed to each solver search; a search that runs out is reported
        as timed out, never as "nothing found".
    requests:
        The most requests a case of the search space holds.
    switches:
        Other interpretive switches (``{"trust_act_2b": "any_source"}``), fixed for
        every case searched; dead rules and gaps are judged under every reading.
    break_symmetry:
        Search one numbering of each case's requests where the rules allow it
        (`engine.analysis.symmetry`, asp/analysis/symmetry.lp); False searches every
        numbering, for the tests that show both give the same answers.
    """
    catalog = rule_base.catalog
    known_ordinance(rule_base, ordinance)
    check_limits(timeout, requests)
    switches = check_readings(rule_base, {k: v for k, v in (switches or {}).items() if k != "usc_1373"})
    keep = {catalog.ordinances[ordinance].constant}
    if against is not None:
        keep.add(catalog.ordinances[known_ordinance(rule_base, against, "federal law")].constant)
    restricted = restrict(rule_base, keep, drops)
    symmetric = break_symmetry and requests_interchangeable(rule_base)
    conflicts = conflict_search = None
    if against is not None:
        conflicts, conflict_search = federal_conflicts(restricted, ordinance, against, reading,
                                                       timeout=timeout, requests=requests,
                                                       switches=switches, interchangeable_requests=symmetric)
    found, internal_search, coverage = (), None, None
    dead, gap_actions, gap_kinds = (), (), ()
    if internal:
        local_only = restrict(rule_base, {catalog.ordinances[ordinance].constant}, drops)
        found, internal_search = internal_findings(local_only, ordinance, reading,
                                                   timeout=timeout, requests=requests,
                                                   switches=switches, interchangeable_requests=symmetric)
        dead, gap_actions, gap_kinds, coverage = dead_rules_and_gaps(local_only, ordinance,
                                                                     timeout=timeout, requests=requests,
                                                                     interchangeable_requests=symmetric)
    return Check(ordinance, against, reading, tuple(d.label() for d in drops), requests, timeout,
                 conflicts, conflict_search, found, internal_search, dead, gap_actions, gap_kinds,
                 coverage, tuple(sorted(switches.items())))


def check_all(rule_base: RuleBase, against: str = "usc-1373", *, timeout: float = DEFAULT_TIMEOUT,
              requests: int = DEFAULT_REQUESTS, switches: Mapping[str, str] | None = None,
              break_symmetry: bool = True,
              progress: Callable[[str, int, int], None] | None = None) -> tuple[list[Check], list[SavingsTrial]]:
    """Every local ordinance under every reading, and every savings clause's trial (`check --all`),
    with the other interpretive ``switches`` held in every case searched (``break_symmetry``: as
    for `check`).  ``progress(step, done, total)`` is told before each search (the report's
    progress line)."""
    report = progress or (lambda step, done, total: None)
    limits = {"timeout": timeout, "requests": requests, "switches": switches, "break_symmetry": break_symmetry}
    ordinances = rule_base.catalog.local_ids()
    checks: list[Check] = []
    for ordinance in ordinances:
        for reading in READINGS:
            report("checks", len(checks), len(ordinances) * len(READINGS))
            checks.append(check(rule_base, ordinance, against=against, reading=reading, **limits))
    trials: list[SavingsTrial] = []
    for done, ordinance in enumerate(ordinances):
        report("savings clauses", done, len(ordinances))
        trials += savings_analysis(rule_base, ordinance, against, READINGS, **limits)
    return checks, trials
