"""Case model v2, the shared part: scoped findings, items of information, restrictions.

Each ordinance's use of them is pinned in tests/sections/; these tests pin the
mechanism itself with small ordinances written for the test, so that a change
to the deontic layer or the analysis that breaks it fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import clingo
import pytest

from engine import decide, load_rule_base, parse_case
from engine.analysis.check import check
from engine.core.facts import case_facts
from engine.core.rulebase import builtin_rules_dir
from tests.conftest import Cli

ITEMS = """
ordinance(itemtown, "itemtown", "Itemtown (test): confidential items only").
provision(itemtown, "1", "No employee shall give ICE confidential information").
prohibits(itemtown, "1", share_nonpublic_info, item(Q, confidential)) :- request_info(Q, confidential).
"""
WHOLE = """
ordinance(wholetown, "wholetown", "Wholetown (test): whole requests").
provision(wholetown, "1", "No employee shall answer an ICE request that asks for confidential information").
prohibits(wholetown, "1", share_nonpublic_info, Q) :- request_info(Q, confidential).
"""
RESTRICTS = """
ordinance(approvaltown, "approvaltown", "Approvaltown (test): approval first").
provision(approvaltown, "2", "Status information may be sent to ICE only with the chief's approval").
restricts(approvaltown, "2", share_status_info, case, prior_approval) :- agency(police).
"""
SCOPED = """
ordinance(scopetown, "scopetown", "Scopetown (test): required by law, request by request").
provision(scopetown, "3", "No database access for ICE").
provision(scopetown, "3(a)", "unless required by statute").
prohibits(scopetown, "3", grant_database_access, Q) :- request(Q, database_access).
exception(scopetown, "3", grant_database_access, Q, "3(a)") :-
    prohibits(scopetown, "3", grant_database_access, Q), determined(Q, required_by_law).
