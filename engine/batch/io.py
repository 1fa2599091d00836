"""Reading cases for a batch and writing its rows (docs/batch.md).

Inputs: JSON Lines (``.jsonl``/``.ndjson``, one case object a line), CSV
(`engine.batch.csv_cases` column mapping) or a directory of ``.json``/``.yaml``/``.yml``
case files (sorted by name).  Cases are read lazily, one at a time, so memory
does not grow with the number of cases; a case that cannot even be read (a
line that is not JSON) becomes an input carrying its error, and so an error row.
A JSON Lines or CSV file can also be cut into `Slice` s of whole records, found by
looking at line starts and quotes only, which worker processes read themselves
(`read_slice`): the parsing of cases is then no part of the parent's work.

Outputs: JSON Lines, one object per case (``{"case", "results"}`` or
``{"case", "error"}``), or CSV, one row per (case, ordinance, action).  Rows
are encoded to text by `encode_rows`, and written a chunk at a time with
`append_text`, so a killed run leaves at most a partial last line, which
``--resume`` cuts off (`engine.batch.resume`).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from engine.batch.solver import CaseInput, Explained, Shared
from engine.core.cases import parse_json, read_case_data
from engine.batch.csv_cases import unflatten_case
from engine.core.errors import EngineError
from engine.core.printable import printable
from engine.render.json_text import json_line

__all__ = ["STDIN", "read_inputs", "FileInputs", "Slice", "read_slice", "count_inputs", "output_format",
           "encode_rows", "csv_header", "append_text"]

_JSONL = (".jsonl", ".ndjson")
_CASE_FILES = (".json", ".yaml", ".yml")
CSV_COLUMNS = ["case", "ordinance", "action", "status", "sections", "exceptions", "tensions", "error"]


def _jsonl(path: Path) -> Iterator[CaseInput]:
    with path.open("rb") as lines:
        yield from _jsonl_lines(lines, str(path), path.stem)


def _jsonl_lines(lines: Iterable[bytes], name: str, stem: str, first: int = 1) -> Iterator[CaseInput]:
    """Each line a case (``first``: the number of the first line); a line that is not UTF-8 or
    not JSON (or too long a number, too deep a nesting) becomes an error row and the next line
    is read."""
    for number, raw in enumerate(lines, start=first):
        where, default_id = f"{name}:{number}", f"{stem}-{number}"
        try:
            line = raw.decode("utf-8-sig")  # a BOM may start any line: `cat a.jsonl b.jsonl`
        except UnicodeDecodeError as error:
            yield CaseInput(where, default_id, None, f"{where}: not UTF-8 text (byte {error.start + 1}). "
                            "Fix: save the file as UTF-8.")
            continue
        if not line.strip():
            continue
        try:
            data = parse_json(line, where, line=True, syntax_fix="write one JSON object per line")
        except EngineError as error:
            yield CaseInput(where, default_id, None, str(error))
            continue
        yield CaseInput(where, default_id, data)


def _blank(raw: bytes) -> bool:
    """Whether `_jsonl_lines` skips this line (no record, no row): blank once decoded, a BOM
    aside.  A line it cannot decode is a record (its error row)."""
    try:
        return not raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return False


def _csv_header(path: Path, reader: Iterator[list[str]]) -> list[str]:
    """The header (the reader's first row), or an error for a row the csv module cannot read,
    for a column name holding a line break (a quote left open in the header would otherwise
    swallow the rows after it, and the run would decide nothing and say nothing), and for a
    column given twice or under two spellings (requests.1 and requests.01 are one request):
    the data of one of them would be lost."""
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise EngineError(f"{path}:1: the header row cannot be read ({error}). "
                          "Fix: correct its quoting, or shorten the cell.") from None
    seen: dict[str, str] = {}
    for number, column in enumerate(header, start=1):
        if "\n" in column or "\r" in column:
            raise EngineError(f"{path}:1: column {number} of the header holds a line break "
                              f"('{printable(column[:40])}...'): a quote opened there is not closed. "
                              "Fix: close the quote, or remove it.")
    for column in header:
        canonical = ".".join(str(int(part)) if part.isdigit() else part for part in column.split("."))
        if canonical in seen:
            raise EngineError(f"{path}:1: the columns '{seen[canonical]}' and '{column}' name the same field. "
                              "Fix: keep one of them.")
        seen[canonical] = column
    return header


def _not_utf8(path: Path) -> EngineError:
    return EngineError(f"{path}: not UTF-8 text. Fix: save the CSV as UTF-8 (in Excel: CSV UTF-8).")


def _csv(path: Path) -> Iterator[CaseInput]:
    """Each row a case, read strictly (see `_csv_records`); a BOM (Excel) is accepted; a file that
    is not UTF-8 stops with a clear error."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = _csv_header(path, reader)
            yield from _csv_records(reader, path, header, 0)
        except UnicodeDecodeError:
            raise _not_utf8(path) from None


def _csv_records(reader: Any, path: Path, header: list[str], lines_before: int) -> Iterator[CaseInput]:
    """The cases of a csv reader's rows, ``lines_before`` lines into the file (the reader's line
    numbers count from where it started): a row with more cells than the header, or one the csv
    module cannot read (a cell over its size limit), becomes an error row."""
    while True:
        number = lines_before + reader.line_num + 1
        where, default_id = f"{path}:{number}", f"{path.stem}-{number}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield CaseInput(where, default_id, None, f"{where}: unreadable CSV row ({error}). "
                            "Fix: shorten the cell or correct its quoting.")
            continue
        number = lines_before + reader.line_num
        where, default_id = f"{path}:{number}", f"{path.stem}-{number}"
        if len(row) > len(header):
            yield CaseInput(where, default_id, None, f"{where}: {len(row)} cells, but the header has "
                            f"{len(header)} columns. Fix: remove the extra cells or name their columns.")
            continue
        yield CaseInput(where, default_id, unflatten_case(dict(zip(header, row))))


