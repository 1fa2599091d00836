"""`compare A B --cases FILE`: counts over a caseload, checked case by case against `engine.decide`."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from engine import decide
from engine.analysis.caseload import compare_caseload
from engine.batch.generate import generate_cases
from engine.batch.io import read_inputs
from engine.core.cases import parse_case
from engine.core.rulebase import RuleBase

#: Generated cases per test file: every value of every field appears, and a mixed caseload after.
CASES = 120


def _caseload(tmp_path: Path, rules: RuleBase, seed: int) -> tuple[Path, list[dict]]:
    """A JSONL caseload of generated cases with two bad lines among them (not JSON; an unknown value)."""
    cases = list(generate_cases(rules.catalog, CASES, seed=seed))
    lines = [json.dumps(case) for case in cases]
    lines.insert(7, "{not json")
    lines.insert(30, json.dumps({"id": "bad-agency", "agency": "no_such_agency"}))
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path, cases


def _expected(rules: RuleBase, cases: list[dict], first: str, second: str,
              readings: dict[str, str]) -> dict[tuple[str, str, str], list[str]]:
    """The status pairs each case differs by, from `decide` on each case alone."""
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for number, data in enumerate(cases):
        case = parse_case(data, rules.catalog, f"case {number}", f"case-{number}")
        decision = decide(case, rules, ordinances=[first, second], readings=readings)
        for action in rules.catalog.actions:
            if case.actions and action not in case.actions:
                continue
            a, b = decision.result(first, action).status, decision.result(second, action).status
            if a != b:
                found[(action, str(a), str(b))].append(case.id)
    return found


@pytest.mark.parametrize(("first", "second", "reading", "seed"),
                         [("beacon", "westchester", "narrow", 3), ("trust-act", "nyc", "broad", 11)])
def test_counts_match_deciding_each_case(tmp_path: Path, rules: RuleBase, first: str, second: str,
                                         reading: str, seed: int) -> None:
    path, cases = _caseload(tmp_path, rules, seed)
    readings = {"usc_1373": reading}
    caseload = compare_caseload(rules, first, second, read_inputs(path), source=str(path), readings=readings)
    expected = _expected(rules, cases, first, second, readings)
    assert expected, "the generated caseload should hold differences for the test to mean anything"
    assert {(p.action, p.first_status, p.second_status): list(p.cases) for p in caseload.pairs} == expected
    assert caseload.total == CASES + 2 and caseload.decided == CASES
    assert caseload.differing == len({case for ids in expected.values() for case in ids})
    assert sorted(e.case for e in caseload.errors) == ["bad-agency", "cases-8"]
    assert all(e.message for e in caseload.errors)


def test_one_ordinance_on_both_sides_is_refused(tmp_path: Path, rules: RuleBase) -> None:
    """As `compare` without --cases: two different ordinances, or an error naming the fix."""
    from engine.core.errors import EngineError

    path, _ = _caseload(tmp_path, rules, 5)
    with pytest.raises(EngineError, match="both sides"):
        compare_caseload(rules, "beacon", "beacon", read_inputs(path), source=str(path))


def test_cli_text_and_json(tmp_path: Path, rules: RuleBase, cli) -> None:
    path, cases = _caseload(tmp_path, rules, 3)
    expected = _expected(rules, cases, "beacon", "westchester", {"usc_1373": "narrow"})
    done = cli("compare", "beacon", "westchester", "--cases", str(path), "--show", "2")
    assert done.status == 0, done.err
    assert "counts over these 122 cases only, not over every possible case" in done.out
    assert "2 errors (not decided" in done.out and "bad-agency: " in done.out
    (action, a, b), ids = max(expected.items(), key=lambda kv: len(kv[1]))
    line = f"    {a} under beacon, {b} under westchester: {len(ids)} cases ({ids[0]}, {ids[1]}"
    assert line in done.out
    done = cli("compare", "beacon", "westchester", "--cases", str(path), "--format", "json", "--show", "1")
    data = json.loads(done.out)
    assert data["cases"] == {"total": 122, "decided": 120, "differing": data["cases"]["differing"], "errors": 2}
    got = {(d["action"], d["first_status"], d["second_status"]): d for d in data["differences"]}
    assert {k: v["count"] for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
    assert got[(action, a, b)]["cases"] == ids[:1]
    assert "not over every possible case" in data["scope"]


def test_cli_fail_on_difference_and_show_without_cases(tmp_path: Path, rules: RuleBase, cli) -> None:
    path, _ = _caseload(tmp_path, rules, 3)
    done = cli("compare", "beacon", "westchester", "--cases", str(path), "--fail-on", "difference")
    assert done.status == 1 and "--fail-on difference: 1 found" in done.err
    assert "counts over these" in done.out  # the output is written before the failure
    done = cli("compare", "beacon", "westchester", "--show", "3")
    assert done.status == 2 and "add --cases FILE" in done.err
    done = cli("compare", "beacon", "westchester", "--cases", str(tmp_path / "missing.jsonl"))
    assert done.status == 2 and "no such file" in done.err
