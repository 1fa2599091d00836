"""Bad input is refused with the field or line named, never with a traceback (issue 12, item 7).

A valid case with one thing wrong (an unknown field, a wrong value, a wrong type,
a number where a word goes, a value listed twice, an impossible fact, a value only
Python can hold) is refused with a `CaseError` naming that field's dotted path;
a file damaged as files are (bytes that are not UTF-8, a BOM, a number of
thousands of digits, nesting thousands deep, a raw control character, a cut)
gives an `EngineError` naming the file and, where there is one, the line, and in
a batch input one error row for that record while the others are decided.
"""

from __future__ import annotations

import codecs
import csv
import json
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.batch.io import read_inputs
from engine.batch.solver import decide_chunk, decide_partition
from engine.core.cases import parse_case, read_case_file
from engine.core.errors import CaseError, EngineError
from tests.properties.strategies import CATALOG, RULES, budget, cases, mutated, yaml_text, yaml_writes

#: Where a damage is put: the value of the case's id (the first field readers meet).
MARK = "@@@damage@@@"


@contextmanager
def _folder() -> Iterator[Path]:
    """A fresh directory for one example (pytest's tmp_path is shared by all examples of a test)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _names(error: CaseError, field: str) -> None:
    """``error`` is about ``field``, says so in its message, and says how to fix it."""
    assert error.field == field, str(error)
    message = str(error)
    assert "Fix:" in message
    if field.isprintable():  # other paths are shown escaped (engine.core.errors)
        assert f"field '{field}'" in message, message


@given(mutated(python_values=True))
@example(({"agency": 10 ** 5000}, "agency"))
@example(({"id": "x", "person": {"release_eligible": True}}, "person.release_eligible"))
@example(({"id": "x", "requests": [{"from": "ice"}]}, "requests[0].kind"))
def test_a_case_with_one_thing_wrong_is_refused_naming_it(pair: tuple[dict[str, Any], str]) -> None:
    data, field = pair
    try:
        parse_case(data, CATALOG, "cases.jsonl:3", "cases-3")
    except CaseError as error:
        _names(error, field)
        assert str(error).startswith("cases.jsonl:3")
    else:
        raise AssertionError(f"accepted, though {field} is wrong: {data!r}")


@given(st.lists(st.one_of(cases().map(lambda c: (c, None)), mutated()), min_size=1, max_size=5))
def test_a_bad_line_of_a_batch_is_an_error_row_naming_line_and_field(records: list[tuple[dict, str | None]]) -> None:
    """Each record gives one row, in order; a bad one an error row naming its line and field,
    the good ones rows of results."""
    with _folder() as folder:
        path = folder / "in.jsonl"
        path.write_text("".join(json.dumps(data) + "\n" for data, _ in records), encoding="utf-8")
        rows = decide_chunk(list(read_inputs(path)), RULES)
    assert len(rows) == len(records)
    for number, (row, (_, field)) in enumerate(zip(rows, records, strict=True), start=1):
        if field is None:
            assert "results" in row, row
            continue
        assert row["error"]["field"] == field
        assert row["error"]["message"].startswith(f"{path}:{number}"), row


# -- damaged files -------------------------------------------------------------------------------

_NOT_UTF8 = st.sampled_from([b"\xff", b"\xfe\xff", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xf8\x88\x80"])
_CONTROL = st.sampled_from([chr(c) for c in range(0x20) if c not in (0x0A, 0x0D)] + ["\x7f"])


@st.composite
def damaged_json(draw: st.DrawFn) -> tuple[bytes, bool]:
    """A case's JSON text damaged one way, and whether the damage must be refused (a BOM,
    or a cut that still leaves JSON, need not be)."""
    text = json.dumps({**draw(cases()), "id": MARK})
    how = draw(st.sampled_from(["bytes", "digits", "nesting", "control", "twice", "cut", "bom", "junk"]))
    if how == "bytes":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(_NOT_UTF8) + raw[at:], True
    if how == "digits":
        digits = "-" * draw(st.integers(0, 1)) + "9" * draw(st.integers(101, 6000))
        return text.replace(f'"{MARK}"', digits).encode(), True
    if how == "nesting":
        depth = draw(st.sampled_from([51, 52, 200, 999, 1001, 5000, 100_000]))
        return text.replace(f'"{MARK}"', "[" * depth + "1" + "]" * depth).encode(), True
    if how == "control":
        return text.replace(MARK, f"a{draw(_CONTROL)}b").encode(), True
    if how == "twice":
        return text.replace(f'"{MARK}"', '"a", "id": "b"').encode(), True
    if how == "cut":  # a JSON object cut short is never JSON (nor, in a JSON Lines file, a blank line)
        return text[:draw(st.integers(0, len(text) - 1))].encode(), True
    if how == "bom":
        return codecs.BOM_UTF8 + text.encode(), False
    return (text + draw(st.sampled_from(["}", "]", ",", " x", "\x00", "{}"]))).encode(), True


def _refused_or_read(read: Callable[[], Any], where: str, must_refuse: bool) -> None:
    """``read()`` gives data, or refuses with an `EngineError` that names ``where`` first and says
    the fix; never any other exception."""
    try:
        read()
    except EngineError as error:
        assert str(error).startswith(where) and "Fix:" in str(error), str(error)
    else:
        assert not must_refuse, "damaged input accepted"


@given(damaged_json())
@example((b'{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", True))
@example((b'{"id": 1' + b"0" * 5000 + b"}", True))
def test_a_damaged_json_case_file_is_refused_naming_the_file(damage: tuple[bytes, bool]) -> None:
    raw, must_refuse = damage
    with _folder() as folder:
        path = folder / "case.json"
        path.write_bytes(raw)
        _refused_or_read(lambda: read_case_file(path, CATALOG), str(path), must_refuse)


@given(damaged_json(), st.integers(0, 3), st.integers(1, 3))
def test_a_damaged_json_line_is_one_error_row_and_the_rest_goes_on(damage: tuple[bytes, bool], before: int,
                                                                  after: int) -> None:
    raw, must_refuse = damage
    good = [json.dumps({"id": f"good-{n}", "requests": [{"kind": "detainer"}]}).encode() for n in range(before + after)]
    if raw.startswith(codecs.BOM_UTF8) and before:  # a BOM is a file's first bytes, not a line's
        raw = raw[len(codecs.BOM_UTF8):]
    lines = good[:before] + [raw] + good[before:]
    with _folder() as folder:
        path = folder / "in.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        rows = decide_chunk(list(read_inputs(path)), RULES)
    blank = not raw.strip()
    assert len(rows) == len(lines) - blank
    assert [row["case"] for row in rows if row["case"].startswith("good-")] == [f"good-{n}" for n in range(len(good))]
    assert all("results" in row for row in rows if row["case"].startswith("good-"))
    if not blank:
        damaged = rows[before]
        if must_refuse:
            assert "error" in damaged
        if "error" in damaged:
            assert damaged["error"]["where"] == f"{path}:{before + 1}"
            assert damaged["error"]["message"].startswith(f"{path}:{before + 1}")
            assert "Fix:" in damaged["error"]["message"]


@st.composite
def damaged_yaml(draw: st.DrawFn) -> tuple[bytes, bool]:
    """A case's YAML text damaged one way, and whether the damage must be refused."""
    data = {**draw(cases()), "id": MARK}
    text = yaml_text(data, None, True) if yaml_writes(data, None, True) else yaml_text(data, '"', False)
    quoted = next(q for q in (f"'{MARK}'", f'"{MARK}"', MARK) if q in text)
    how = draw(st.sampled_from(["bytes", "digits", "nesting", "control", "twice", "cut", "bom", "tab", "date"]))
    if how == "bytes":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(_NOT_UTF8) + raw[at:], True
    if how == "digits":
        return text.replace(quoted, "9" * draw(st.integers(101, 6000))).encode(), True
    if how == "nesting":
        depth = draw(st.sampled_from([51, 200, 999, 5000]))
        return text.replace(quoted, "[" * depth + "1" + "]" * depth).encode(), True
    if how == "control":  # YAML allows a tab in a plain scalar, no other control character
        control = draw(_CONTROL)
        return text.replace(quoted, f"a{control}b").encode(), control != "\t"
    if how == "twice":
        return (text + "id: again\n").encode(), True
    if how == "cut":  # a cut YAML file is often still YAML, and then a case or a case's error
        return text[:draw(st.integers(0, len(text) - 1))].encode(), False
    if how == "bom":
        return codecs.BOM_UTF8 + text.encode(), False
    if how == "tab":
        return text.replace("\n  ", "\n\t").encode(), False
    return text.replace(quoted, draw(st.sampled_from(["0000-00-00", "2020-02-30", "!!int x", "!!bool maybe",
                                                      "!!timestamp x", "!!map [1]", "!!python/object:os.system x",
                                                      "&a [*a]", "*nowhere"]))).encode(), True


