"""`batch --explain` on demand (issue 15, item 3): rows name their rule instances and case facts by
ids into a table written once per run, and the derivation, graph and text are rebuilt from them
when asked.

Checked: the compact row and its table give back exactly the row of the full form
(``--explain-format firings``) for every case of examples/batch/cases.jsonl and for drawn cases,
on both evaluation paths; `ordinance explain --from-batch` prints and draws what `ordinance
explain` does for the same case; a table of other rules, of other readings or of another run is
refused; an interrupted explained run, resumed, writes the same rows and table; rows and table do
not depend on the number of workers or the chunk size.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import RuleBase, load_rule_base, parse_case
from engine.batch.generate import generate_cases
from engine.batch.io import encode_rows, read_inputs
from engine.batch.run import run_batch
from engine.batch.solver import (COMPACT, MULTI_SHOT, BatchOptions, CaseInput, decide_chunk, evaluation_path,
                                 trace_index)
from engine.batch.trace_table import TraceTable, new_entries, read_explained, table_path
from engine.core.errors import EngineError
from engine.explain.explanation import explain
from tests.batch.test_compiled import AGGREGATE
from tests.conftest import EXAMPLES, Cli
from tests.properties.strategies import cases as case_objects

CASES = EXAMPLES / "batch" / "cases.jsonl"
COMPACT_OPTIONS = BatchOptions(explain=True, explain_format=COMPACT)


def _items(path: Path = CASES) -> list[CaseInput]:
    return list(read_inputs(path))


def _written(rows: list[dict], rules: RuleBase, options: BatchOptions, out: Path) -> None:
    """Rows and their table as `ordinance batch` writes them (the table through its writer)."""
    from engine.batch.trace_table import TableWriter

    out.write_text(encode_rows(rows, "jsonl", True), encoding="utf-8")
    table = TableWriter(out, rules, options, resume=False)
    table.add(new_entries(rows, rules, options, {}))
    table.finish()


def _round_trip(items: list[CaseInput], rules: RuleBase, out: Path, **options: object) -> list[dict]:
    """The compact rows of both evaluation paths (checked equal), each read back in the full form
    and checked equal, as objects and as bytes, to the row the full form writes."""
    compact = BatchOptions(explain=True, explain_format=COMPACT, **options)  # type: ignore[arg-type]
    rows = decide_chunk(items, rules, compact)
    solved = decide_chunk(items, rules, BatchOptions(explain=True, explain_format=COMPACT,  # type: ignore[arg-type]
                                                     evaluation=MULTI_SHOT, **options))
    assert rows == solved
    assert encode_rows(rows, "jsonl", True) == encode_rows(solved, "jsonl", True)
    full = decide_chunk(items, rules, BatchOptions(explain=True, **options))  # type: ignore[arg-type]
    _written(rows, rules, compact, out)
    seen: set[str] = set()
    for row, expected in zip(rows, full, strict=True):
        if "error" in row or row["case"] in seen:  # the reader finds a case's first row
            continue
        seen.add(row["case"])
        assert "firings" not in row and "trace" in row
        rebuilt = read_explained(out, row["case"], rules).firings_row()
        assert rebuilt == expected
        assert encode_rows([rebuilt], "jsonl", True) == encode_rows([expected], "jsonl", True)
    return rows


@pytest.mark.parametrize("options", [{}, {"include_silent": True, "readings": (("usc_1373", "broad"),)}],
                         ids=["default", "all-broad"])
def test_every_example_case_round_trips_to_the_full_form(rules: RuleBase, tmp_path: Path, options: dict) -> None:
    rows = _round_trip(_items(), rules, tmp_path / "out.jsonl", **options)
    assert len(rows) == 25


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(st.lists(case_objects().filter(lambda case: len(case.get("requests", ())) <= 2), min_size=1, max_size=8),
       st.booleans())
def test_drawn_cases_round_trip_on_both_paths(cases: list[dict], include_silent: bool) -> None:
    import tempfile

    rules = load_rule_base(use_env=False)
    items = [CaseInput(f"drawn:{n}", f"drawn-{n}", data) for n, data in enumerate(cases)]
    with tempfile.TemporaryDirectory() as folder:
        _round_trip(items, rules, Path(folder) / "out.jsonl", include_silent=include_silent)


def test_compact_rows_are_at_least_five_times_smaller(rules: RuleBase) -> None:
    """Not a timing: the bytes of the two forms of the same rows."""
    items = _items()
    compact = encode_rows(decide_chunk(items, rules, COMPACT_OPTIONS), "jsonl", True)
    full = encode_rows(decide_chunk(items, rules, BatchOptions(explain=True)), "jsonl", True)
    assert len(full) >= 5 * len(compact)


def test_the_reader_gives_the_explanation_of_ordinance_explain(rules: RuleBase, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run_batch(read_inputs(CASES), out, options=COMPACT_OPTIONS, source=CASES)
    for item, line in zip(_items(), out.read_text(encoding="utf-8").splitlines(), strict=True):
        row = json.loads(line)
        case = parse_case(item.data, rules.catalog, item.where, item.default_id)
        explained = read_explained(out, row["case"], rules)
        assert explained.case.facts == case.facts
        first, last = row["results"][0], row["results"][-1]
        for result in {id(first): first, id(last): last}.values():
            pair = (result["ordinance"], result["action"])
            assert explained.explain(*pair).to_dict() == explain(case, rules, *pair).to_dict()


def test_explain_from_batch_prints_and_draws_what_explain_does(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    assert cli("batch", str(CASES), "--out", str(out), "--explain", "--quiet").status == 0
    case = tmp_path / "case-3.json"
    case.write_text(CASES.read_text(encoding="utf-8").splitlines()[2], encoding="utf-8")
    for pair in (("westchester", "honor_detainer"), ("beacon", "share_status_info")):
        given = cli("explain", str(case), *pair, "--graph", str(tmp_path / "given.dot"))
        read = cli("explain", "--from-batch", str(out), "case-3", *pair, "--graph", str(tmp_path / "read.dot"))
        assert given.status == read.status == 0 and read.out == given.out
        assert (tmp_path / "read.dot").read_text() == (tmp_path / "given.dot").read_text()
        as_json = cli("explain", "--from-batch", str(out), "case-3", *pair, "--format", "json")
        assert json.loads(as_json.out) == json.loads(cli("explain", str(case), *pair, "--format", "json").out)


def test_a_table_of_other_rules_readings_or_run_is_refused(rules: RuleBase, tmp_path: Path, cli: Cli) -> None:
    out, broad = tmp_path / "out.jsonl", tmp_path / "broad.jsonl"
    run_batch(read_inputs(CASES), out, options=COMPACT_OPTIONS, source=CASES)
    run_batch(read_inputs(CASES), broad, source=CASES,
              options=BatchOptions(explain=True, explain_format=COMPACT, readings=(("usc_1373", "broad"),)))
    with pytest.raises(EngineError, match=r"broad\.jsonl\.trace\.jsonl: table .* another run\. Fix:"):
        read_explained(out, "case-1", rules, table=table_path(broad))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "extra.lp").write_text("% An added rule file.\nextra_note(1).\n", encoding="utf-8")
    other = load_rule_base([mine], use_env=False)
    with pytest.raises(EngineError, match=r"trace\.jsonl: written under other rule files \(1 rule file\(s\) "
                                          r"added\).* Fix: give the --rules the batch was run with"):
        read_explained(out, "case-1", other)
    table_path(out).unlink()
    result = cli("explain", "--from-batch", str(out), "case-1", "westchester", "honor_detainer")
    assert result.status == 2 and "out.jsonl.trace.jsonl: no such file" in result.err and "Fix:" in result.err


def test_a_damaged_or_foreign_table_and_rows_without_a_trace_are_refused(rules: RuleBase, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run_batch(read_inputs(CASES), out, options=COMPACT_OPTIONS, source=CASES)
    lines = table_path(out).read_text(encoding="utf-8").splitlines()
    table_path(out).write_text(lines[0] + "\n" + lines[1][:40] + "\n", encoding="utf-8")
    with pytest.raises(EngineError, match=r"trace\.jsonl:2: not a line of an `ordinance batch --explain` table"):
        TraceTable.load(table_path(out))
    full = tmp_path / "full.jsonl"
    run_batch(read_inputs(CASES), full, options=BatchOptions(explain=True), source=CASES)
    with pytest.raises(EngineError, match=r"full\.jsonl:1 \(case 'case-1'\): the row has no compact trace"):
        read_explained(full, "case-1", rules)
    with pytest.raises(EngineError, match=r"no row of case 'nobody'"):
        read_explained(full, "nobody", rules)


def test_rows_and_table_do_not_depend_on_workers_or_chunks(tmp_path: Path) -> None:
    outputs = []
    for jobs, chunk_size in ((1, 500), (2, 3)):
        target = tmp_path / f"out-{jobs}.jsonl"
        run_batch(read_inputs(CASES), target, jobs=jobs, chunk_size=chunk_size, options=COMPACT_OPTIONS)
        outputs.append((target.read_bytes(), table_path(target).read_bytes()))
    assert outputs[0] == outputs[1]


class _CtrlCAfter:
    """A progress line on which Ctrl-C is pressed once ``chunks`` chunks are written."""

    total = None

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks

    def advance(self, cases: int) -> None:
        self.chunks -= 1
        if not self.chunks:
            raise KeyboardInterrupt

    def close(self) -> None:
        """Nothing to clear."""


def test_an_interrupted_explained_run_resumed_writes_the_same_rows_and_table(tmp_path: Path) -> None:
    whole, cut = tmp_path / "whole.jsonl", tmp_path / "cut.jsonl"
    run_batch(read_inputs(CASES), whole, options=COMPACT_OPTIONS, source=CASES)
    with pytest.raises(KeyboardInterrupt, match=r"10 cases are in .*--resume"):
        run_batch(read_inputs(CASES), cut, options=COMPACT_OPTIONS, chunk_size=5, source=CASES,
                  progress=_CtrlCAfter(2))  # type: ignore[arg-type]
    assert table_path(cut).read_bytes() != table_path(whole).read_bytes()  # the ids of 10 cases only
    with cut.open("ab") as handle:  # a kill after a write and before the state was recorded
        handle.write(b'{"case":"half a row')
    run_batch(read_inputs(CASES), cut, options=COMPACT_OPTIONS, resume=True, chunk_size=4, source=CASES)
    assert cut.read_bytes() == whole.read_bytes()
    assert table_path(cut).read_bytes() == table_path(whole).read_bytes()
    with pytest.raises(EngineError, match=r"--explain-format: was \"compact\", now null"):
        run_batch(read_inputs(CASES), cut, options=BatchOptions(explain=True), resume=True, source=CASES)


def test_the_command_line_asks_for_a_file_and_keeps_the_full_form(cli: Cli, tmp_path: Path) -> None:
    to_stdout = cli("batch", str(CASES), "--explain", "--quiet")
    assert to_stdout.status == 2 and "Fix: add --out FILE, or --explain-format firings" in to_stdout.err
    alone = cli("batch", str(CASES), "--explain-format", "firings", "--quiet")
    assert alone.status == 2 and "Fix: add --explain" in alone.err
    full = cli("batch", str(CASES), "--explain", "--explain-format", "firings", "--quiet")
    first = json.loads(full.out.splitlines()[0])
    assert full.status == 0 and first["firings"][0].keys() == {"rule", "head", "positive", "negative"}
    refused = cli("explain", "--from-batch", str(tmp_path / "none.jsonl"), "case-1", "beacon", "honor_detainer",
                  "--reading", "broad")
    assert refused.status == 2 and "Fix: drop --reading/--switch" in refused.err


def test_csv_and_frames_carry_the_derivation_ids(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from engine.batch.rows import read_rows

    jsonl, csv_out = tmp_path / "out.jsonl", tmp_path / "out.csv"
    run_batch(read_inputs(CASES), jsonl, options=COMPACT_OPTIONS)
    run_batch(read_inputs(CASES), csv_out, fmt="csv", options=COMPACT_OPTIONS)
    assert table_path(csv_out).read_bytes() == table_path(jsonl).read_bytes()
    ids = [result["derivation"] for line in jsonl.read_text(encoding="utf-8").splitlines()
           for result in json.loads(line)["results"]]
    assert any(ids) and list(read_rows(jsonl)["derivation"]) == ids == list(read_rows(csv_out)["derivation"])


def test_a_resume_without_its_table_and_a_device_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(read_inputs(CASES), out, options=COMPACT_OPTIONS, chunk_size=5, source=CASES,
                  progress=_CtrlCAfter(1))  # type: ignore[arg-type]
    table_path(out).unlink()
    with pytest.raises(EngineError, match=r"--resume .*out\.jsonl\.trace\.jsonl, is missing.* Fix: run again"):
        run_batch(read_inputs(CASES), out, options=COMPACT_OPTIONS, resume=True, source=CASES)
    with pytest.raises(EngineError, match=r"standard output or a device .* Fix: give --out a file"):
        run_batch(read_inputs(CASES), "/dev/null", options=COMPACT_OPTIONS)
    assert not Path("/dev/null" + ".trace.jsonl").exists()


LOOP = """\
ordinance(loop, "loop", "Two helpers deriving each other (tests only)").
source(loop, "tests").