class _PhysicalLines:
    r"""The lines of a binary file as a csv reader reads them from a file opened with
    ``newline=""`` (each ending at ``\n``, ``\r`` or ``\r\n``), decoded, counting the lines
    and bytes read so far; a BOM at the start of the file is dropped."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        self.path = path
        self.split = self._split(handle)
        self.offset = self.line = 0

    @staticmethod
    def _split(handle: BinaryIO) -> Iterator[bytes]:
        for raw in handle:
            if b"\r" in raw:
                yield from raw.splitlines(keepends=True)
            else:
                yield raw

    def __iter__(self) -> "_PhysicalLines":
        return self

    def __next__(self) -> str:
        raw = next(self.split)
        self.offset += len(raw)
        self.line += 1
        try:
            return raw.decode("utf-8-sig" if self.line == 1 else "utf-8")
        except UnicodeDecodeError:
            raise _not_utf8(self.path) from None

    def skip_record(self) -> bool:
        """Read past one record as the csv module reads it; False at the end of the file.

        A line without a quote is one record; only a quoted one needs the csv module, which
        may go on over the next lines (a quoted cell may hold line ends).  A record the csv
        module cannot read ends where it stopped reading, as for `_csv_records`."""
        try:
            text = next(self)
        except StopIteration:
            return False
        if '"' in text:
            with suppress(csv.Error):  # an unreadable record ends where the csv module stopped
                next(csv.reader(chain([text], self)), None)
        return True


@dataclass(frozen=True)
class Slice:
    """Whole records of a JSON Lines or CSV file, as a worker process reads them (`read_slice`):
    bytes ``start`` to ``end`` of ``path``, beginning on line ``first_line``; ``records`` of
    them, each giving a row; for CSV, the file's ``header``."""

    path: str
    kind: str
    start: int
    end: int
    first_line: int
    records: int
    header: tuple[str, ...] = ()


