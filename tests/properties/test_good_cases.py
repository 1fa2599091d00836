"""Good input is accepted unchanged, in every format (issue 12, item 7).

A valid case, written as a JSON or YAML case file, a line of a JSON Lines file, a
CSV row or a file of a directory input, is read back as the same `Case` it is as
a Python object; written other ways that mean the same (false flags, empty
lists, nulls, the default request source left out) it is still the same case;
and its id is the text written, whatever the text.
"""

from __future__ import annotations

import codecs
import csv
import json
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from hypothesis import assume, example, given
from hypothesis import strategies as st

from engine.batch.csv_cases import flatten_case
from engine.batch.io import read_inputs
from engine.core.cases import Case, parse_case, read_case_file
from engine.core.errors import CaseError, EngineError
from tests.properties.strategies import CATALOG, cases, rewrites, yaml_text, yaml_writes


def _case(data: Any, default_id: str = "default") -> Case:
    return parse_case(data, CATALOG, "test", default_id)


@contextmanager
def _folder() -> Iterator[Path]:
    """A fresh directory for one example (pytest's tmp_path is shared by all examples of a test)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@st.composite
def written(draw: st.DrawFn, keep_id: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """A canonical case and the same case as a user may write it (maybe without its id)."""
    case = draw(cases())
    data = draw(rewrites(case))
    if not keep_id and draw(st.integers(0, 4)) == 0:
        del data["id"]
    return case, data


@given(cases())
@example({"id": "a", "person": {"release_eligible": True, "in_custody": True}})
def test_a_case_reads_back_as_written(case: dict[str, Any]) -> None:
    assert _case(case).to_dict() == case
    assert _case(case).id == case["id"]


@given(written())
def test_a_case_written_another_way_is_the_same_case(pair: tuple[dict, dict]) -> None:
    case, data = pair
    expected = _case(case)
    assert _case(data, case["id"]) == expected


@given(written(), st.booleans(), st.booleans())
def test_a_json_case_file_is_read_unchanged(pair: tuple[dict, dict], ascii_only: bool, bom: bool) -> None:
    case, data = pair
    with _folder() as folder:
        path = folder / "my-case.json"
        path.write_bytes((codecs.BOM_UTF8 if bom else b"") + json.dumps(data, ensure_ascii=ascii_only).encode())
        (read,) = read_case_file(path, CATALOG).cases
        assert read == _case(case if "id" in data else {**case, "id": "my-case"})


@given(written(), st.sampled_from([None, '"']), st.booleans())
def test_a_yaml_case_file_is_read_unchanged(pair: tuple[dict, dict], style: str | None, unicode: bool) -> None:
    case, data = pair
    assume(yaml_writes(data, style, unicode))
    with _folder() as folder:
        path = folder / "my-case.yaml"
        path.write_text(yaml_text(data, style, unicode), encoding="utf-8")
        (read,) = read_case_file(path, CATALOG).cases
        assert read == _case(case if "id" in data else {**case, "id": "my-case"})


@given(st.lists(written(), min_size=1, max_size=4), st.sampled_from(["json", "yaml"]))
def test_a_list_file_gives_each_case_by_position(pairs: list[tuple[dict, dict]], suffix: str) -> None:
    assume(suffix == "json" or yaml_writes([data for _, data in pairs], None, True))
    with _folder() as folder:
        path = folder / f"many.{suffix}"
        objects = [data for _, data in pairs]
        path.write_text(json.dumps(objects) if suffix == "json" else yaml_text(objects, None, True),
                        encoding="utf-8")
        read = read_case_file(path, CATALOG)
        assert read.is_list
        assert list(read.cases) == [_case(case if "id" in data else {**case, "id": f"many-{n}"})
                                    for n, (case, data) in enumerate(pairs, start=1)]


@given(st.lists(st.one_of(written(), st.just(None)), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_json_lines_are_read_line_by_line_unchanged(pairs: list[tuple[dict, dict] | None],
                                                    ascii_only: bool, bom: bool) -> None:
    """Each line's object is given to validation exactly as written; a blank line is no case;
    a case without an id is named by its line number."""
    lines = ["   " if pair is None else json.dumps(pair[1], ensure_ascii=ascii_only) for pair in pairs]
    with _folder() as folder:
        path = folder / "in.jsonl"
        path.write_bytes((codecs.BOM_UTF8 if bom else b"") + "\n".join(lines).encode() + b"\n")
        items = list(read_inputs(path))
        expected = [(number, pair) for number, pair in enumerate(pairs, start=1) if pair is not None]
        assert [item.where for item in items] == [f"{path}:{number}" for number, _ in expected]
        for item, (number, (case, data)) in zip(items, expected, strict=True):
            assert item.error is None and item.data == data
            assert _case(item.data, item.default_id) == _case(case if "id" in data else {**case, "id": f"in-{number}"})


def _without_nulls(data: Any) -> Any:
    """A case object as a CSV can hold it: a CSV has no null (an empty cell is an absent field)."""
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_without_nulls(v) for v in data]
    return data


@given(st.lists(written(keep_id=True), min_size=1, max_size=5), st.booleans())
@example([({"id": " padded "}, {"id": " padded "})], False)
@example([({"id": "\t"}, {"id": "\t"})], False)
def test_csv_rows_are_read_as_the_cases_they_flatten(pairs: list[tuple[dict, dict]], bom: bool) -> None:
    """`flatten_case` then the batch CSV reader gives the same case, and the id as written."""
    rows = [flatten_case(_without_nulls(data)) for _, data in pairs]
    header = list(dict.fromkeys(column for row in rows for column in row))
    with _folder() as folder:
        path = folder / "in.csv"
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([[row.get(column, "") for column in header] for row in rows])
        items = list(read_inputs(path))
        assert len(items) == len(pairs)
        for item, (case, _) in zip(items, pairs, strict=True):
            assert item.error is None
            assert _case(item.data, item.default_id) == _case(case)


@given(st.lists(st.tuples(written(), st.sampled_from([".json", ".yaml", ".yml"])), min_size=1, max_size=4))
def test_a_directory_gives_its_files_cases_in_name_order(files: list[tuple[tuple[dict, dict], str]]) -> None:
    assume(all(yaml_writes(data, None, True) for (_, data), _ in files))
    with _folder() as folder:
        for number, ((_, data), suffix) in enumerate(files):
            text = json.dumps(data) if suffix == ".json" else yaml_text(data, None, True)
            (folder / f"{number:02d}-case{suffix}").write_text(text, encoding="utf-8")
        items = list(read_inputs(folder))
        assert [Path(item.where).name for item in items] == [f"{n:02d}-case{s}" for n, (_, s) in enumerate(files)]
        for item, ((case, data), _) in zip(items, files, strict=True):
            assert item.error is None
            assert _case(item.data, item.default_id) == _case(case if "id" in data else
                                                              {**case, "id": Path(item.where).stem})


# Ids written as unquoted scalars: kept as the text written, or refused naming 'id'; never
# silently read as another value (YAML 1.1 reads 02134 as 1116, 0x1F as 31, 1:30 as 90).
_SCALARS = st.one_of(
    st.from_regex(r"[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0[0-9]+|0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7]+)", fullmatch=True),
    st.from_regex(r"[-+]?[0-9]+(:[0-5]?[0-9])+", fullmatch=True),
    st.from_regex(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.sampled_from(["yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", ".inf", "-.inf",
                     ".nan", "=", "<<", "1e3", "9" * 150]))


def _id_kept_or_refused(name: str, content: str, text: str) -> None:
    """The file's id reads back as ``text`` exactly, or the file is refused naming the id (or,
    when it is not YAML/JSON at all or holds a number too long, naming the file)."""
    with _folder() as folder:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        try:
            (read,) = read_case_file(path, CATALOG).cases
        except CaseError as error:
            assert error.field == "id" and "Fix:" in str(error)
        except EngineError as error:
            assert str(error).startswith(str(path)) and "Fix:" in str(error)
        else:
            assert read.id == text


@given(_SCALARS)
@example("02134")
@example("-0")
def test_an_unquoted_yaml_id_is_kept_or_refused_never_changed(text: str) -> None:
    _id_kept_or_refused("case.yaml", f"id: {text}\n", text)


@given(st.from_regex(r"-?(0|[1-9][0-9]{0,120})(\.[0-9]+)?([eE][-+]?[0-9]+)?", fullmatch=True))
@example("-0")
def test_an_unquoted_json_id_is_kept_or_refused_never_changed(text: str) -> None:
    _id_kept_or_refused("case.json", f'{{"id": {text}}}', text)