loop_a(Q) :- request(Q, detainer).
loop_a(Q) :- loop_b(Q).
loop_b(Q) :- loop_a(Q).

% "1. Officers shall not honor a detainer."
provision(loop, "1", "Officers shall not honor a detainer").
prohibits(loop, "1", honor_detainer, Q) :- loop_b(Q), request(Q, _).
"""


@pytest.mark.parametrize("text, ordinance", [(LOOP, "loop"), (AGGREGATE, "agg")], ids=["positive-loop", "aggregate"])
def test_user_rules_with_a_loop_or_solved_case_by_case_round_trip(tmp_path: Path, text: str, ordinance: str) -> None:
    """A positive loop makes the instances' closure a fixpoint; an aggregate keeps the multi-shot path."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / f"{ordinance}.lp").write_text(text, encoding="utf-8")
    rules = load_rule_base([folder], use_env=False)
    assert (evaluation_path(rules, 2).name == MULTI_SHOT) == (ordinance == "agg")
    index = trace_index(rules, BatchOptions(), 2)
    assert index.acyclic == (ordinance != "loop")
    items = [CaseInput(f"g:{n}", f"g-{n}", case) for n, case in enumerate(generate_cases(rules.catalog, 40, seed=3))]
    rows = _round_trip(items, rules, tmp_path / "out.jsonl", ordinances=(ordinance, "westchester"))
    assert any(r["ordinance"] == ordinance and r["status"] == "forbidden" for row in rows for r in row["results"])
