"""Every encoded section, pinned by cases whose expected outcome was read from the text.

The fixtures live in tests/sections/<ordinance>.yaml (format: tests/sections/README.md).
Besides checking each expectation, this asserts coverage: every section that
states a norm decides some fixture, and every section that states an exception
or permission applies in some fixture of its ordinance.
"""

from __future__ import annotations

import pytest
import yaml

from engine import decide, parse_case
from tests.conftest import ROOT

SECTIONS_DIR = ROOT / "tests" / "sections"
FILES = sorted(SECTIONS_DIR.glob("*.yaml"))


def _fixtures() -> list[tuple[str, dict]]:
    found = []
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(data["ordinance"], fixture) for fixture in data["fixtures"]]
    return found


FIXTURES = _fixtures()


def _decide(rules, ordinance: str, fixture: dict):
    case = parse_case(fixture["case"], rules.catalog, f"fixture {fixture['name']}", fixture["name"])
    return decide(case, rules, ordinances=[ordinance], readings=fixture.get("readings"))


@pytest.mark.parametrize("ordinance,fixture", FIXTURES,
                         ids=[f"{o}:{f['name']}" for o, f in FIXTURES])
def test_fixture(rules, ordinance: str, fixture: dict) -> None:
    decision = _decide(rules, ordinance, fixture)
    for action, expected in fixture["expect"].items():
        row = decision.result(ordinance, action)
        expected = expected if isinstance(expected, dict) else {"status": expected}
        assert row.status == expected["status"], (action, fixture["why"], row)
        for field in ("sections", "exceptions", "tensions", "restrictions"):
            if field in expected:
                assert set(getattr(row, field)) == set(expected[field]), (action, field, row)
        if "items" in expected:  # {"<request>:<info>": status}, item by item
            found = {f"{item.request}:{item.info}": item.status for item in row.items}
            assert found == expected["items"], (action, "items", row)


def test_every_ordinance_has_fixtures(rules) -> None:
    covered = {ordinance for ordinance, _ in FIXTURES}
    assert covered == set(rules.catalog.ordinances)


@pytest.mark.parametrize("ordinance", sorted({o for o, _ in FIXTURES}))
def test_every_section_is_pinned(rules, ordinance: str) -> None:
    """A norm's section must decide a fixture; an exception's must apply in one."""
    decided, excepted = set(), set()
    for fixture_ordinance, fixture in FIXTURES:
        if fixture_ordinance != ordinance:
            continue
        for row in _decide(rules, ordinance, fixture).results:
            decided.update(row.sections)
            excepted.update(row.exceptions)
            excepted.update(row.restrictions)  # a restricts/5 section applies where it restricts
    constant = rules.catalog.ordinances[ordinance].constant
    cited = rules.cited_sections()[constant]
    assert cited["norm"] - decided == set(), "sections that decide no fixture"
    assert cited["exception"] - excepted == set(), "exceptions that apply in no fixture"
