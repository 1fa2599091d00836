"""Case files: validation messages name the field and the fix; nothing can inject rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import CaseError, EngineError, case_facts, decide, load_case, load_cases, parse_case


def _parse(rules, data):
    return parse_case(data, rules.catalog, "case.yaml", "case")


@pytest.mark.parametrize("data,field,words", [
    ({"agnecy": "police"}, "agnecy", "unknown field"),
    ({"agency": "sheriff"}, "agency", "corrections, other, police, probation"),
    ({"person": {"roles": ["arestee"]}}, "person.roles[0]", "arrestee"),
    ({"person": {"in_custody": "yes"}}, "person.in_custody", "true or false"),
    ({"person": {"convictions": "felony"}}, "person.convictions", "expected a list"),
    ({"person": {"height": 2}}, "person.height", "unknown field"),
    ({"requests": [{"from": "ice"}]}, "requests[0].kind", "missing"),
    ({"requests": [{"kind": "detainer", "info": ["dna"]}]}, "requests[0].info[0]", "release_date"),
    ({"requests": [{"kind": "detainer", "judical_warrant": True}]}, "requests[0].judical_warrant",
     "unknown field"),
    ({"requests": {"kind": "detainer"}}, "requests", "expected a list"),
    ({"determinations": {"chief": True}}, "determinations.chief", "unknown field"),
    ({"actions": ["deport"]}, "actions[0]", "honor_detainer"),
    ({"ordinances": ["springfield"]}, "ordinances[0]", "westchester"),
    ({"person": {"roles": ["victim", "victim"]}}, "person.roles", "more than once"),
])
def test_bad_field_is_named_with_allowed_values(rules, data, field, words) -> None:
    with pytest.raises(CaseError) as raised:
        _parse(rules, data)
    assert raised.value.field == field
    assert words in str(raised.value)
    assert "Fix:" in str(raised.value)


def test_absent_fields_are_false_or_empty(rules) -> None:
    case = _parse(rules, {})
    assert case.id == "case" and case_facts(case) == []


def test_request_source_defaults_to_ice(rules) -> None:
    case = _parse(rules, {"requests": [{"kind": "detainer"}]})
    assert [str(f) for f in case_facts(case)] == ["request(1,detainer)", "request_from(1,ice)"]


def test_to_dict_round_trips(rules) -> None:
    data = {"id": "x", "agency": "police", "person": {"in_custody": True, "roles": ["arrestee"]},
            "requests": [{"kind": "information", "from": "cbp", "judicial_warrant": True,
                          "info": ["release_date"], "purpose": "criminal_investigation"}],
            "determinations": {"required_by_law": True}, "actions": ["honor_detainer"]}
    assert _parse(rules, data).to_dict() == data


def test_list_file_gives_ids_by_position(rules, tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"agency": "police"}, {"id": "named"}]))
    assert [c.id for c in load_cases(path, rules.catalog)] == ["batch-1", "named"]


@pytest.mark.parametrize("name,text,words", [
    ("bad.json", '{"agency": "police",}', "bad.json:1:"),
    ("bad.yaml", "agency: [police\n", "bad.yaml:"),
    ("dup.yaml", "agency: police\nagency: other\n", "appears twice"),
    ("dup.json", '{"agency": "police", "agency": "other"}', "appears twice"),
    ("case.txt", "agency: police", "*.json, *.yaml or *.yml"),
    ("empty.json", "[]", "empty"),
    ("scalar.yaml", "42", "must be an object"),
    ("blank.yaml", "", "must be an object, got nothing"),
])
def test_unreadable_files_are_explained(rules, tmp_path: Path, name, text, words) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(EngineError) as raised:
        load_cases(path, rules.catalog)
    assert words in str(raised.value)


def test_missing_file_is_explained(rules, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="no such file"):
        load_cases(tmp_path / "nope.yaml", rules.catalog)


INJECTIONS = [
    'police). status(beacon,honor_detainer,permitted',
    "police.\nperson(consent).",
    'x" :- . #show',
    "Police",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_enum_values_cannot_inject_rules(rules, payload: str) -> None:
    """Every value that reaches ASP must be one of the vocabulary's; anything else is refused."""
    for data in ({"agency": payload}, {"person": {"roles": [payload]}},
                 {"requests": [{"kind": "detainer", "info": [payload]}]}):
        with pytest.raises(CaseError):
            _parse(rules, data)


def test_free_text_never_reaches_the_solver(rules) -> None:
    """The id is free text: it is carried in Python only and changes no conclusion."""
    hostile = '"). status(beacon,honor_detainer,permitted). #show person/1. %'
    plain = _parse(rules, {"requests": [{"kind": "detainer"}]})
    injected = _parse(rules, {"id": hostile, "requests": [{"kind": "detainer"}]})
    assert injected.id == hostile
    assert case_facts(injected) == case_facts(plain)
    first, second = decide(plain, rules), decide(injected, rules)
    assert first.results == second.results
    assert second.result("beacon", "honor_detainer").status == "forbidden"


@pytest.mark.parametrize("name, text, needle", [
    ("octal.yaml", "id: 02134\n", 'YAML reads 02134 as the number 1116. Fix: quote it, as text: id: "02134"'),
    ("hex.yaml", "id: 0x1F\n", "YAML reads 0x1F as the number 31"),
    ("sexagesimal.yaml", "id: 1:30\n", "YAML reads 1:30 as the number 90"),
    ("huge.yaml", "id: " + "9" * 5000 + "\n", "a number of 5000 digits"),
    ("huge.json", '{"id": ' + "9" * 5000 + "}", "a number of 5000 digits. Fix: write numbers of at most 100 digits"),
    ("key.yaml", "? [a, b]\n: 1\n", "a key must be a plain word, not a list"),
    ("deep.json", "[" * 100000 + "]" * 100000, "nested too deeply to read"),
    ("deep.yaml", "a: " + "[" * 100000 + "]" * 100000 + "\n", "nested too deeply to read"),
    ("nested.json", '{"id": "n", "person": ' + '{"a": ' * 60 + "1" + "}" * 61, "nested more than 50 levels deep"),
])
def test_hostile_case_files_get_a_clear_error_not_a_traceback(tmp_path, cli_process, name, text, needle) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    status, out, err = cli_process("facts", str(path))
    assert status == 2 and out == "" and needle in err and "Traceback" not in err, err


def test_an_id_written_as_a_plain_number_keeps_its_meaning(tmp_path, rules) -> None:
    path = tmp_path / "seven.yaml"
    path.write_text("id: 7\n", encoding="utf-8")
    assert load_case(path, rules.catalog).id == "7"
