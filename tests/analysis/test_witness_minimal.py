"""Witnesses are minimal: no case with one fact fewer shows the finding.

The solver proves optimality; this checks it independently with `decide` on
every case obtained by removing one fact (or one whole request) from a witness.
Removing `in_custody` where the case needs it (release_eligible, inmate) would
leave an impossible case, so that removal is not tried.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable, Iterator

import pytest

from engine import decide
from engine.core.cases import REQUEST_FLAGS, Case, Request
from engine.analysis.check import check
from engine.cli import main


def smaller_cases(case: Case) -> Iterator[Case]:
    """Every case with one fact, or one request, less than ``case``."""
    if case.agency:
        yield replace(case, agency=None)
    for flag in case.person:
        if flag == "in_custody" and ("release_eligible" in case.person or "inmate" in case.roles):
            continue
        yield replace(case, person=case.person - {flag})
    for field in ("roles", "convictions"):
        for value in getattr(case, field):
            yield replace(case, **{field: tuple(v for v in getattr(case, field) if v != value)})
    for value in case.determinations:
        yield replace(case, determinations=case.determinations - {value})
    for index, request in enumerate(case.requests):
        others = case.requests[:index] + case.requests[index + 1:]
        yield replace(case, requests=others)
        for smaller in smaller_requests(request):
            yield replace(case, requests=case.requests[:index] + (smaller,) + case.requests[index + 1:])


def smaller_requests(request: Request) -> Iterator[Request]:
    for flag in REQUEST_FLAGS:
        if getattr(request, flag):
            yield replace(request, **{flag: False})
    for info in request.info:
        yield replace(request, info=tuple(i for i in request.info if i != info))
    if request.purpose:
        yield replace(request, purpose=None)
    if request.topic:
        yield replace(request, topic=None)


def assert_locally_minimal(case: Case, shows: Callable[[Case], bool]) -> None:
    assert shows(case)
    for smaller in smaller_cases(case):
        assert not shows(smaller), f"{smaller.to_dict()} is smaller than the witness and shows it too"


@pytest.mark.parametrize("ordinance", ["beacon", "westchester", "trust-act"])
def test_federal_conflict_witnesses_are_minimal(rules, ordinance: str) -> None:
    readings = {"usc_1373": "broad"}
    result = check(rules, ordinance, against="usc-1373", reading="broad", internal=False)
    assert result.conflicts
    for conflict in result.conflicts:
        def shows(case: Case, action: str = conflict.action) -> bool:
            decision = decide(case, rules, ordinances=[ordinance, "usc-1373"], readings=readings)
            return (decision.result(ordinance, action).status in ("forbidden", "conflict")
                    and decision.result("usc-1373", action).status == "permitted")
        assert_locally_minimal(conflict.witness.case, shows)


@pytest.mark.parametrize("ordinance", ["westchester", "nyc"])
def test_tension_witnesses_are_minimal(rules, ordinance: str) -> None:
    result = check(rules, ordinance)
    assert result.internal
    for finding in result.internal:
        def shows(case: Case, action: str = finding.action) -> bool:
            return bool(decide(case, rules, ordinances=[ordinance]).result(ordinance, action).tensions)
        assert_locally_minimal(finding.witness.case, shows)


def test_later_searches_are_not_bounded_by_earlier_optima(rules) -> None:
    """One grounding answers several questions: a witness larger than an earlier one is still found."""
    result = check(rules, "beacon", against="usc-1373", reading="broad", internal=False)
    sizes = {c.action: c.witness.facts for c in result.conflicts}
    assert sizes["notify_release"] == 1 and sizes["share_nonpublic_info"] == 2


def test_internal_only_json_says_conflicts_were_not_searched(capsys) -> None:
    assert main(["check", "beacon", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["against"] is None and data["conflicts"] is None
    assert data["internal"] == [] and data["search"]["internal"]["status"] == "complete"