@given(damaged_yaml())
def test_a_damaged_yaml_case_file_is_refused_naming_the_file(damage: tuple[bytes, bool]) -> None:
    raw, must_refuse = damage
    with _folder() as folder:
        path = folder / "case.yaml"
        path.write_bytes(raw)
        _refused_or_read(lambda: read_case_file(path, CATALOG), str(path), must_refuse)


@settings(max_examples=budget(0.5))
@given(st.lists(st.one_of(damaged_yaml(), damaged_json()), min_size=1, max_size=3), st.data())
def test_a_damaged_file_of_a_directory_is_one_error_row(damages: list[tuple[bytes, bool]], data: st.DataObject) -> None:
    """Each file gives its row (a list file one per case); a damaged one an error row naming it."""
    with _folder() as folder:
        names = []
        for number, (raw, _) in enumerate(damages):
            suffix = ".json" if raw.lstrip(codecs.BOM_UTF8).startswith(b"{") else ".yaml"
            names.append(folder / f"{number:02d}{suffix}")
            names[-1].write_bytes(raw)
        good = folder / "99-good.json"
        good.write_text('{"requests": [{"kind": "detainer"}]}', encoding="utf-8")
        rows = decide_chunk(list(read_inputs(folder)), RULES)
    assert rows[-1]["case"] == "99-good" and "results" in rows[-1]
    for row, path, (_, must_refuse) in zip(rows, names, damages):
        if must_refuse:
            assert "error" in row and row["error"]["message"].startswith(str(path)), row


