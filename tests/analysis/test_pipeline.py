"""The one analysis pipeline: every witness is decided again, and one that does not show its
finding is an error, never a printed finding; a time-out is an open question, never a proof."""

from __future__ import annotations

import json

import pytest

from engine.analysis.findings import SearchReport, SearchStatus
from engine.analysis.pipeline import Goal, verified_findings
from engine.analysis.restriction import restrict
from engine.analysis.search import FEDERAL_CONFLICT, CaseSearch
from engine.core.facts import reading_facts

READINGS = {"usc_1373": "broad"}


@pytest.fixture(scope="module")
def beacon_search(rules) -> tuple:
    """Beacon against § 1373 under the broad reading, where the search finds conflicts."""
    ordinances = rules.catalog.ordinances
    restricted = restrict(rules, {ordinances["beacon"].constant, ordinances["usc-1373"].constant})
    search = CaseSearch(restricted, ("case_space.lp", "minimal.lp", "conflict_1373.lp"),
                        facts=reading_facts(READINGS),
                        constants={"local": ordinances["beacon"].constant,
                                   "federal_law": ordinances["usc-1373"].constant, "requests": 2})
    goals = [Goal(atom, str(atom.arguments[0]), str(atom.arguments[0]), f"test-{atom.arguments[0]}")
             for atom in search.atoms_of(FEDERAL_CONFLICT)]
    assert goals
    return restricted, search, goals


def test_each_finding_comes_from_its_decided_witness(beacon_search) -> None:
    restricted, search, goals = beacon_search
    seen = []
    found, report = verified_findings(
        search, goals, lambda goal, decision, witness: seen.append((goal, decision, witness)) or goal.action,
        timeout=30, rule_base=restricted, ordinances=("beacon", "usc-1373"), readings=READINGS)
    assert report == SearchReport() and found
    for goal, decision, witness in seen:
        assert witness.case.id == goal.witness_id and witness.minimal
        assert decision.result("usc-1373", goal.action).status == "permitted"


def test_a_witness_that_does_not_reproduce_is_an_error(beacon_search) -> None:
    restricted, search, goals = beacon_search
    with pytest.raises(RuntimeError, match="does not reproduce .*decided beacon .*usc-1373 permitted"):
        verified_findings(search, goals, lambda *_: None, timeout=30, rule_base=restricted,
                          ordinances=("beacon", "usc-1373"), readings=READINGS)


def test_a_time_out_is_an_open_question(beacon_search) -> None:
    restricted, search, goals = beacon_search
    found, report = verified_findings(search, goals, lambda goal, *_: goal.label, timeout=1e-9,
                                      rule_base=restricted, ordinances=("beacon", "usc-1373"),
                                      readings=READINGS)
    assert report.status is SearchStatus.TIMED_OUT and report.open_questions
    assert not set(found) & set(report.open_questions)  # a question timed out is not answered
    assert set(found) | set(report.open_questions) <= {goal.label for goal in goals}
    assert json.dumps(report.to_dict()).startswith('{"status": "timed out"')