class FileInputs:
    """The cases of a JSON Lines or CSV file.  Iterated, they are read one at a time, as any
    input; `slices` cuts the file into `Slice` s of whole records instead, found without
    parsing the cases, so that worker processes read (and parse) their own (`engine.batch.run`).
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind

    def __iter__(self) -> Iterator[CaseInput]:
        return _jsonl(self.path) if self.kind == "jsonl" else _csv(self.path)

    def slices(self, size: int, skip: int = 0) -> Iterator[Slice]:
        """Slices of ``size`` records each (the last may hold fewer), after the first ``skip``
        records; blank lines of JSON Lines are not records."""
        with self.path.open("rb") as handle:
            if self.kind == "jsonl":
                yield from self._jsonl_slices(handle, size, skip)
            else:
                yield from self._csv_slices(handle, size, skip)

    def _jsonl_slices(self, handle: BinaryIO, size: int, skip: int) -> Iterator[Slice]:
        start = offset = line = records = 0
        first = 1
        for raw in handle:
            offset += len(raw)
            line += 1
            if raw[:1] != b"{" and _blank(raw):  # a line starting with { is a record: the usual case
                continue
            if skip:
                skip -= 1
                start, first = offset, line + 1
                continue
            records += 1
            if records == size:
                yield Slice(str(self.path), "jsonl", start, offset, first, records)
                start, first, records = offset, line + 1, 0
        if records:
            yield Slice(str(self.path), "jsonl", start, offset, first, records)

    def _csv_slices(self, handle: BinaryIO, size: int, skip: int) -> Iterator[Slice]:
        lines = _PhysicalLines(handle, self.path)
        header = _csv_header(self.path, csv.reader(lines))
        start, first, records = lines.offset, lines.line + 1, 0
        while lines.skip_record():
            if skip:
                skip -= 1
                start, first = lines.offset, lines.line + 1
                continue
            records += 1
            if records == size:
                yield Slice(str(self.path), "csv", start, lines.offset, first, records, tuple(header))
                start, first, records = lines.offset, lines.line + 1, 0
        if records:
            yield Slice(str(self.path), "csv", start, lines.offset, first, records, tuple(header))


def _directory(path: Path) -> Iterator[CaseInput]:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in _CASE_FILES and p.is_file())
    for file in files:
        try:
            data = read_case_data(file)
        except EngineError as error:
            yield CaseInput(str(file), file.stem, None, str(error))
            continue
        if isinstance(data, list):
            for index, item in enumerate(data, start=1):
                yield CaseInput(f"{file}[{index}]", f"{file.stem}-{index}", item)
        else:
            yield CaseInput(str(file), file.stem, data)


def read_slice(piece: Slice) -> list[CaseInput]:
    """The cases of a slice, read as iterating its whole file reads them (same ids, same
    ``file:line``, same error rows): in a worker process, which so reads its own input."""
    path = Path(piece.path)
    with path.open("rb") as handle:
        handle.seek(piece.start)
        data = handle.read(piece.end - piece.start)
    if piece.kind == "jsonl":
        items = list(_jsonl_lines(io.BytesIO(data), piece.path, path.stem, piece.first_line))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        items = list(_csv_records(reader, path, list(piece.header), piece.first_line - 1))
    if len(items) != piece.records:
        raise EngineError(f"{path}: changed while the batch was reading it (a slice of {piece.records:,} "
                          f"records now holds {len(items):,}). Fix: run again on a file nothing is writing to.")
    return items


#: The input name that stands for standard input (JSON Lines): ``generate | batch -``.
STDIN = "-"


def read_inputs(path: str | Path) -> Iterable[CaseInput]:
    """The cases of a JSONL file, a CSV file or a directory of case files, in order; ``-``:
    JSON Lines from standard input (cases without an id are ``stdin-LINE``).  Those of a file
    come as `FileInputs`, which a batch cuts into slices for its workers."""
    if str(path) == STDIN:
        return _jsonl_lines(sys.stdin.buffer, "<stdin>", "stdin")
    path = Path(path)
    if path.is_dir():
        return _directory(path)
    if not path.is_file():
        raise EngineError(f"{path}: no such file or directory. Fix: check the path.")
    suffix = path.suffix.lower()
    if suffix in _JSONL:
        return FileInputs(path, "jsonl")
    if suffix == ".csv":
        return FileInputs(path, "csv")
    raise EngineError(f"{path}: unknown input type '{suffix}'. Fix: give a .jsonl, .ndjson or "
                      ".csv file, or a directory of .json/.yaml case files.")


def count_inputs(path: str | Path) -> int | None:
    """How many cases the input holds, counted cheaply for the progress bar (None: unknown)."""
    if str(path) == STDIN:
        return None
    path = Path(path)
    if path.is_dir():
        return sum(1 for p in path.iterdir() if p.suffix.lower() in _CASE_FILES)
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    if path.suffix.lower() == ".csv":
        count -= 1
    return max(count, 0)


def output_format(path: str | None, requested: str | None) -> str:
    """``jsonl`` or ``csv``: as requested, else from the output file's suffix."""
    if requested:
        return requested
    if path and Path(path).suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


