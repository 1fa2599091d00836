"""Workers read their own slices of a JSON Lines or CSV input (issue 15, item 2): the slices give
exactly the records, ids, ``file:line`` and error rows that reading the whole file gives, wherever
a slice boundary falls, and a batch writes the same bytes whichever way it reads."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from engine import RuleBase
from engine.batch import io as batch_io
from engine.batch.csv_cases import case_columns, flatten_case
from engine.batch.generate import MAX_REQUESTS, generate_cases
from engine.batch.io import FileInputs, Slice, read_inputs, read_slice
from engine.batch.run import run_batch
from engine.batch.solver import BatchOptions
from engine.core.errors import EngineError

ROOT = Path(__file__).resolve().parents[2]


def _awkward_jsonl(rules: RuleBase) -> bytes:
    """Valid cases with, between them, every kind of line the reader treats apart: blank and
    whitespace lines, a BOM (alone, and before a case), a line that is not UTF-8, one that is not
    JSON, a list, a case that breaks the contract, unicode whitespace, CRLF."""
    cases = [json.dumps(case).encode() for case in generate_cases(rules.catalog, 14, seed=3)]
    odd = [b"", b"   ", "\ufeff".encode(), "\ufeff".encode() + cases[0], b"\xff\xfe{}", b'{"id": "cut',
           b"[1, 2]", b'{"agency": "nowhere"}', "\u3000".encode(), cases[1] + b"\r",
           b'{"id": 1' + b"0" * 120 + b"}"]
    lines = []
    for number, case in enumerate(cases):
        lines.append(case)
        lines.append(odd[number % len(odd)])
    return b"\n".join(lines) + b"\n"


def _awkward_csv(rules: RuleBase) -> bytes:
    """Rows with quoted line ends (LF, CRLF, CR) in ids, a quote in an id, a row of extra cells,
    a blank line, a line ending in a bare CR, a cell over the csv module's size limit, quoted and
    not, and a BOM before the header."""
    columns = case_columns(rules.catalog, MAX_REQUESTS)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns)
    writer.writeheader()
    ids = ["plain", "new\nline", "crlf\r\nid", "cr\rid", 'say "hi"', "a,b"]
    for number, case in enumerate(generate_cases(rules.catalog, 12, seed=4)):
        writer.writerow(flatten_case({**case, "id": ids[number % len(ids)]}))
    text = buffer.getvalue()
    rows = text.split("\r\n")
    extra = ",".join(["x"] * (len(columns) + 2))
    big = "y" * (csv.field_size_limit() + 10)
    rows[3:3] = [extra, "", f'"{big}",', f"{big},"]
    rows[8] = rows[8] + "\r" + "only-id"  # a bare CR ends a line as well
    return ("\ufeff" + "\r\n".join(rows)).encode("utf-8")


@pytest.fixture
def inputs(rules: RuleBase, tmp_path: Path) -> list[Path]:
    jsonl, table = tmp_path / "awkward.jsonl", tmp_path / "awkward.csv"
    jsonl.write_bytes(_awkward_jsonl(rules))
    table.write_bytes(_awkward_csv(rules))
    return [jsonl, table, *sorted((ROOT / "examples" / "batch").iterdir())]


def test_slices_read_the_same_records_as_the_whole_file_wherever_they_are_cut(inputs: list[Path]) -> None:
    for path in inputs:
        whole = list(read_inputs(path))
        assert any(item.error for item in whole) or "awkward" not in path.name
        for size in (1, 2, 3, 4, 5, 7, 500):
            for skip in (0, 1, 6):
                pieces = list(read_inputs(path).slices(size, skip))
                assert all(0 < piece.records <= size for piece in pieces)
                assert [item for piece in pieces for item in read_slice(piece)] == whole[skip:], (path, size, skip)


def test_a_csv_that_is_not_utf8_stops_before_any_slice(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,agency\na,police\nb\xe9,police\n".encode("latin-1"))
    with pytest.raises(EngineError, match="not UTF-8 text"):
        list(read_inputs(path).slices(1))
    with pytest.raises(EngineError, match="not UTF-8 text"):
        list(read_inputs(path))


@pytest.mark.parametrize("header, message", [
    ('id,"agency\na,police\nb,police\n', r"column 2 of the header holds a line break \('agency\\na,police"),
    ("id," + "x" * 200_000 + "\na,police\n", r":1: the header row cannot be read \(field larger than field limit"),
])
def test_a_csv_header_that_cannot_be_read_stops_before_any_row(tmp_path: Path, header: str, message: str) -> None:
    """A quote left open in the header would swallow every row after it: the run decided nothing
    and said nothing; a header cell over the csv module's limit gave a traceback."""
    path = tmp_path / "cases.csv"
    path.write_text(header, encoding="utf-8")
    with pytest.raises(EngineError, match=message):
        list(read_inputs(path).slices(1))
    with pytest.raises(EngineError, match=message):
        list(read_inputs(path))


