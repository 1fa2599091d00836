"""The `ordinance` command line, run in-process as a user would type it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.cli import main
from engine.core.rulebase import RULES_ENV_VAR
from tests.conftest import EXAMPLES, ROOT, Cli

OWN = ROOT / "docs" / "own-ordinance"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "ana.yaml"
    path.write_text("agency: corrections\n"
                    "person: {in_custody: true, release_eligible: true, roles: [arrestee]}\n"
                    "requests: [{kind: detainer, administrative_warrant: true}]\n")
    return path


def test_list_shows_every_ordinance_with_sections(cli: Cli) -> None:
    status, out, _ = cli("list")
    assert status == 0
    for ordinance in ("beacon", "westchester", "nyc", "trust-act", "usc-1373"):
        assert f"\n{ordinance} (" in "\n" + out
    assert "10(b)" in out and "1373(b)(2)" in out


def test_list_actions(cli: Cli) -> None:
    status, out, _ = cli("list", "--actions")
    assert status == 0 and "honor_detainer" in out and "provide_services" in out


def test_decide_text_table(cli: Cli, case: Path) -> None:
    status, out, _ = cli("decide", str(case), "--ordinance", "westchester")
    assert status == 0
    row = next(line for line in out.splitlines() if " honor_detainer " in line)
    # held in custody, Ana is an inmate by default (READING westchester-inmate-custody)
    assert row.split()[:5] == ["westchester", "honor_detainer", "forbidden", "10(a)(2)", "10(b)"]
    assert "silent pairs not shown" in out


def test_decide_json_is_the_contract(cli: Cli, case: Path) -> None:
    status, out, _ = cli("decide", str(case), "--ordinance", "westchester",
                         "--format", "json")
    data = json.loads(out)
    assert status == 0 and data["case"] == "ana"
    assert len(data["results"]) == 38  # one row per action, silent ones included
    row = next(r for r in data["results"] if r["action"] == "honor_detainer")
    assert row == {"ordinance": "westchester", "action": "honor_detainer", "status": "forbidden",
                   "sections": ["10(a)(2)", "10(b)"], "exceptions": [], "tensions": []}
    assert {r["status"] for r in data["results"]} <= {"forbidden", "obligated", "permitted",
                                                       "silent", "conflict"}


def test_list_file_answers_with_array(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"id": "a"}, {"id": "b", "actions": ["honor_detainer"]}]))
    status, out, _ = cli("decide", str(path), "--format", "json")
    data = json.loads(out)
    assert status == 0 and [d["case"] for d in data] == ["a", "b"]
    assert len(data[1]["results"]) == 4  # four local ordinances x one action


def test_reading_switch_changes_federal_rows(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("requests: [{kind: notification, info: [release_date]}]\n")
    rows = {}
    for reading in ("narrow", "broad"):
        _, out, _ = cli("decide", str(path), "--ordinance", "usc-1373", "--format", "json",
                        "--reading", reading)
        rows[reading] = next(r for r in json.loads(out)["results"] if r["action"] == "notify_release")
    assert rows["narrow"]["status"] == "silent" and rows["broad"]["status"] == "permitted"


def test_facts_are_stock_clingo_facts(cli: Cli, case: Path) -> None:
    status, out, _ = cli("facts", str(case))
    assert status == 0
    assert "request(1,detainer)." in out and "agency(corrections)." in out


@pytest.mark.parametrize("argv,words", [
    (["decide", "missing.yaml"], "no such file"),
    (["decide", "{case}", "--ordinance", "gotham"], "unknown ordinance 'gotham'"),
    (["decide", "{bad}"], "field 'agency'"),
    (["decide", "{case}", "--rules", "/nonexistent"], "not a directory"),
])
def test_bad_input_exits_2_with_a_fix(cli_process: Cli, case: Path, tmp_path: Path, argv, words) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency: sheriff\n")
    argv = [a.format(case=case, bad=bad) for a in argv]
    status, out, err = cli_process(*argv)
    assert status == 2 and out == ""
    assert words in err and "Fix:" in err and "Traceback" not in err


def test_unknown_option_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["decide", "x.yaml", "--format", "xml"])
    assert raised.value.code == 2
    assert "Fix:" in capsys.readouterr().err


def test_own_ordinance_is_listed_and_decided(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("requests: [{kind: detainer, judicial_warrant: true}]\n")
    status, out, _ = cli("list", "--rules", str(OWN))
    assert status == 0 and "riverton (local)" in out and "4(a)" in out
    status, out, _ = cli("decide", str(path), "--rules", str(OWN), "--ordinance",
                         "riverton", "--format", "json")
    rows = {r["action"]: r for r in json.loads(out)["results"]}
    assert rows["honor_detainer"]["status"] == "permitted"
    assert rows["honor_detainer"]["exceptions"] == ["4(a)"]
    assert rows["provide_request_copy"]["status"] == "obligated"


def test_own_ordinance_from_environment(cli: Cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(RULES_ENV_VAR, str(OWN))
    path = tmp_path / "c.yaml"
    path.write_text("requests: [{kind: detainer}]\n")
    status, out, _ = cli("decide", str(path), "--format", "json")
    rows = [r for r in json.loads(out)["results"]
            if r["ordinance"] == "riverton" and r["action"] == "honor_detainer"]
    assert status == 0 and rows[0]["status"] == "forbidden" and rows[0]["sections"] == ["4"]


@pytest.mark.parametrize("rule,words", [
    ('prohibits(riverton, "9", honor_detainer, case).', 'section "9" of riverton, which has no text'),
    ('prohibits(riverton, "4", deport_everyone, case).', "unknown action 'deport_everyone'"),
    ('prohibits(gotham, "1", honor_detainer, case).', "ordinance 'gotham', which is not declared"),
    ("person(consent).", "states the case fact 'person'"),
    ("status(riverton, honor_detainer, permitted).", "only the deontic layer derives"),
    ("prohibits(riverton, \"4\" honor_detainer, case).", "syntax error"),
])
def test_mistakes_in_own_rules_name_file_and_line(cli_process: Cli, tmp_path: Path, rule, words) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    text = (OWN / "riverton.lp").read_text() + "\n" + rule + "\n"
    (rules_dir / "riverton.lp").write_text(text)
    line = text.count("\n")
    case_path = tmp_path / "c.yaml"
    case_path.write_text("{}\n")
    status, _, err = cli_process("decide", str(case_path), "--rules", str(rules_dir))
    assert status == 2 and words in err and "Traceback" not in err
    assert f"riverton.lp:{line}" in err


def test_built_in_norms_cite_declared_ordinances_sections_and_actions(rules) -> None:
    """Loading checks only a user's rules, for speed; the built-in ones are held to the same checks here."""
    from engine.core.rulebase import _check_norms

    _check_norms(rules.statements, rules.catalog)
    broken = rules.statements + tuple(_parsed('prohibits(beacon, "99(z)", honor_detainer, case).'))
    with pytest.raises(Exception, match='99\\(z\\)'):
        _check_norms(broken, rules.catalog)


