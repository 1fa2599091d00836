"""`ordinance compare --drop/--drop-exceptions`: sections removed before a comparison, as in `check`."""

from __future__ import annotations

import json

from engine.analysis.comparison import compare
from tests.conftest import Cli


def differences(output: str) -> dict[tuple[str, str, str], dict]:
    return {(d["action"], d["first"]["status"], d["second"]["status"]): d
            for d in json.loads(output)["differences"]}


def test_dropping_a_carve_out_creates_a_difference(cli: Cli) -> None:
    # Beacon 3(a)(i) lets officers share status information with ICE; without it, 3(a)
    # forbids sharing it, where Westchester 15 ("nothing ... prohibits") permits it.
    key = ("share_status_info", "forbidden", "permitted")
    status, written, err = cli("compare", "beacon", "westchester", "--format", "json")
    assert status == 0, err
    assert key not in differences(written)
    status, out, err = cli("compare", "beacon", "westchester", "--drop-exceptions",
                           "beacon:3(a)(i)", "--format", "json")
    assert status == 0, err
    result = json.loads(out)
    assert result["dropped"] == ["beacon:3(a)(i) (exceptions)"]
    found = differences(out)[key]
    # the witness is a notification request, by definition addressed to CLEAs (READING
    # westchester-1c-request-to-cleas): Westchester's 7(a) carve-out applies beside 15
    assert found["first"]["sections"] == ["3(a)"] and found["second"]["sections"] == ["7(a)", "15"]
    assert found["witness"]["requests"][0]["info"] == ["immigration_status"]


def test_bare_section_resolves_to_the_one_ordinance_that_has_it(cli: Cli) -> None:
    status, out, err = cli("compare", "beacon", "westchester", "--drop", "3(a)(i)")
    assert status == 0, err
    assert "dropped sections: beacon:3(a)(i)" in out
    assert "`ordinance decide` applies the full text" in out  # its witnesses are cases under the amended text
    status, out, err = cli("compare", "beacon", "westchester")
    assert status == 0, err
    assert "dropped sections: none" in out and "applies the full text" not in out


def test_a_section_both_ordinances_have_must_be_qualified(cli: Cli) -> None:
    status, _, err = cli("compare", "beacon", "westchester", "--drop", "2(a)")
    assert status == 2
    assert "both have a section '2(a)'" in err and "beacon:2(a) or westchester:2(a)" in err


def test_a_section_neither_has_is_an_error(cli: Cli) -> None:
    status, _, err = cli("compare", "beacon", "westchester", "--drop-exceptions", "99")
    assert status == 2 and "none of beacon, westchester has an encoded section '99'" in err


def test_check_accepts_the_qualified_form(cli: Cli) -> None:
    status, out, err = cli("check", "beacon", "--against", "usc-1373", "--drop", "beacon:3(a)(i)")
    assert status == 0, err
    assert "dropped sections: 3(a)(i)" in out and "share_status_info: forbidden by 3(a)" in out


def test_dropped_sections_apply_to_the_search_and_the_verification(rules) -> None:
    from engine.analysis.restriction import parse_drops

    drops = parse_drops(rules, ["westchester", "beacon"], ["westchester:7(a)"], exceptions_only=True)
    drops += parse_drops(rules, ["westchester", "beacon"], ["westchester:15"])
    comparison = compare(rules, "westchester", "beacon", drops=drops, timeout=30, requests=2)
    assert comparison.dropped == ("westchester:7(a) (exceptions)", "westchester:15")
    pairs = {(d.action, d.first.status, d.second.status): d for d in comparison.differences}
    sharing = pairs[("share_status_info", "forbidden", "permitted")]
    assert sharing.first.sections == ("7(a)",) and sharing.second.sections == ("3(a)(i)",)


def test_compare_under_a_switch_finds_the_difference_it_makes(cli: Cli) -> None:
    """Trust Act 2(b) read to bar requesting status from ICE: trust-act forbids what
    Westchester's § 15 permits; under the default reading 2(b) never decides it."""
    def request_status_rows(*switch: str) -> tuple[dict, list[dict]]:
        status, out, _ = cli("compare", "trust-act", "westchester", "--format", "json", *switch)
        assert status == 0
        data = json.loads(out)
        return data, [d for d in data["differences"] if d["action"] == "request_status_info"]

    data, rows = request_status_rows("--switch", "trust_act_2b=any_source")
    assert data["switches"] == {"trust_act_2b": "any_source"}
    assert any(d["first"]["status"] == "forbidden" and d["first"]["sections"] == ["2(b)"] for d in rows)
    _, default_rows = request_status_rows()
    assert not any("2(b)" in d["first"]["sections"] for d in default_rows)
