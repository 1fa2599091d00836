"""Witnesses are minimal: no case with one fact fewer shows the finding.

The solver proves optimality; this checks it independently with `decide` on
every case obtained by removing one fact (or one whole request) from a witness.
Removing `in_custody` where the case needs it (release_eligible, inmate) would
leave an impossible case, which the validator rejects, so that removal is not tried.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable, Iterator

import pytest

from engine import decide
from engine.core.cases import Case, parse_case
from engine.core.errors import CaseError
from engine.core.vocabulary import fact_field
from engine.analysis.check import check
from tests.conftest import Cli


def smaller_cases(case: Case, rules) -> Iterator[Case]:
    """Every valid case with one fact, or one whole request, less than ``case``.

    A request's kind goes with the request (the later ones are renumbered) and
    its sender cannot go alone (every request has one); a removal that leaves a
    case the validator rejects (release_eligible without in_custody) is skipped.
    """
    for fact in case.facts:
        field = fact_field(str(fact[0]))
        if field.default is not None:
            continue
        if field.required:
            number = fact[1]
            kept = [f if len(f) < 3 or f[1] < number else (f[0], f[1] - 1, f[2])
                    for f in case.facts if len(f) < 3 or f[1] != number]
        else:
            kept = [f for f in case.facts if f != fact]
        smaller = replace(case, facts=tuple(kept))
        try:
            yield parse_case(smaller.to_dict(), rules.catalog, "smaller", case.id)
        except CaseError:
            continue


def assert_locally_minimal(case: Case, shows: Callable[[Case], bool], rules) -> None:
    assert shows(case)
    for smaller in smaller_cases(case, rules):
        assert not shows(smaller), f"{smaller.to_dict()} is smaller than the witness and shows it too"


# Westchester has no conflict under the broad reading since its information rules are
# stated item by item (issue 10): test_westchester_broad_conflict_only_came_from_mixed_items.
@pytest.mark.parametrize("ordinance", ["beacon", "trust-act"])
def test_federal_conflict_witnesses_are_minimal(rules, ordinance: str) -> None:
    readings = {"usc_1373": "broad"}
    result = check(rules, ordinance, against="usc-1373", reading="broad", internal=False)
    assert result.conflicts
    for conflict in result.conflicts:
        def shows(case: Case, action: str = conflict.action) -> bool:
            decision = decide(case, rules, ordinances=[ordinance, "usc-1373"], readings=readings)
            return (decision.result(ordinance, action).status in ("forbidden", "conflict")
                    and decision.result("usc-1373", action).status == "permitted")
        assert_locally_minimal(conflict.witness.case, shows, rules)


def test_westchester_broad_conflict_only_came_from_mixed_items(rules) -> None:
    """The v1 witness (a request for a confidential item and a work address) mixed an item
    Westchester forbids with one § 1373 protects under the broad reading; decided item by item,
    no possible case has a conflict, and the search proves it."""
    result = check(rules, "westchester", against="usc-1373", reading="broad", internal=False)
    assert result.conflicts == () and result.conflict_search.complete


@pytest.mark.parametrize("ordinance", ["westchester", "nyc"])
def test_tension_witnesses_are_minimal(rules, ordinance: str) -> None:
    result = check(rules, ordinance)
    assert result.internal
    for finding in result.internal:
        def shows(case: Case, action: str = finding.action) -> bool:
            return bool(decide(case, rules, ordinances=[ordinance]).result(ordinance, action).tensions)
        assert_locally_minimal(finding.witness.case, shows, rules)


def test_later_searches_are_not_bounded_by_earlier_optima(rules) -> None:
    """One grounding answers several questions: a witness larger than an earlier one is still found."""
    result = check(rules, "beacon", against="usc-1373", reading="broad", internal=False)
    sizes = {c.action: c.witness.facts for c in result.conflicts}
    assert sizes["notify_release"] == 1 and sizes["share_nonpublic_info"] == 2


def test_internal_only_json_says_conflicts_were_not_searched(cli: Cli) -> None:
    status, out, _ = cli("check", "beacon", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["against"] is None and data["conflicts"] is None
    assert data["internal"] == [] and data["search"]["internal"]["status"] == "complete"
