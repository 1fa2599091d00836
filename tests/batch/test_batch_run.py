"""Batch inputs and outputs: CSV round trip, determinism, the CLI (resume: test_resume.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from engine import RuleBase, parse_case
from engine.batch.solver import BatchOptions
from engine.batch.io import read_inputs
from engine.batch.run import run_batch
from engine.batch.csv_cases import case_columns, flatten_case, unflatten_case
from engine.batch.generate import MAX_REQUESTS, generate_cases
from engine.render.progress import Progress
from engine.core.vocabulary import fact_fields
from tests.conftest import Cli


@pytest.fixture(scope="module")
def cases(rules: RuleBase) -> list[dict]:
    return list(generate_cases(rules.catalog, 60, seed=5))


@pytest.fixture
def jsonl(tmp_path: Path, cases: list[dict]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return path


def _csv_text(rules: RuleBase, cases: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, case_columns(rules.catalog, MAX_REQUESTS))
    writer.writeheader()
    writer.writerows(flatten_case(c) for c in cases)
    return buffer.getvalue()


def test_generated_cases_are_valid_deterministic_and_cover_every_value(rules: RuleBase) -> None:
    first = list(generate_cases(rules.catalog, 40, seed=3))
    assert first == list(generate_cases(rules.catalog, 40, seed=3))
    assert first != list(generate_cases(rules.catalog, 40, seed=4))
    parsed = [parse_case(c, rules.catalog, "gen", "gen") for c in first]
    for _, field in fact_fields():
        stated = {str(fact[-1]) for case in parsed for fact in case.facts if fact[0] == field.predicate}
        assert set(rules.catalog.domains[field.domain]) <= stated, field.predicate


def test_csv_round_trip_gives_the_same_cases(rules: RuleBase, cases: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(_csv_text(rules, cases), encoding="utf-8")
    read = [parse_case(i.data, rules.catalog, i.where, i.default_id) for i in read_inputs(path)]
    assert read == [parse_case(c, rules.catalog, "x", "x") for c in cases]


def test_csv_cells_that_are_not_what_the_column_expects_are_named(rules: RuleBase) -> None:
    data = unflatten_case({"id": "c", "person.consent": "maybe", "requests.1.kind": "detainer",
                           "requests.1.info": "immigration_status; release_date"})
    assert data == {"id": "c", "person": {"consent": "maybe"},
                    "requests": [{"kind": "detainer", "info": ["immigration_status", "release_date"]}]}
    with pytest.raises(Exception, match="person.consent"):
        parse_case(data, rules.catalog, "in.csv:2", "c")


def test_csv_and_jsonl_inputs_give_the_same_output(rules: RuleBase, cases: list[dict], jsonl: Path,
                                                   tmp_path: Path) -> None:
    table = tmp_path / "cases.csv"
    table.write_text(_csv_text(rules, cases), encoding="utf-8")
    for source, target in ((jsonl, tmp_path / "a.csv"), (table, tmp_path / "b.csv")):
        run_batch(read_inputs(source), target, fmt="csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_directory_input_reads_every_case_file_in_name_order(rules: RuleBase, tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("- {id: b1}\n- {id: b2, agency: nowhere}\n")
    (tmp_path / "a.json").write_text('{"requests": [{"kind": "detainer"}]}')
    (tmp_path / "notes.txt").write_text("not a case")
    out = tmp_path / "out.jsonl"
    summary = run_batch(read_inputs(tmp_path), out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["case"] for r in rows] == ["a", "b1", "b2"]
    assert rows[2]["error"]["field"] == "agency" and summary.errors == 1


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_output_is_byte_identical_across_workers_and_chunk_sizes(rules: RuleBase, jsonl: Path,
                                                                 tmp_path: Path, fmt: str) -> None:
    outputs = []
    for jobs, chunk_size in ((1, 500), (2, 7)):
        target = tmp_path / f"out-{jobs}.{fmt}"
        run_batch(read_inputs(jsonl), target, fmt=fmt, jobs=jobs,
                  chunk_size=chunk_size, options=BatchOptions(explain=True))
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_progress_line_has_rate_and_eta_and_stays_quiet_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(1000, stream, enabled=True, interval=0)
    progress.advance(250)
    assert "250/1,000 cases 25%" in stream.getvalue() and "/s ETA 0:" in stream.getvalue()
    quiet = io.StringIO()
    Progress(1000, quiet).advance(250)  # StringIO is not a terminal
    assert quiet.getvalue() == ""


def test_cli_batch_and_generate(tmp_path: Path, cli: Cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli("generate", "--n", "30", "--seed", "7")
    assert status == 0
    Path("cases.jsonl").write_text(out)
    assert cli("batch", "cases.jsonl", "--out", "r.csv", "--ordinance", "beacon",
               "--ordinance", "westchester", "--quiet").status == 0
    rows = list(csv.DictReader(Path("r.csv").open()))
    assert {r["ordinance"] for r in rows} == {"beacon", "westchester"}
    assert {r["case"] for r in rows} == {f"case-{n}" for n in range(1, 31)}
    assert cli("batch", "cases.jsonl", "--out", "r.csv", "--ordinance", "beacon",
               "--ordinance", "westchester", "--resume", "--quiet").status == 0
    assert list(csv.DictReader(Path("r.csv").open())) == rows


@pytest.mark.parametrize("argv, message", [
    (["batch", "cases.jsonl", "--resume"], "--resume needs --out"),
    (["batch", "cases.jsonl", "--ordinance", "atlantis"], "unknown ordinance 'atlantis'"),
    (["batch", "missing.jsonl"], "no such file"),
    (["batch", "cases.txt"], "unknown input type"),
])
def test_cli_batch_bad_options_exit_2_with_a_fix(tmp_path: Path, cli: Cli, monkeypatch,
                                                 argv: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cases.jsonl").write_text("{}\n")
    Path("cases.txt").write_text("{}\n")
    status, _, err = cli(*argv)
    assert status == 2 and message in err and "Fix:" in err


def test_dask_bag_over_jsonl_partitions_gives_the_batch_rows(rules: RuleBase, jsonl: Path) -> None:
    bag = pytest.importorskip("dask.bag")
    from engine.batch.solver import decide_partition

    rows = (bag.read_text(str(jsonl), blocksize=2000).map(json.loads)
            .map_partitions(decide_partition, BatchOptions()).compute(scheduler="synchronous"))
    run_batch(read_inputs(jsonl), jsonl.with_suffix(".out"))
    expected = [json.loads(line) for line in jsonl.with_suffix(".out").read_text().splitlines()]
    assert rows == expected


def test_a_bad_line_of_any_kind_is_an_error_row_and_the_batch_goes_on(tmp_path: Path, cli_process) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b'{"id": "first"}\n' + b'{"id": ' + b"9" * 5000 + b'}\n' + b"[" * 100000 + b"]" * 100000
                       + b'\n{"id": "\xff\xfe"}\nnot json\n{"id": "last"}\n')
    status, out, err = cli_process("batch", str(source), "--ordinance", "beacon", "--quiet")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and "Traceback" not in err
    assert [row["case"] for row in rows] == ["first", "mixed-2", "mixed-3", "mixed-4", "mixed-5", "last"]
    errors = [row["error"]["message"] if isinstance(row.get("error"), dict) else row.get("error") for row in rows[1:5]]
    assert "a number of 5000 digits" in str(errors[0]) and "nested too deeply" in str(errors[1])
    assert "not UTF-8 text" in str(errors[2]) and "write one JSON object per line" in str(errors[3])


def test_csv_is_read_strictly(tmp_path: Path, cli_process) -> None:
    bom = tmp_path / "excel.csv"
    bom.write_bytes("\ufeffid,agency\nx,police\ny,police,extra\n".encode("utf-8"))
    status, out, err = cli_process("batch", str(bom), "--ordinance", "beacon", "--format", "csv", "--quiet")
    assert status == 0 and "unknown field" not in out and out.count("\nx,beacon,") > 0  # the BOM is no part of "id"
    assert "3 cells, but the header has 2 columns" in out
    for name, text, words in (("alias.csv", "id,requests.1.kind,requests.01.kind\nx,detainer,transfer\n",
                               "'requests.1.kind' and 'requests.01.kind' name the same field"),
                              ("dup.csv", "id,id\nx,y\n", "'id' and 'id' name the same field")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        status, _, err = cli_process("batch", str(path), "--ordinance", "beacon", "--quiet")
        assert status == 2 and words in err and "Traceback" not in err
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text("id,agency\nx,police\n", encoding="utf-16")
    status, _, err = cli_process("batch", str(utf16), "--ordinance", "beacon", "--quiet")
    assert status == 2 and "not UTF-8 text" in err and "Traceback" not in err
