"""`ordinance gate OLD NEW`: the amended example fails with NEW's section named; an unchanged copy
passes with proofs; a search out of time is not proved (exit 1); a repealed prohibition is a lost
protection."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine import decide, load_rule_base
from engine.analysis.amendment import KINDS, LOST_PROTECTION, amendment_gate
from engine.core.cases import parse_case
from tests.conftest import EXAMPLES, ROOT

AMENDED = EXAMPLES / "amended"


def _copy_of_beacon(directory: Path, public_id: str, edit: str = "") -> Path:
    """The built-in Beacon encoding under another id and constant (the shipped example's recipe),
    with the rules matching the regular expression ``edit`` cut out."""
    constant = public_id.replace("-", "_")
    text = (ROOT / "asp/ordinances/beacon.lp").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.startswith("%"))
    text = re.sub(r"\bbeacon\b", constant, text.replace("beacon_", f"{constant}_"))
    text = text.replace(f'"{constant}"', f'"{public_id}"')
    if edit:
        text, cut = re.subn(edit, "", text, flags=re.S)
        assert cut, edit
    directory.mkdir()
    (directory / f"{public_id}.lp").write_text(text + "\n")
    return directory


def test_amended_example_fails_naming_the_section(cli) -> None:
    done = cli("gate", "beacon", "beacon-2027", "--rules", str(AMENDED), 
               "--fail-on", "new-conflict", "--fail-on", "new-prohibition")
    assert done.status == 1
    assert "new-prohibition: share_status_info forbidden under beacon-2027 (caused by: beacon-2027 3(a))" in done.err
    assert "new-conflict: share_status_info forbidden under beacon-2027 (caused by: beacon-2027 3(a))" in done.err
    assert "new-duty" not in done.out  # only the kinds asked for are searched
    # The witness printed is a case on which beacon and the amendment really differ.
    witness = json.loads(done.out.split("witness (minimal, 2 facts): ", 1)[1].splitlines()[0])
    rules = load_rule_base([AMENDED], use_env=False)
    decision = decide(parse_case(witness, rules.catalog, "witness", "w"), rules, ordinances=["beacon", "beacon-2027"])
    assert decision.result("beacon", "share_status_info").status == "permitted"
    assert decision.result("beacon-2027", "share_status_info").status == "forbidden"
    assert "3(a)" in decision.result("beacon-2027", "share_status_info").sections


def test_amended_example_passes_on_kinds_it_does_not_have(cli) -> None:
    done = cli("gate", "beacon", "beacon-2027", "--rules", str(AMENDED), 
               "--fail-on", "new-duty,lost-protection")
    assert done.status == 0, done.err
    assert done.out.count("none, proved by the solver") == 2


def test_unchanged_copy_passes_with_proofs(tmp_path: Path, cli) -> None:
    rules_dir = _copy_of_beacon(tmp_path / "same", "beacon-same")
    done = cli("gate", "beacon", "beacon-same", "--rules", str(rules_dir), 
               "--fail-on", ",".join(KINDS))
    assert done.status == 0, done.err
    assert done.out.count("none, proved by the solver") == len(KINDS)
    data = json.loads(cli("gate", "beacon", "beacon-same", "--rules", str(rules_dir), 
                          "--format", "json").out)
    assert [k["kind"] for k in data["kinds"]] == list(KINDS)
    assert all(k["proved_none"] and not k["found"] and not k["not_proved"] for k in data["kinds"])


def test_repealed_prohibition_is_a_lost_protection(tmp_path: Path) -> None:
    """Section 6 struck: the registry program and 287(g) agreements are no longer forbidden."""
    rules_dir = _copy_of_beacon(tmp_path / "repeal", "beacon-repeal", r'provision\(beacon_repeal, "6".*\Z')
    rules = load_rule_base([rules_dir], use_env=False)
    amendment = amendment_gate(rules, "beacon", "beacon-repeal", kinds=[LOST_PROTECTION])
    lost = amendment.outcome(LOST_PROTECTION).findings
    assert {f.action for f in lost} == {"use_resources_for_registry", "enter_287g_agreement"}
    for finding in lost:
        assert (finding.old_status, finding.new_status) == ("forbidden", "silent")
        assert finding.sections == () and finding.old_sections == ("6",)


def test_tiny_timeout_is_not_proved(tmp_path: Path, cli) -> None:
    """No search can prove "none" in a microsecond; which ones finish in time otherwise varies
    (a conflict search may), so the gate must fail on those that did not, and find nothing."""
    rules_dir = _copy_of_beacon(tmp_path / "same", "beacon-same")
    done = cli("gate", "beacon", "beacon-same", "--rules", str(rules_dir), 
               "--fail-on", ",".join(KINDS), "--timeout", "0.000001")
    assert done.status == 1
    assert "not proved either way" in done.err and "found:" not in done.err
    assert "new-duty (beacon-same obliges an act beacon did not): none found, but NOT PROVED" in done.out
    assert "  not proved: the search for differences between beacon and beacon-same timed out" in done.out


@pytest.mark.parametrize("argv, message", [
    (("gate", "beacon", "beacon"), "both sides"),
    (("gate", "beacon", "nowhere"), "nowhere"),
    (("gate", "beacon", "westchester", "--fail-on", "new-thing"), "new-thing"),
])
def test_bad_input(cli_process, argv: tuple[str, ...], message: str) -> None:
    done = cli_process(*argv)
    assert done.status == 2 and message in done.err and "Traceback" not in done.err
