"""Counterfactuals: each one is a valid case that, decided again, has another status."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from engine import case_facts, counterfactuals, decide, load_case, parse_case
from engine.core.errors import EngineError
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ana(rules):
    return load_case(ROOT / "examples" / "ana-detainer.yaml", rules.catalog)


def _changes(found) -> list[list[str]]:
    return [[str(c) for c in answer.changes] for answer in found]


def test_a_judicial_warrant_is_the_smallest_change_and_is_re_decided(rules, ana) -> None:
    # under the role reading Ana is not an inmate, so 10(b) alone forbids holding her
    role = {"westchester_inmate": "role"}
    found = counterfactuals(ana, rules, "westchester", "honor_detainer", readings=role, limit=3)
    assert _changes(found)[0] == ["+ request_has(1,judicial_warrant)"]
    sizes = [len(answer.changes) for answer in found]
    assert sizes == sorted(sizes) and len(found) == 3
    for answer in found:
        again = decide(parse_case(answer.case.to_dict(), rules.catalog, "t", "again"), rules,
                       ordinances=["westchester"], readings=role).result("westchester", "honor_detainer")
        assert again.status == answer.status != "forbidden"


def test_answers_are_minimal_not_supersets_of_each_other(rules, ana) -> None:
    found = counterfactuals(ana, rules, "beacon", "honor_detainer", limit=5)
    sets = [set(answer.changes) for answer in found]
    for i, first in enumerate(sets):
        for second in sets[i + 1:]:
            assert not first <= second


def test_fixed_fields_are_never_changed(rules, ana) -> None:
    found = counterfactuals(ana, rules, "beacon", "honor_detainer", fixed=["requests"], limit=3)
    assert found
    for answer in found:
        assert not [c for c in answer.changes if c.fact.name.startswith("request")]
        requests = [f for f in answer.case.facts if len(f) == 3]
        assert requests == [f for f in ana.facts if len(f) == 3]
    assert _changes(found)[0] == ["+ determination(police_chief_probable_cause)", "+ person(terrorism)"]


def test_a_pinned_flag_only_pins_that_flag(rules, ana) -> None:
    found = counterfactuals(ana, rules, "westchester", "honor_detainer",
                            fixed=["requests.judicial_warrant"], limit=3)
    assert found
    assert all(str(c.fact) != "request_has(1,judicial_warrant)" for a in found for c in a.changes)


def test_a_request_may_be_added(rules) -> None:
    nothing = parse_case({"agency": "corrections"}, rules.catalog, "t", "empty")
    found = counterfactuals(nothing, rules, "westchester", "honor_detainer", limit=1)
    (answer,) = found
    assert [c.fact.name for c in answer.changes] == ["request", "request_from"]
    assert answer.case.values("request", 1) == ("detainer",) and answer.status == "forbidden"


def test_a_standing_prohibition_has_no_counterfactual(rules, ana) -> None:
    assert counterfactuals(ana, rules, "westchester", "different_procedures") == []


def test_bad_fix_field_names_the_fields(rules, ana) -> None:
    with pytest.raises(EngineError, match=r"--fix person\.height: not a case field.*person\.convictions"):
        counterfactuals(ana, rules, "westchester", "honor_detainer", fixed=["person.height"])


SOLVERS = [pytest.param([sys.executable, "-m", "clingo"], id="python-m-clingo")]
if shutil.which("clingo"):
    SOLVERS.append(pytest.param([shutil.which("clingo")], id="clingo-binary"))


@pytest.mark.parametrize("command", SOLVERS)
def test_search_runs_on_stock_clingo(command: list[str], rules, ana, tmp_path) -> None:
    setting = tmp_path / "setting.lp"
    setting.write_text("".join(f"whatif_was({fact}).\n" for fact in case_facts(ana))
                       + "whatif_request(1). whatif_new_request(2).\n"
                       + "reading(westchester_inmate,role).\n"
                       + "whatif_status(westchester,honor_detainer,forbidden).\n")
    done = subprocess.run([*command, "asp/all.lp", "asp/counterfactual/search.lp", str(setting),
                           "--opt-mode=optN", "--quiet=1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert "OPTIMUM FOUND" in done.stdout, done.stderr
    assert "whatif_change(add,request_has(1,judicial_warrant))" in done.stdout


def test_every_conclusion_of_a_case_has_a_verified_counterfactual_on_the_case_or_the_law(rules) -> None:
    """Issue 3's promise, on Ana's case under every seed ordinance: each non-silent conclusion
    changes under some change to the case or, where it holds in every case, to the law."""
    from engine.explain.section_whatif import section_counterfactuals

    case = load_case(ROOT / "examples" / "ana-detainer.yaml", rules.catalog)
    rows = [r for r in decide(case, rules).results if r.status != "silent"]
    assert {r.ordinance for r in rows} == {"beacon", "westchester", "nyc", "trust-act"}
    for row in rows:
        if counterfactuals(case, rules, row.ordinance, row.action, limit=1):
            continue
        removals = section_counterfactuals(case, rules, row.ordinance, row.action)
        assert removals, f"{row.ordinance} {row.action}: no verified counterfactual"
        for removal in removals:
            assert removal.status != row.status
