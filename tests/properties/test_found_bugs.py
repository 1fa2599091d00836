"""Counterexamples the property suite (this directory) found, kept as plain tests so that
each fix is pinned by the example that showed the bug, whatever the properties draw."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from engine import CaseError, EngineError, RuleBase, load_case, parse_case
from engine.batch.csv_cases import unflatten_case


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_bom_is_no_part_of_a_case_file(rules: RuleBase, suffix: str, tmp_path: Path) -> None:
    """Editors on Windows save UTF-8 with a BOM; the file means what it says without one
    (a JSON case file with a BOM was refused as "invalid JSON: Unexpected UTF-8 BOM")."""
    path = tmp_path / f"c{suffix}"
    path.write_bytes(codecs.BOM_UTF8 + b'{"id": "x", "agency": "police"}')
    assert load_case(path, rules.catalog) == parse_case({"id": "x", "agency": "police"}, rules.catalog, "", "")


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("data,field", [
    ({"agency": 10 ** 5000}, "agency"),
    ({"person": {"consent": -(10 ** 5000)}}, "person.consent"),
    ({"id": 10 ** 5000}, "id"),
    ({10 ** 5000: 1}, "<a number of more than 100 digits>"),
    ({"agency": _nested(100_000)}, "agency"),
    ({"person": {"roles": [_nested(100_000)]}}, "person.roles[0]"),
    ({"requests": [{"kind": "detainer", "judicial_warrant": _nested(100_000)}]}, "requests[0].judicial_warrant"),
])
def test_values_only_python_can_hold_are_refused_naming_the_field(rules: RuleBase, data: dict, field: str) -> None:
    """`parse_case` (the Python API, and a Dask partition's case objects) quoted a wrong value with
    `repr`, which raised ValueError for an integer of over 4,300 digits and RecursionError for a
    list nested thousands deep: a traceback instead of the field's error."""
    with pytest.raises(CaseError) as raised:
        parse_case(data, rules.catalog, "partition[1]", "p-1")
    assert raised.value.field == field and len(str(raised.value)) < 400


@pytest.mark.parametrize("text,line,words", [
    ("id: 0000-00-00\n", 1, "'0000-00-00' is not a valid timestamp (year 0 is out of range); quote it"),
    ("person:\n  roles:\n    - 2020-02-30\n", 3, "'2020-02-30' is not a valid timestamp"),
    ("id: 2001-12-14 99:59:43\n", 1, "not a valid timestamp (hour must be in 0..23)"),
    ("id: !!int abc\n", 1, "'abc' is not a valid int"),
    ("id: !!int _\n", 1, "'_' is not a valid int; quote it"),
    ("id: !!bool maybe\n", 1, "'maybe' is not a valid bool"),
    ("id: !!timestamp x\n", 1, "'x' is not a valid timestamp"),
    ("agency: !!map [1]\n", 1, "the tag !!map does not fit this sequence"),
    ("? 2020-02-30\n: x\n", 1, "'2020-02-30' is not a valid timestamp"),
])
def test_a_yaml_value_pyyaml_cannot_build_is_an_error_at_its_line(rules: RuleBase, tmp_path: Path,
                                                                   text: str, line: int, words: str) -> None:
    """PyYAML's constructors raised ValueError, KeyError, IndexError, TypeError or AttributeError
    for a date that is not one or a tag that does not fit: a traceback instead of an error."""
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EngineError) as raised:
        load_case(path, rules.catalog)
    assert str(raised.value).startswith(f"{path}:{line}:") and words in str(raised.value)
    assert "Fix:" in str(raised.value)


def test_a_json_id_written_minus_zero_is_refused_not_read_as_zero(rules: RuleBase, tmp_path: Path) -> None:
    """JSON reads the number -0 as 0: the id "0" was not the id written (another case's, maybe)."""
    path = tmp_path / "c.json"
    path.write_text('{"id": -0}', encoding="utf-8")
    with pytest.raises(CaseError) as raised:
        load_case(path, rules.catalog)
    assert raised.value.field == "id" and "JSON reads -0 as the number 0" in str(raised.value)
    assert 'quote it, as text: "id": "-0"' in str(raised.value)
    path.write_text('{"id": -10}', encoding="utf-8")
    assert load_case(path, rules.catalog).id == "-10"


@pytest.mark.parametrize("suffix,text", [(".yaml", "person: 5\n"), (".json", '{"person": 5}')])
def test_a_number_is_called_a_number(rules: RuleBase, tmp_path: Path, suffix: str, text: str) -> None:
    """A number read from a file was called by its class name: "expected an object, got SourceInt"."""
    path = tmp_path / f"c{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match="expected an object, got a number"):
        load_case(path, rules.catalog)


@pytest.mark.parametrize("cell", [" padded ", "\t", " ", "a\n", "007 "])
def test_a_csv_id_is_kept_as_written(cell: str) -> None:
    """A CSV id cell was stripped (" padded " became "padded", a cell of spaces or a tab gave the
    default id): ids are text, kept as written in every format (issue 12, item 3)."""
    assert unflatten_case({"id": cell, "agency": " police "}) == {"id": cell, "agency": "police"}
    assert unflatten_case({"id": "", "agency": ""}) == {}
