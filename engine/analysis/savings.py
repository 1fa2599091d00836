"""Which savings clauses and carve-outs are load-bearing against federal law.

For each section that could save an ordinance from a federal conflict (a
`prevails/2` savings clause, or a section whose exception lifts a prohibition
of an act § 1373 protects in some possible case: asp/analysis/savings.lp), the
conflict search is run again with that section's exceptions and permissions
removed (`Drop(..., exceptions_only=True)`).  A section is load-bearing when
its removal creates a conflict.  The same is done with all of them removed at
once, since two clauses can each save the same act (Westchester 7(a) and 15).
"""

from __future__ import annotations

from typing import Mapping

from engine.analysis.federal import federal_conflicts
from engine.analysis.findings import SavingsTrial, SearchReport, SearchStatus
from engine.analysis.restriction import Drop, restrict
from engine.analysis.search import SAVING, CaseSearch
from engine.analysis.symmetry import requests_interchangeable
from engine.core.catalog import section_sort_key
from engine.core.rulebase import RuleBase

__all__ = ["saving_sections", "savings_analysis"]


def saving_sections(rule_base: RuleBase, local: str, against: str, *, timeout: float,
                    requests: int, interchangeable_requests: bool = False) -> tuple[str, ...] | None:
    """The sections of `local` that could save it from a conflict with `against`, in section order;
    None when the search for them ran out of time.  ``interchangeable_requests``: the caller
    found that the rules treat requests alike (`CaseSearch`)."""
    catalog = rule_base.catalog
    constants = {"local": catalog.ordinances[local].constant,
                 "federal_law": catalog.ordinances[against].constant, "requests": requests}
    restricted = restrict(rule_base, {constants["local"], constants["federal_law"]})
    search = CaseSearch(restricted, ("case_space.lp", "any_reading.lp", "savings.lp"),
                        constants=constants, brave=True, interchangeable_requests=interchangeable_requests)
    possible, status = search.brave(timeout)
    if status is SearchStatus.TIMED_OUT:
        return None
    sections = {SAVING.argument(atom, "section").string for atom in possible if SAVING.matches(atom)}
    return tuple(sorted(sections, key=section_sort_key))


def savings_analysis(rule_base: RuleBase, local: str, against: str, readings: tuple[str, ...], *,
                     timeout: float, requests: int, switches: Mapping[str, str] | None = None,
                     break_symmetry: bool = True) -> tuple[SavingsTrial, ...]:
    """For each savings section alone, then all together, and each reading: the conflicts its
    removal creates (actions in conflict without it that are not in conflict with it).

    ``break_symmetry``: search one numbering of each case's requests where the rules
    allow it (`engine.analysis.symmetry`); False searches every numbering, for the tests
    that show both give the same answers.
    """
    constant = rule_base.catalog.ordinances[local].constant
    federal = rule_base.catalog.ordinances[against].constant
    symmetric = break_symmetry and requests_interchangeable(rule_base)
    sections = saving_sections(rule_base, local, against, timeout=timeout, requests=requests,
                               interchangeable_requests=symmetric)
    if sections is None:  # not known which sections save it: one open trial per reading says so
        open_search = SearchReport(SearchStatus.TIMED_OUT, ("which sections could save it",))
        return tuple(SavingsTrial(local, reading, (), (), open_search) for reading in readings)
    groups = [(section,) for section in sections]
    if len(sections) > 1:
        groups.append(sections)
    as_written = restrict(rule_base, {constant, federal})
    baseline = {reading: federal_conflicts(as_written, local, against, reading, timeout=timeout,
                                           requests=requests, switches=switches,
                                           interchangeable_requests=symmetric) for reading in readings}
    trials = []
    for group in groups:
        drops = [Drop(constant, section, exceptions_only=True) for section in group]
        restricted = restrict(rule_base, {constant, federal}, drops)
        for reading in readings:
            conflicts, report = federal_conflicts(restricted, local, against, reading,
                                                  timeout=timeout, requests=requests, switches=switches,
                                                  interchangeable_requests=symmetric)
            written_conflicts, written_report = baseline[reading]
            new = tuple(c for c in conflicts if c.action not in {w.action for w in written_conflicts})
            if not written_report.complete:  # the comparison is only as complete as both searches
                report = SearchReport(SearchStatus.TIMED_OUT,
                                      report.open_questions + written_report.open_questions)
            trials.append(SavingsTrial(local, reading, group, new, report))
    return tuple(trials)