def _parsed(text: str) -> list:
    from clingo import ast

    statements: list = []
    ast.parse_string(text, statements.append)
    return statements


def test_switches_are_listed_and_chosen_on_the_command_line(cli: Cli) -> None:
    status, out, _ = cli("list", "--switches")
    assert status == 0 and re.search(r"westchester_inmate +custody", out) and "trust_act_2b" in out
    ana = str(EXAMPLES / "ana-detainer.yaml")
    status, out, _ = cli("decide", ana, "--ordinance", "westchester", "--format", "json",
                         "--switch", "westchester_inmate=role")
    row = [r for r in json.loads(out)["results"] if r["action"] == "honor_detainer"][0]
    assert status == 0 and row["sections"] == ["10(b)"]


@pytest.mark.parametrize("value, words", [
    ("westchester_inmate=jail", "westchester_inmate=custody or westchester_inmate=role"),
    ("nowhere=custody", "no interpretive switch 'nowhere'"),
    ("westchester_inmate", "expected NAME=VALUE"),
])
def test_bad_switch_exits_2_with_a_fix(cli: Cli, value: str, words: str) -> None:
    status, _, err = cli("decide", str(EXAMPLES / "ana-detainer.yaml"), "--switch", value)
    assert status == 2 and words in err and "Fix:" in err