def _json(value: Any) -> str:
    """Compact JSON in which every character a terminal would act on or hide, or a reader could
    take for a line end (U+2028, U+2029, U+0085), is a ``\\uXXXX`` escape: a row is one line
    and the same data whatever a case id holds (`engine.render.json_text`)."""
    return json_line(value, compact=True)


def _encoded(value: dict[str, Any]) -> str:
    """The JSON of a result or rule instance, reusing the text of shared ones."""
    if isinstance(value, Shared):
        text = value.encoded.get("json")
        if text is None:
            text = value.encoded["json"] = _json(value)
        return text
    if isinstance(value, Explained):
        text = value.encoded.get("json")
        if text is None:
            text = value.encoded["json"] = \
                f'{_encoded(value.base)[:-1]},"derivation":{_json(value["derivation"])}}}'
        return text
    return _json(value)


def _trace(trace: dict[str, Any]) -> str:
    """The compact trace of a row (docs/batch.md, "--explain"): ids only, written directly."""
    return (f'{{"table":{_json(trace["table"])},"requests":{trace["requests"]:d},'
            f'"fired":[{",".join(map(str, trace["fired"]))}],"facts":[{",".join(map(str, trace["facts"]))}]}}')


def _jsonl_row(row: dict[str, Any]) -> str:
    if "results" not in row:
        return _json(row)
    text = f'{{"case":{_json(row["case"])},"results":[{",".join(map(_encoded, row["results"]))}]'
    if "firings" in row:
        text += f',"firings":[{",".join(map(_encoded, row["firings"]))}]'
    if "trace" in row:
        text += f',"trace":{_trace(row["trace"])}'
    return text + "}"


def csv_header(explain: bool) -> str:
    """The header line of a CSV output."""
    return ",".join(CSV_COLUMNS + (["derivation"] if explain else [])) + "\r\n"


def _csv_rows(row: dict[str, Any], explain: bool) -> list[list[str]]:
    case = row["case"]
    if "error" in row:
        return [[case, "", "", "error", "", "", "", row["error"]["message"]] + ([""] if explain else [])]
    if not row["results"]:
        return [[case, "", "", "silent", "", "", "", ""] + ([""] if explain else [])]
    lines = []
    for result in row["results"]:
        line = [case, result["ordinance"], result["action"], result["status"],
                ";".join(result["sections"]), ";".join(result["exceptions"]),
                ";".join(result["tensions"]), ""]
        if explain:  # the instances themselves, or (compact trace) their ids into the table
            line.append(_json(result["derivation"] if "trace" in row
                              else [row["firings"][i] for i in result["derivation"]]))
        lines.append(line)
    return lines


def encode_rows(rows: list[dict[str, Any]], fmt: str, explain: bool) -> str:
    """The text of these rows in the output format, each row ending in a newline."""
    if fmt == "jsonl":
        return "".join(_jsonl_row(row) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerows(_csv_rows(row, explain))
    return buffer.getvalue()


def append_text(fd: int, encoded: bytes) -> None:
    """Append a chunk of complete rows with as few system calls as possible (one, normally)."""
    data = memoryview(encoded)
    while data:
        written = os.write(fd, data)
        data = data[written:]