@given(st.integers(1, 4), st.sampled_from(["bytes", "extra", "huge", "control", "word"]), st.data())
def test_a_damaged_csv_is_refused_or_gives_error_rows(count: int, how: str, data: st.DataObject) -> None:
    """Bytes that are not UTF-8 stop with an error naming the file (an encoding is the whole
    file's); a row with extra cells, a cell over the csv module's limit or a value that is no
    word of its column is an error row naming its line, and the other rows are decided."""
    header = ["id", "agency", "requests.1.kind"]
    rows = [[f"c{n}", "police", "detainer"] for n in range(count)]
    bad = data.draw(st.integers(0, count - 1))
    if how == "extra":
        rows[bad] = rows[bad] + ["surplus"]
    elif how == "huge":
        rows[bad][1] = "x" * 200_000
    elif how == "control":
        rows[bad][1] = f"pol{data.draw(_CONTROL)}ice"
    elif how == "word":
        rows[bad][2] = data.draw(st.sampled_from(['"detainer', "detainer;notification", "Detainer", "1", "true"]))
    with _folder() as folder:
        path = folder / "in.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        if how == "bytes":
            raw = path.read_bytes()
            at = data.draw(st.integers(0, len(raw)))
            path.write_bytes(raw[:at] + data.draw(_NOT_UTF8) + raw[at:])
            _refused_or_read(lambda: decide_chunk(list(read_inputs(path)), RULES), str(path), True)
            return
        found = decide_chunk(list(read_inputs(path)), RULES)
    assert len(found) == count
    for number, row in enumerate(found):
        if number == bad:
            assert "error" in row and row["error"]["message"].startswith(f"{path}:{number + 2}"), row
        else:
            assert "results" in row, row


@given(st.text(st.sampled_from(list("{}[]:,-?!&*|>'\"#%@` \n\t0123456789aeinolrsx._\\") + ["\x00", "\ufeff", "\u2028"]),
               max_size=60), st.sampled_from([".json", ".yaml"]))
@example("id: 0000-00-00", ".yaml")
@example("- !!map [1]", ".yaml")
def test_any_text_as_a_case_file_is_cases_or_a_clear_error(text: str, suffix: str) -> None:
    """Whatever a case file holds, reading it gives its cases or an error naming it: never a traceback."""
    with _folder() as folder:
        path = folder / f"case{suffix}"
        path.write_text(text, encoding="utf-8")
        _refused_or_read(lambda: read_case_file(path, CATALOG), str(path), must_refuse=False)


@settings(max_examples=budget(0.5))
@given(st.lists(st.one_of(mutated(python_values=True), cases().map(lambda case: (case, None))),
                min_size=1, max_size=4))
@example([({"id": 10 ** 5000}, "id")])
def test_a_partition_of_python_case_objects_gives_a_row_per_case(pairs: list[tuple[dict[str, Any], str | None]]) -> None:
    """The Dask path takes case objects from Python, which can hold what no file can: still one
    row per case, an error row naming the field for a bad one."""
    rows = decide_partition([data for data, _ in pairs])
    assert len(rows) == len(pairs)
    for number, (row, (_, field)) in enumerate(zip(rows, pairs, strict=True), start=1):
        if field is None:
            assert "results" in row, row
        else:
            assert row["error"]["field"] == field and row["error"]["where"].startswith(f"partition[{number}]"), row