def test_a_file_changed_under_a_slice_is_an_error_not_a_wrong_row(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b"}\n', encoding="utf-8")
    piece = next(read_inputs(path).slices(2))
    path.write_text('{"id": "a"}\n\n', encoding="utf-8")
    with pytest.raises(EngineError, match="changed while the batch was reading it"):
        read_slice(piece)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_rows_are_byte_identical_read_here_in_slices_or_by_workers(inputs: list[Path], tmp_path: Path,
                                                                  fmt: str) -> None:
    for path in inputs:  # the awkward inputs and every file of examples/batch
        outputs = {}
        for name, jobs, source in (("read here", 1, iter(list(read_inputs(path)))),
                                   ("slices here", 1, read_inputs(path)),
                                   ("slices by workers", 2, read_inputs(path))):
            target = tmp_path / f"{path.stem}-{jobs}-{len(outputs)}.{fmt}"
            run_batch(source, target, fmt=fmt, jobs=jobs, chunk_size=3)
            outputs[name] = target.read_bytes()
        assert outputs["slices here"] == outputs["read here"], path
        assert outputs["slices by workers"] == outputs["read here"], path


def test_with_workers_this_process_parses_no_case(inputs: list[Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    parsed_here: list[int] = []
    parse_json = batch_io.parse_json

    def watched(*args: object, **kwargs: object) -> object:
        parsed_here.append(os.getpid())  # a forked worker appends to its own copy of the list
        return parse_json(*args, **kwargs)

    monkeypatch.setattr(batch_io, "parse_json", watched)
    summary = run_batch(read_inputs(inputs[0]), tmp_path / "out.jsonl", jobs=2, chunk_size=3)
    assert summary.decided > 12 and parsed_here == []


class _Interrupted(FileInputs):
    """A file whose slicing is stopped by Ctrl-C after a few slices."""

    def slices(self, size: int, skip: int = 0):  # type: ignore[override]
        for number, piece in enumerate(super().slices(size, skip)):
            if number == 6:
                raise KeyboardInterrupt
            yield piece


def test_resume_after_an_interrupted_run_with_workers_gives_the_uninterrupted_output(
        inputs: list[Path], tmp_path: Path) -> None:
    source = inputs[0]
    whole = tmp_path / "whole.jsonl"
    run_batch(read_inputs(source), whole, source=source)
    cut = tmp_path / "cut.jsonl"
    with pytest.raises(KeyboardInterrupt, match="run the same command with --resume"):
        run_batch(_Interrupted(source, "jsonl"), cut, jobs=2, chunk_size=2, source=source)
    assert cut.stat().st_size < whole.stat().st_size
    summary = run_batch(read_inputs(source), cut, jobs=2, chunk_size=3, resume=True, source=source)
    assert cut.read_bytes() == whole.read_bytes()
    assert summary.skipped + summary.decided == len(list(read_inputs(source)))


def test_explained_rows_are_the_same_from_worker_slices(inputs: list[Path], tmp_path: Path) -> None:
    options = BatchOptions(explain=True, ordinances=("westchester",))
    here, there = tmp_path / "here.jsonl", tmp_path / "there.jsonl"
    run_batch(iter(list(read_inputs(inputs[1]))), here, options=options)
    run_batch(read_inputs(inputs[1]), there, options=options, jobs=2, chunk_size=2)
    assert here.read_bytes() == there.read_bytes()


def test_a_slice_is_small_to_send(inputs: list[Path]) -> None:
    piece = next(read_inputs(inputs[0]).slices(500))
    assert isinstance(piece, Slice) and piece.first_line == 1 and piece.start == 0


def test_workers_append_the_rows_themselves_in_input_order(inputs: list[Path], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A worker writes its chunk when the chunk before it is written; one that finishes out of
    turn (here: every third slice is slowed down) sends its rows back, for the parent to write
    in their turn.  Either way the bytes are those of a run in one process."""
    import time

    from engine.batch import run

    parent, written_here = os.getpid(), []
    append_text, read = run.append_text, run.read_slice

    def watched(fd: int, data: bytes) -> None:
        if os.getpid() == parent:
            written_here.append(len(data))
        append_text(fd, data)

    def slowed(piece: Slice) -> list:
        if piece.first_line % 3 == 0:
            time.sleep(0.3)
        return read(piece)

    monkeypatch.setattr(run, "append_text", watched)
    monkeypatch.setattr(run, "read_slice", slowed)
    expected = tmp_path / "here.jsonl"
    run_batch(iter(list(read_inputs(inputs[0]))), expected)
    written_here.clear()
    out = tmp_path / "there.jsonl"
    run_batch(read_inputs(inputs[0]), out, jobs=2, chunk_size=2)
    assert out.read_bytes() == expected.read_bytes()
    assert 0 < sum(written_here) < len(expected.read_bytes())  # some chunks by the parent, the rest by workers
    capsys.readouterr()
    run_batch(read_inputs(inputs[0]), None, jobs=2, chunk_size=2)  # standard output: rows come back as text
    assert capsys.readouterr().out.encode("utf-8") == expected.read_bytes()


def test_a_full_disk_in_a_worker_names_the_file_and_what_was_written_resumes(
        inputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from engine.batch import run

    source, parent = inputs[0], os.getpid()
    whole = tmp_path / "whole.jsonl"
    run_batch(read_inputs(source), whole, source=source)
    append_text = run.append_text

    def filling(fd: int, data: bytes) -> None:  # the first chunk is always a worker's to write
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, "No space left on device")
        append_text(fd, data)

    monkeypatch.setattr(run, "append_text", filling)
    out = tmp_path / "out.jsonl"
    with pytest.raises(OSError, match="No space left") as raised:
        run_batch(read_inputs(source), out, jobs=2, chunk_size=2, source=source)
    assert raised.value.filename == str(out)
    monkeypatch.setattr(run, "append_text", append_text)
    run_batch(read_inputs(source), out, jobs=2, chunk_size=3, resume=True, source=source)
    assert out.read_bytes() == whole.read_bytes()
