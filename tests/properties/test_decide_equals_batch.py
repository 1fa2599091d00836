"""`decide` and `batch` give the same rows, one per input record, in order (issue 12, item 7).

Whatever the cases, the options (ordinances, switches) and the way a batch
evaluates them (compiled or one solve a case), the row `batch --all` writes for
a case is the object `decide --format json` prints for it (`Decision.to_dict`);
and a batch writes exactly one row per input record (a JSON Lines line that is
not blank, a CSV row), error rows included, in input order, across chunks.
"""

from __future__ import annotations

import csv
import json
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.batch.csv_cases import flatten_case
from engine.batch.io import read_inputs
from engine.batch.run import run_batch
from engine.batch.solver import AUTO, MULTI_SHOT, BatchOptions
from engine.core.cases import parse_case
from engine.core.solve import decide
from tests.properties.strategies import CATALOG, RULES, budget, cases, mutations, not_in

#: A record of an input: ("case", object) is decided; ("bad", (object, field)) is an error row
#: naming the field; ("broken", text) a line no JSON reader reads; ("blank", "") no row at all.
Record = tuple[str, Any]


@contextmanager
def _folder() -> Iterator[Path]:
    """A fresh directory for one example (pytest's tmp_path is shared by all examples of a test)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def options() -> st.SearchStrategy[BatchOptions]:
    """Batch options a user can choose (every pair listed, so rows compare with `decide`'s)."""
    switches = st.fixed_dictionaries({}, optional={law: st.sampled_from(values)
                                                   for law, (_, values) in CATALOG.switches.items()})
    ordinances = st.one_of(st.none(), st.lists(st.sampled_from(tuple(CATALOG.ordinances)), min_size=1,
                                               max_size=3, unique=True).map(tuple))
    return st.builds(BatchOptions, ordinances=ordinances,
                     readings=switches.map(lambda chosen: tuple(sorted(chosen.items()))),
                     include_silent=st.just(True), evaluation=st.sampled_from([AUTO, MULTI_SHOT]))


def _decided(data: dict[str, Any], default_id: str, chosen: BatchOptions) -> dict[str, Any]:
    """What `ordinance decide --format json` prints for the case (`Decision.to_dict`, as JSON)."""
    case = parse_case(data, CATALOG, "decide", default_id)
    decision = decide(case, RULES, ordinances=list(chosen.ordinances) if chosen.ordinances else None,
                      readings=dict(chosen.readings))
    return json.loads(json.dumps(decision.to_dict()))


@st.composite
def jsonl_records(draw: st.DrawFn) -> list[Record]:
    def bad(case: dict[str, Any]) -> st.SearchStrategy[Record]:
        return mutations(case).map(lambda pair: ("bad", pair))

    record = st.one_of(cases().map(lambda case: ("case", case)), cases().flatmap(bad),
                       st.sampled_from(['{"id": "cut', "[1, 2]", "not json", '{"id": 1' + "0" * 200 + "}",
                                        "[" * 60 + "]" * 60]).map(lambda text: ("broken", text)),
                       st.just(("blank", "")))
    return draw(st.lists(record, min_size=1, max_size=7))


def _jsonl_line(record: Record) -> str:
    kind, payload = record
    if kind == "case":
        return json.dumps(payload, ensure_ascii=False)
    if kind == "bad":
        return json.dumps(payload[0], ensure_ascii=False)
    return payload


def _check_rows(rows: list[dict[str, Any]], records: list[tuple[Record, str]], chosen: BatchOptions) -> None:
    """One row per record that is not blank, in order: each case's row is `decide`'s, each bad
    record's an error row naming its field (or, for a line no reader reads, its line)."""
    kept = [(record, where) for record, where in records if record[0] != "blank"]
    assert len(rows) == len(kept)
    for row, ((kind, payload), where) in zip(rows, kept, strict=True):
        if kind == "case":
            assert row == _decided(payload, "", chosen)
        elif kind == "bad":
            assert row["error"]["field"] == payload[1], row
            assert row["error"]["message"].startswith(where), row
        else:
            assert row["error"]["where"] == where and row["error"]["field"] == "", row


@settings(max_examples=budget(0.5))
@given(jsonl_records(), options(), st.integers(1, 3))
def test_a_jsonl_batch_writes_decides_rows_one_per_line_in_order(records: list[Record], chosen: BatchOptions,
                                                                chunk: int) -> None:
    with _folder() as folder:
        source, out = folder / "in.jsonl", folder / "out.jsonl"
        source.write_text("".join(_jsonl_line(record) + "\n" for record in records), encoding="utf-8")
        run_batch(read_inputs(source), out, options=chosen, fmt="jsonl", chunk_size=chunk)
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    _check_rows(rows, [(record, f"{source}:{number}") for number, record in enumerate(records, start=1)], chosen)


@st.composite
def csv_records(draw: st.DrawFn) -> list[Record]:
    """Cases, and cases with a word in a column that is no word of it (a CSV cell is text)."""
    def bad(case: dict[str, Any]) -> st.SearchStrategy[Record]:
        def wrong(name: str) -> st.SearchStrategy[Record]:
            domain = CATALOG.domains["agency" if name == "agency" else "request_kind"]
            return not_in(domain).filter(lambda word: word.strip() not in ("", *domain)) \
                .map(lambda word: ("bad", _with_word(case, name, word)))

        return st.sampled_from(["agency", "kind"]).flatmap(wrong)

    record = st.one_of(cases().map(lambda case: ("case", case)), cases().flatmap(bad))
    return draw(st.lists(record, min_size=1, max_size=6))


def _with_word(case: dict[str, Any], name: str, word: str) -> tuple[dict[str, Any], str]:
    if name == "agency":
        return {**case, "agency": word}, "agency"
    requests = [dict(r) for r in case.get("requests", [])] or [{"from": "ice"}]
    requests[0]["kind"] = word
    return {**case, "requests": requests}, "requests[0].kind"


@settings(max_examples=budget(0.4))
@given(csv_records(), options(), st.integers(1, 3))
def test_a_csv_batch_writes_decides_rows_one_group_per_row_in_order(records: list[Record], chosen: BatchOptions,
                                                                   chunk: int) -> None:
    """A CSV input decided to JSON Lines (rows compare with `decide`) and to CSV (one line per
    result, the lines of a case together, cases in input order)."""
    flat = [flatten_case(payload if kind == "case" else payload[0]) for kind, payload in records]
    header = list(dict.fromkeys(column for row in flat for column in row))
    with _folder() as folder:
        source = folder / "in.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([[row.get(column, "") for column in header] for row in flat])
        run_batch(read_inputs(source), folder / "out.jsonl", options=chosen, fmt="jsonl", chunk_size=chunk)
        rows = [json.loads(line) for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()]
        run_batch(read_inputs(source), folder / "out.csv", options=chosen, fmt="csv", chunk_size=chunk)
        with (folder / "out.csv").open(encoding="utf-8", newline="") as handle:
            lines = list(csv.DictReader(handle))
    _check_rows(rows, [(record, str(source)) for record in records], chosen)
    for row in rows:  # the CSV output: each row's lines, in order, saying the same
        expected = [(r["ordinance"], r["action"], r["status"], ";".join(r["sections"])) for r in row["results"]] \
            if "results" in row else [("", "", "error", "")]
        mine, lines = lines[:len(expected)], lines[len(expected):]
        assert [line["case"] for line in mine] == [row["case"]] * len(expected)
        assert [(line["ordinance"], line["action"], line["status"], line["sections"]) for line in mine] == expected
    assert lines == []
