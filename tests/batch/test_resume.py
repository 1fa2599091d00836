"""`--resume` is exact (issue 12, item 2) and Ctrl-C keeps what was written (item 4); the batch
summary is printed off a terminal and the exit status tells a script when rows are errors
(item 6).  The guarantees are those docs/batch.md states under "Reliability"."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from engine import RuleBase
from engine.batch.generate import generate_cases
from engine.batch.io import read_inputs
from engine.batch.resume import state_path
from engine.batch.run import run_batch
from engine.batch.solver import BatchOptions, CaseInput
from engine.core.errors import EngineError
from tests.conftest import ROOT, Cli, press_ctrl_c

#: Ids that a resume keyed by id would get wrong: twice the same id (adjacent and apart),
#: 1 and "1", a newline, and the characters str.splitlines() takes for line ends.
AWKWARD_IDS = ["a", "a", "b", 1, "1", "b", "new\nline", "sep\u2028arator", "para\u2029graph", "nel\x85x",
               "c,\"quoted\"", "a"]


@pytest.fixture
def source(tmp_path: Path, rules: RuleBase) -> Path:
    """Cases whose ids are awkward, each also stating something to decide."""
    generated = list(generate_cases(rules.catalog, len(AWKWARD_IDS) * 3, seed=11))
    cases = [{**case, "id": AWKWARD_IDS[n % len(AWKWARD_IDS)]} for n, case in enumerate(generated)]
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return path


def _interrupted_after(inputs: Iterable[CaseInput], count: int) -> Iterator[CaseInput]:
    """The inputs, as if the user pressed Ctrl-C while the record after ``count`` was read."""
    for number, item in enumerate(inputs):
        if number == count:
            raise KeyboardInterrupt
        yield item


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_interrupted_run_resumed_gives_the_uninterrupted_output(source: Path, tmp_path: Path,
                                                                  fmt: str) -> None:
    whole = tmp_path / f"whole.{fmt}"
    run_batch(read_inputs(source), whole, fmt=fmt, source=source)
    cut = tmp_path / f"cut.{fmt}"
    with pytest.raises(KeyboardInterrupt, match=r"20 cases are in .* run the same command with --resume"):
        run_batch(_interrupted_after(read_inputs(source), 23), cut, fmt=fmt, chunk_size=5, source=source)
    with cut.open("ab") as handle:  # a kill after a write and before the state was recorded
        handle.write(b'{"case":"half a row')
    summary = run_batch(read_inputs(source), cut, fmt=fmt, resume=True, chunk_size=7, source=source)
    assert cut.read_bytes() == whole.read_bytes()
    assert (summary.skipped, summary.decided) == (20, len(AWKWARD_IDS) * 3 - 20)


def test_every_record_is_one_line_whatever_its_id_holds(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(read_inputs(source), out, source=source)
    lines = out.read_text(encoding="utf-8").splitlines()  # splits at U+2028, U+2029, U+0085 too
    assert [json.loads(line)["case"] for line in lines] == [str(AWKWARD_IDS[n % len(AWKWARD_IDS)])
                                                            for n in range(len(AWKWARD_IDS) * 3)]


def test_a_finished_run_resumed_writes_nothing(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    run_batch(read_inputs(source), out, source=source)
    before = out.read_bytes()
    summary = run_batch(read_inputs(source), out, resume=True, source=source)
    assert out.read_bytes() == before and summary.decided == 0 and summary.skipped == len(AWKWARD_IDS) * 3


@pytest.mark.parametrize("change, named", [
    ({"options": BatchOptions(include_silent=True)}, '--all: was false, now true'),
    ({"options": BatchOptions(ordinances=("beacon",))}, '--ordinance: was null, now ["beacon"]'),
    ({"options": BatchOptions(readings=(("usc_1373", "broad"),))}, '--reading/--switch: was {}, now {"usc_1373": "broad"}'),
    ({"options": BatchOptions(time_limit=5.0)}, "--time-limit: was null, now 5.0"),
    ({"fmt": "csv"}, 'the output format: was "jsonl", now "csv"'),
])
def test_a_resume_with_other_settings_is_refused_naming_the_difference(source: Path, tmp_path: Path,
                                                                      change: dict, named: str) -> None:
    out = tmp_path / "rows.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(_interrupted_after(read_inputs(source), 10), out, chunk_size=5, source=source)
    before = out.read_bytes()
    with pytest.raises(EngineError, match="differs from the one that wrote") as refused:
        run_batch(read_inputs(source), out, resume=True, source=source, **change)
    assert named in str(refused.value) and "Fix:" in str(refused.value)
    assert out.read_bytes() == before  # nothing was cut or appended


def test_a_resume_after_the_input_changed_is_refused(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(_interrupted_after(read_inputs(source), 10), out, chunk_size=5, source=source)
    with source.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "one more"}\n')
    with pytest.raises(EngineError, match="the input's content"):
        run_batch(read_inputs(source), out, resume=True, source=source)


def test_a_resume_without_a_record_of_the_earlier_run_is_refused(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    out.write_text('{"case":"x","results":[]}\n')
    with pytest.raises(EngineError, match=r"no record of how far .* Fix: run again without --resume"):
        run_batch(read_inputs(source), out, resume=True, source=source)
    state_path(out).write_text("[1, 2]")
    with pytest.raises(EngineError, match="not a state file of `ordinance batch`"):
        run_batch(read_inputs(source), out, resume=True, source=source)


def test_a_resume_with_nothing_to_resume_starts_from_the_beginning(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    summary = run_batch(read_inputs(source), out, resume=True, source=source)
    assert summary.skipped == 0 and summary.decided == len(AWKWARD_IDS) * 3


def test_the_summary_is_printed_off_a_terminal(tmp_path: Path, cli_process: Cli) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_text('{"id": "ok"}\n{"id": "bad", "agency": "nowhere"}\n')
    result = cli_process("batch", str(source), "--out", str(tmp_path / "rows.jsonl"))
    assert result.status == 0
    assert result.err.startswith("ordinance batch: 2 cases decided, 1 error row, ")
    assert f"rows in {tmp_path / 'rows.jsonl'}" in result.err
    assert cli_process("batch", str(source), "--out", str(tmp_path / "rows.jsonl"), "--quiet").err == ""


def test_fail_on_error_exits_1_after_writing_every_row(tmp_path: Path, cli: Cli) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_text('{"id": "ok"}\n{"id": "bad", "agency": "nowhere"}\n')
    out = tmp_path / "rows.jsonl"
    status, _, err = cli("batch", str(source), "--out", str(out), "--fail-on-error", "--quiet")
    assert status == 1 and "1 of 2 cases gave an error row (--fail-on-error)" in err and "'agency'" in err
    assert len(out.read_text().splitlines()) == 2
    assert cli("batch", str(source), "--out", str(out), "--quiet").status == 0


def test_every_row_an_error_exits_2_with_the_first_error(tmp_path: Path, cli: Cli) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("identifier,agencies\nx,police\ny,police\n")  # a header in other words
    status, out, err = cli("batch", str(source), "--quiet")
    assert status == 2 and "every case (2) gave an error row" in err and "unknown field" in err
    assert len(out.splitlines()) == 2


def test_ctrl_c_with_workers_ends_at_once_with_one_line_and_resume_finishes(tmp_path: Path, rules: RuleBase) -> None:
    """Ctrl-C reaches every process of the terminal's group; only one line may come back."""
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(json.dumps(case) + "\n" for case in generate_cases(rules.catalog, 6000, seed=3)))
    out = tmp_path / "rows.jsonl"
    command = [sys.executable, "-m", "engine", "batch", str(source), "--out", str(out), "--jobs", "2",
               "--ordinance", "beacon"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        state = state_path(out)
        if state.exists() and json.loads(state.read_text())["records"] >= 500:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    seconds, err = press_ctrl_c(process, timeout=30)
    assert process.returncode == 130 and seconds < 3
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert "run the same command with --resume" in err
    resumed = subprocess.run(command + ["--resume", "--quiet"], cwd=ROOT, capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["case"] for row in rows] == [f"case-{n}" for n in range(1, 6001)]
    expected = run_batch(read_inputs(source), tmp_path / "whole.jsonl", options=BatchOptions(ordinances=("beacon",)))
    assert expected.decided == 6000
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


def test_rows_written_to_a_terminal_cannot_act_on_it(tmp_path: Path) -> None:
    """JSON Lines rows go to standard output by default: an id's ESC, C1 or bidi override is an
    escape there, and reads back as the same id."""
    source = tmp_path / "cases.jsonl"
    hostile = "x\x1b]0;owned\x07\x9b2J\u202eevil"
    source.write_text(json.dumps({"id": hostile}) + "\n", encoding="utf-8")
    out = tmp_path / "rows.jsonl"
    run_batch(read_inputs(source), out, source=source)
    text = out.read_text(encoding="utf-8")
    assert not any(char in text for char in "\x1b\x07\x9b\u202e")
    assert json.loads(text)["case"] == hostile


def test_cases_on_standard_input(tmp_path: Path) -> None:
    """`ordinance generate | ordinance batch -`: JSON Lines on stdin, named <stdin>:LINE."""
    done = subprocess.run([sys.executable, "-m", "engine", "batch", "-", "--ordinance", "beacon", "--quiet"],
                          cwd=ROOT, input=b'{"id": "a"}\nnot json\n\n{}\n', capture_output=True)
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 0 and [row["case"] for row in rows] == ["a", "stdin-2", "stdin-4"]
    assert rows[1]["error"]["where"] == "<stdin>:2" and "results" in rows[2]
    refused = subprocess.run([sys.executable, "-m", "engine", "batch", "-", "--out", str(tmp_path / "r.jsonl"),
                              "--resume"], cwd=ROOT, input=b"{}\n", capture_output=True)
    assert refused.returncode == 2 and b"--resume needs the cases in a file" in refused.stderr


def test_a_byte_order_mark_starting_any_line_is_accepted(tmp_path: Path) -> None:
    """`cat a.jsonl b.jsonl` of two files saved with a BOM puts one in the middle."""
    source = tmp_path / "joined.jsonl"
    source.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n\xef\xbb\xbf{"id": "b"}\n')
    rows = [json.loads(line) for line in _rows(source, tmp_path)]
    assert [row["case"] for row in rows] == ["a", "b"] and all("results" in row for row in rows)


def _rows(source: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "rows.jsonl"
    run_batch(read_inputs(source), out, source=source)
    return out.read_text(encoding="utf-8").splitlines()


def test_a_resume_sees_an_edit_to_a_rule_file_that_all_lp_includes(rules: RuleBase, tmp_path: Path) -> None:
    """The rule files a run depends on include those asp/all.lp pulls in, not the entry file
    alone: an edited ordinance file makes the settings differ, so a resume is refused."""
    import dataclasses
    import shutil

    from engine.batch.resume import run_settings

    copy = tmp_path / "asp"
    shutil.copytree(rules.files[0].parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    copied = dataclasses.replace(rules, files=(copy / "all.lp",))
    assert copy / "ordinances" / "beacon.lp" in copied.source_files()
    before = run_settings(None, "jsonl", {}, copied.source_files())
    entry_only = run_settings(None, "jsonl", {}, copied.files)
    beacon = copy / "ordinances" / "beacon.lp"
    beacon.write_text(beacon.read_text(encoding="utf-8") + "% an amendment\n", encoding="utf-8")
    assert run_settings(None, "jsonl", {}, copied.source_files())["rules"] != before["rules"]
    assert run_settings(None, "jsonl", {}, copied.files) == entry_only  # what the entry file alone missed