"""


def rules_with(tmp_path: Path, name: str, text: str):
    directory = tmp_path / name
    directory.mkdir()
    (directory / f"{name}.lp").write_text(text, encoding="utf-8")
    return load_rule_base([directory], use_env=False)


MIXED = {"id": "mixed", "requests": [{"kind": "information", "info": ["confidential", "work_address"]}]}


def test_items_are_decided_one_by_one(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, "itemtown", ITEMS)
    case = parse_case(MIXED, rules.catalog, "t", "mixed")
    decision = decide(case, rules, ordinances=["itemtown", "usc-1373"], readings={"usc_1373": "broad"})
    local = decision.result("itemtown", "share_nonpublic_info")
    assert local.status == "forbidden"
    assert [(i.request, i.info, i.status, i.sections) for i in local.items] == [(1, "confidential", "forbidden", ("1",))]
    federal = decision.result("usc-1373", "share_nonpublic_info")
    assert [(i.info, i.status) for i in federal.items] == [("work_address", "permitted")]
    assert federal.to_dict()["items"][0] == {"request": 1, "info": "work_address", "status": "permitted",
                                             "sections": ["1373(a)", "1373(b)(1)"]}


def test_no_conflict_comes_only_from_mixing_items_in_one_request(tmp_path: Path) -> None:
    """The confidential item is forbidden, the address protected (broad reading): two items, no conflict."""
    rules = rules_with(tmp_path, "itemtown", ITEMS)
    result = check(rules, "itemtown", against="usc-1373", reading="broad", internal=False)
    assert result.conflicts == () and result.conflict_search.complete


def test_a_prohibition_of_the_whole_request_does_reach_the_protected_item(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, "wholetown", WHOLE)
    result = check(rules, "wholetown", against="usc-1373", reading="broad", internal=False)
    (conflict,) = result.conflicts
    info = conflict.witness.case.to_dict()["requests"][0]["info"]
    assert conflict.action == "share_nonpublic_info" and "confidential" in info and len(info) == 2


def test_a_citizenship_item_is_protected_by_1373a_alone(rules) -> None:
    case = parse_case({"requests": [{"kind": "information", "info": ["citizenship", "immigration_status"]}]},
                      rules.catalog, "t", "c")
    row = decide(case, rules, ordinances=["usc-1373"]).result("usc-1373", "share_status_info")
    assert {i.info: i.sections for i in row.items} == {"citizenship": ("1373(a)",),
                                                       "immigration_status": ("1373(a)", "1373(b)(1)")}


def test_a_restriction_is_reported_and_is_a_conflict_by_default(tmp_path: Path, cli: Cli) -> None:
    rules = rules_with(tmp_path, "approvaltown", RESTRICTS)
    case = parse_case({"agency": "police"}, rules.catalog, "t", "p")
    row = decide(case, rules, ordinances=["approvaltown"]).result("approvaltown", "share_status_info")
    assert row.status == "silent" and row.restrictions == ("2",)
    (conflict,) = check(rules, "approvaltown", against="usc-1373", internal=False).conflicts
    assert conflict.by == "restriction" and conflict.sections == ("2",)
    only = check(rules, "approvaltown", against="usc-1373", internal=False,
                 switches={"usc_1373_restrictions": "prohibition_only"})
    assert only.conflicts == () and only.conflict_search.complete
    status, out, _ = cli("check", "approvaltown", "--against", "usc-1373", "--rules", str(tmp_path / "approvaltown"))
    assert status == 0 and "restricted by 2 (allowed only on a condition" in out
    path = tmp_path / "p.yaml"
    path.write_text("agency: police\n", encoding="utf-8")
    status, out, _ = cli("explain", str(path), "approvaltown", "share_status_info",
                         "--rules", str(tmp_path / "approvaltown"))
    assert "§ 2 allows it only on a condition (prior_approval)" in out


def test_a_finding_about_one_request_does_not_carry_to_another(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, "scopetown", SCOPED)
    scoped = parse_case({"requests": [{"kind": "database_access", "determinations": {"required_by_law": True}},
                                      {"kind": "database_access"}]}, rules.catalog, "t", "s")
    row = decide(scoped, rules, ordinances=["scopetown"]).result("scopetown", "grant_database_access")
    assert row.status == "forbidden" and row.exceptions == ("3(a)",)  # request 1 excepted, request 2 not
    case_wide = parse_case({"requests": [{"kind": "database_access"}, {"kind": "database_access"}],
                            "determinations": {"required_by_law": True}}, rules.catalog, "t", "v1")
    row = decide(case_wide, rules, ordinances=["scopetown"]).result("scopetown", "grant_database_access")
    assert row.status == "permitted", "a v1 case-level finding holds for every request"


def _derived(rules, data: dict, name: str) -> set[str]:
    control = clingo.Control(["--warn=none"])
    control.load(str(builtin_rules_dir() / "vocabulary" / "case.lp"))
    with control.backend() as backend:
        for fact in case_facts(parse_case(data, rules.catalog, "t", "t")):
            backend.add_rule([backend.add_atom(fact)])
    control.ground([("base", [])])
    return {str(a.symbol) for a in control.symbolic_atoms.by_signature(name, 1 if name != "determined" else 2)
            if a.is_fact}


def test_a_detainer_asks_to_be_told_of_the_release(rules) -> None:
    assert _derived(rules, {"requests": [{"kind": "detainer"}, {"kind": "transfer"}]},
                    "asks_notification") == {"asks_notification(1)"}


def test_findings_hold_where_they_were_stated(rules) -> None:
    derived = _derived(rules, {"requests": [{"kind": "information", "info": ["release_date"],
                                             "determinations": {"required_by_law": True}},
                                            {"kind": "transfer"}]}, "determined")
    assert derived == {"determined(1,required_by_law)", "determined(item(1,release_date),required_by_law)"}


def test_decide_json_gains_items_and_restrictions_only_where_they_apply(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(MIXED), encoding="utf-8")
    status, out, _ = cli("decide", str(path), "--ordinance", "usc-1373", "--reading", "broad", "--format", "json")
    rows = {r["action"]: r for r in json.loads(out)["results"]}
    assert status == 0 and "items" in rows["share_nonpublic_info"] and "items" not in rows["maintain_status_info"]
    assert all("restrictions" not in r for r in rows.values())
    status, out, _ = cli("decide", str(path), "--ordinance", "usc-1373", "--reading", "broad")
    assert "usc-1373 share_nonpublic_info: request 1 work_address: permitted (1373(a) 1373(b)(1))" in out


@pytest.mark.parametrize("request_kind", ["notification", "detainer"])
def test_the_broad_reading_protects_answering_a_detainer_as_a_notification(rules, request_kind: str) -> None:
    case = parse_case({"requests": [{"kind": request_kind}]}, rules.catalog, "t", "n")
    row = decide(case, rules, ordinances=["usc-1373"], readings={"usc_1373": "broad"}).result("usc-1373",
                                                                                               "notify_release")
    assert row.status == "permitted"
