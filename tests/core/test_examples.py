"""The examples in examples/ decide as a lawyer reading the texts expects.

Every case of every examples/*.yaml and *.json file is decided under all
ordinances (8 U.S.C. 1373 included) and checked against the outcomes pinned in
tests/examples_expected.yaml (format described at the top of that file).
"""

from __future__ import annotations


import pytest
import yaml

from engine import decide, load_cases, load_rule_base
from tests.conftest import EXAMPLES, ROOT

FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".json"))
EXPECTED = yaml.safe_load((ROOT / "tests" / "examples_expected.yaml").read_text(encoding="utf-8"))
ROW_FIELDS = ("sections", "exceptions", "tensions")

# The broad reading of 8 U.S.C. 1373 (release dates are status information).
BROAD = {"notification-release-date": {
    "usc-1373": {"notify_release": {"status": "permitted", "sections": ["1373(a)", "1373(b)(1)"]}},
    "westchester": {"notify_release": {"status": "permitted", "exceptions": ["7(a)", "15"]}},
    "beacon": {"notify_release": {"status": "forbidden", "sections": ["3(a)"]}},
    "trust-act": {"notify_release": {"status": "forbidden", "sections": ["2(d)"]}},
}}


@pytest.fixture(scope="module")
def rule_base():
    return load_rule_base(use_env=False)


def _cases(rule_base):
    return {case.id: (path, case) for path in FILES for case in load_cases(path, rule_base.catalog)}


def _mismatches(decision, expected) -> list[str]:
    problems = []
    for ordinance, rows in expected.items():
        for action, want in rows.items():
            want = want if isinstance(want, dict) else {"status": want}
            got = decision.result(ordinance, action)
            if got.status != want["status"]:
                problems.append(f"{ordinance} {action}: status {got.status}, expected {want['status']}")
            for name in ROW_FIELDS:
                if name in want and set(getattr(got, name)) != set(want[name]):
                    problems.append(f"{ordinance} {action}: {name} {sorted(getattr(got, name))}, "
                                    f"expected {sorted(want[name])}")
    return problems


def test_examples_exist_and_ids_follow_file_names(rule_base) -> None:
    assert len(FILES) >= 10
    for path in FILES:
        cases = load_cases(path, rule_base.catalog)
        if len(cases) == 1:
            assert cases[0].id == path.stem, path.name
        else:
            assert all(c.id.startswith(path.stem + "-") for c in cases), path.name


def test_every_example_has_expectations_and_no_stale_ones(rule_base) -> None:
    ids = set(_cases(rule_base))
    assert ids - set(EXPECTED) == set(), "examples without an entry in examples_expected.yaml"
    assert set(EXPECTED) - ids == set(), "entries in examples_expected.yaml without an example"
    for case_id, expected in EXPECTED.items():
        assert sum(len(rows) for rows in expected.values()) >= 4, case_id


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
def test_example_decides_as_expected(rule_base, case_id: str) -> None:
    path, case = _cases(rule_base)[case_id]
    decision = decide(case, rule_base, ordinances=list(rule_base.catalog.ordinances))
    problems = _mismatches(decision, EXPECTED[case_id])
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("case_id", sorted(BROAD))
def test_example_under_broad_reading_of_1373(rule_base, case_id: str) -> None:
    path, case = _cases(rule_base)[case_id]
    decision = decide(case, rule_base, ordinances=list(rule_base.catalog.ordinances),
                      readings={"usc_1373": "broad"})
    problems = _mismatches(decision, BROAD[case_id])
    assert not problems, f"{path.name} (--reading broad):\n  " + "\n  ".join(problems)
