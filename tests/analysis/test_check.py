"""`ordinance check`: findings over every possible case, as read from the texts.

Expected findings come from reading the encoded sections (comments cite them);
each witness is decided again, through the command line, to show it reproduces.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import load_rule_base
from engine.analysis.check import check
from engine.analysis.findings import SearchStatus
from engine.analysis.restriction import parse_drop
from tests.conftest import ROOT, Cli

TOY = ROOT / "tests" / "toy_ordinance"
SEEDS = ("beacon", "westchester", "nyc", "trust-act")


def decide_json(cli: Cli, tmp_path: Path, witness: dict, *options: str) -> dict:
    path = tmp_path / "witness.json"
    path.write_text(json.dumps(witness), encoding="utf-8")
    status, out, err = cli("decide", str(path), "--format", "json", *options)
    assert status == 0, err
    return {(r["ordinance"], r["action"]): r for r in json.loads(out)["results"]}


@pytest.mark.parametrize("ordinance", SEEDS)
def test_narrow_reading_no_seed_conflicts_and_it_is_a_proof(rules, ordinance: str) -> None:
    # Beacon 3(a)(i)-(iii), Westchester 7(a)'s carve-out and 15, trust-act 2(j):
    # status information is always saved; nyc never restricts it.
    result = check(rules, ordinance, against="usc-1373", reading="narrow", internal=False)
    assert result.conflicts == ()
    assert result.conflict_search.status == SearchStatus.COMPLETE


def test_broad_reading_beacon_notification_witness_round_trips(rules, cli: Cli, tmp_path) -> None:
    # Beacon 3(a): "decline to respond affirmatively to requests from ICE ... for
    # non-public information"; under the broad reading § 1373 covers release dates.
    result = check(rules, "beacon", against="usc-1373", reading="broad", internal=False)
    conflict = {c.action: c for c in result.conflicts}["notify_release"]
    assert conflict.sections == ("3(a)",) and "1373(a)" in conflict.federal_sections
    assert conflict.witness.minimal and conflict.witness.facts == 1
    assert conflict.witness.to_dict()["requests"] == [{"kind": "notification", "from": "ice"}]
    rows = decide_json(cli, tmp_path, conflict.witness.to_dict(), "--ordinance", "beacon",
                       "--ordinance", "usc-1373", "--reading", "broad")
    assert rows[("beacon", "notify_release")]["status"] == "forbidden"
    assert rows[("usc-1373", "notify_release")]["status"] == "permitted"


def test_dropping_load_bearing_savings_clause_creates_conflict(rules, cli: Cli, tmp_path) -> None:
    # Without 3(a)(i), 3(a) forbids answering an ICE information request for status.
    drop = parse_drop(rules, "beacon", "3(a)(i)")
    result = check(rules, "beacon", against="usc-1373", drops=[drop], internal=False)
    conflict = {c.action: c for c in result.conflicts}["share_status_info"]
    assert conflict.sections == ("3(a)",)
    request = conflict.witness.to_dict()["requests"][0]
    assert request["info"] == ["immigration_status"] and request["kind"] in ("information", "notification")
    # As written, the clause saves the same case: the act is permitted by 3(a)(i).
    rows = decide_json(cli, tmp_path, conflict.witness.to_dict(), "--ordinance", "beacon")
    assert rows[("beacon", "share_status_info")]["status"] == "permitted"
    assert "3(a)(i)" in rows[("beacon", "share_status_info")]["exceptions"]


def test_westchester_carve_out_and_section_15_save_each_other(rules) -> None:
    # 7(a)'s "Except for the sharing of information specified in 8 USC 1373" and
    # 15's "Nothing in this Act prohibits" each save status information alone.
    only_carve_out = [parse_drop(rules, "westchester", "7(a)", exceptions_only=True)]
    assert check(rules, "westchester", against="usc-1373", drops=only_carve_out,
                 internal=False).conflicts == ()
    both = only_carve_out + [parse_drop(rules, "westchester", "15")]
    found = check(rules, "westchester", against="usc-1373", drops=both, internal=False).conflicts
    assert {"share_status_info", "request_status_info"} <= {c.action for c in found}


def test_toy_ordinance_known_defects(cli: Cli, tmp_path) -> None:
    toy = load_rule_base([TOY], use_env=False)
    result = check(toy, "toy", against="usc-1373")
    internal = {(f.kind, f.action): f for f in result.internal}
    assert set(internal) == {("conflict", "report_request"), ("tension", "honor_detainer")}
    assert internal[("conflict", "report_request")].sections == ("1", "2")
    assert set(internal[("tension", "honor_detainer")].sections) == {"3", "4"}
    assert [d.sections for d in result.dead_rules] == [("5",)]
    assert "certify_u_visa" in result.gap_actions and "report_request" not in result.gap_actions
    assert "interview" in result.gap_request_kinds and "detainer" not in result.gap_request_kinds
    [federal] = result.conflicts
    assert federal.action == "share_status_info" and federal.sections == ("6",)
    assert federal.witness.to_dict() == {"id": federal.witness.case.id, "agency": "police"}
    witness = internal[("conflict", "report_request")].witness.to_dict()
    assert witness["requests"] == [{"kind": "detainer", "from": "ice"}]
    rows = decide_json(cli, tmp_path, witness, "--rules", str(TOY), "--ordinance", "toy")
    assert rows[("toy", "report_request")]["status"] == "conflict"


def test_json_is_the_contract_check(cli: Cli) -> None:
    status, out, err = cli("check", "beacon", "--against", "usc-1373", "--reading", "broad",
                           "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert {"ordinance", "against", "reading", "dropped", "conflicts", "internal"} <= set(data)
    assert (data["ordinance"], data["against"], data["reading"]) == ("beacon", "usc-1373", "broad")
    conflict = data["conflicts"][0]
    assert {"action", "local_status", "sections", "federal_sections", "witness"} <= set(conflict)
    assert data["search"]["conflicts"]["status"] == SearchStatus.COMPLETE


def test_text_says_proved(cli: Cli) -> None:
    status, out, _ = cli("check", "westchester", "--against", "usc-1373")
    assert status == 0 and "none (proved" in out and "tension on honor_detainer" in out


def test_timeout_is_reported_not_taken_for_a_proof(rules) -> None:
    result = check(rules, "westchester", against="usc-1373", reading="broad", timeout=1e-6,
                   requests=6, internal=False)
    assert result.conflict_search.status == SearchStatus.TIMED_OUT
    assert result.conflict_search.open_questions


@pytest.mark.parametrize("argv, needle", [
    (("check", "beacon", "--drop", "9"), "no encoded section '9'"),
    (("check", "nowhere"), "unknown ordinance 'nowhere'"),
    (("check",), "name an ordinance or give --all"),
    (("check", "beacon", "--against", "westchester"), "is not federal law"),
    (("check", "beacon", "--requests", "0"), "at least one request"),
    (("check", "beacon", "--drop-exceptions", "1(a)"), "states no exception or permission"),
])
def test_bad_input_is_explained(cli: Cli, argv, needle) -> None:
    status, _, err = cli(*argv)
    assert status == 2 and needle in err and "Fix:" in err


def test_a_switch_holds_in_every_case_searched_and_the_witness_reproduces_under_it(rules, cli: Cli) -> None:
    """Trust Act 2(b) read to bar requesting status from anyone conflicts with § 1373(a);
    the default reading does not (proved)."""
    from engine import decide

    default = check(rules, "trust-act", against="usc-1373", internal=False)
    assert default.conflicts == () and default.conflict_search.status == SearchStatus.COMPLETE
    wide = check(rules, "trust-act", against="usc-1373", internal=False,
                 switches={"trust_act_2b": "any_source"})
    assert [c.action for c in wide.conflicts] == ["request_status_info"]
    conflict = wide.conflicts[0]
    assert conflict.sections == ("2(b)",) and conflict.witness.minimal
    redecided = decide(conflict.witness.case, rules, ordinances=["trust-act"],
                       readings={"trust_act_2b": "any_source"})
    assert redecided.result("trust-act", "request_status_info").status == "forbidden"
    status, out, _ = cli("check", "trust-act", "--against", "usc-1373", "--format", "json",
                         "--switch", "trust_act_2b=any_source")
    assert status == 0 and json.loads(out)["switches"] == {"trust_act_2b": "any_source"}


def test_witnesses_do_not_depend_on_the_order_of_the_rules(rules) -> None:
    """Among equally small cases the tie-break of asp/analysis/minimal.lp picks one by the
    order of terms, so rewriting the rule files in another order gives the same witnesses."""
    reversed_rules = rules.with_statements((rules.statements[0], *reversed(rules.statements[1:])))
    for ordinance in ("westchester", "trust-act"):
        ours = check(rules, ordinance, against="usc-1373", reading="broad").to_dict()
        theirs = check(reversed_rules, ordinance, against="usc-1373", reading="broad").to_dict()
        assert ours == theirs
