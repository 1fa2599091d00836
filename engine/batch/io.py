"""Reading cases for a batch and writing its rows (docs/batch.md).

Inputs: JSON Lines (``.jsonl``/``.ndjson``, one case object a line), CSV
(`engine.batch.csv_cases` column mapping) or a directory of ``.json``/``.yaml``/``.yml``
case files (sorted by name).  Cases are read lazily, one at a time, so memory
does not grow with the number of cases; a case that cannot even be read (a
line that is not JSON) becomes an input carrying its error, and so an error row.

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
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from engine.batch.solver import CaseInput, Explained, Shared
from engine.core.cases import parse_json, read_case_data
from engine.batch.csv_cases import unflatten_case
from engine.core.errors import EngineError
from engine.render.json_text import json_line

__all__ = ["STDIN", "read_inputs", "count_inputs", "output_format", "encode_rows", "csv_header",
           "append_text"]

_JSONL = (".jsonl", ".ndjson")
_CASE_FILES = (".json", ".yaml", ".yml")
CSV_COLUMNS = ["case", "ordinance", "action", "status", "sections", "exceptions", "tensions", "error"]


def _jsonl(path: Path) -> Iterator[CaseInput]:
    with path.open("rb") as lines:
        yield from _jsonl_lines(lines, str(path), path.stem)


def _jsonl_lines(lines: BinaryIO, name: str, stem: str) -> Iterator[CaseInput]:
    """Each line a case; a line that is not UTF-8 or not JSON (or too long a number, too deep a
    nesting) becomes an error row and the next line is read."""
    for number, raw in enumerate(lines, start=1):
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


def _csv_header(path: Path, header: list[str]) -> list[str]:
    """The header, or an error for a column given twice or under two spellings (requests.1
    and requests.01 are one request): the data of one of them would be lost."""
    seen: dict[str, str] = {}
    for column in header:
        canonical = ".".join(str(int(part)) if part.isdigit() else part for part in column.split("."))
        if canonical in seen:
            raise EngineError(f"{path}:1: the columns '{seen[canonical]}' and '{column}' name the same field. "
                              "Fix: keep one of them.")
        seen[canonical] = column
    return header


def _csv(path: Path) -> Iterator[CaseInput]:
    """Each row a case, read strictly: a row with more cells than the header, or one the csv
    module cannot read (a cell over its size limit), becomes an error row; a BOM (Excel) is
    accepted; a file that is not UTF-8 stops with a clear error."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = _csv_header(path, next(reader, []))
            while True:
                where, default_id = f"{path}:{reader.line_num + 1}", f"{path.stem}-{reader.line_num + 1}"
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield CaseInput(where, default_id, None, f"{where}: unreadable CSV row ({error}). "
                                    "Fix: shorten the cell or correct its quoting.")
                    continue
                where, default_id = f"{path}:{reader.line_num}", f"{path.stem}-{reader.line_num}"
                if len(row) > len(header):
                    yield CaseInput(where, default_id, None, f"{where}: {len(row)} cells, but the header has "
                                    f"{len(header)} columns. Fix: remove the extra cells or name their columns.")
                    continue
                yield CaseInput(where, default_id, unflatten_case(dict(zip(header, row))))
        except UnicodeDecodeError:
            raise EngineError(f"{path}: not UTF-8 text. Fix: save the CSV as UTF-8 (in Excel: "
                              "CSV UTF-8).") from None


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


#: The input name that stands for standard input (JSON Lines): ``generate | batch -``.
STDIN = "-"


def read_inputs(path: str | Path) -> Iterator[CaseInput]:
    """The cases of a JSONL file, a CSV file or a directory of case files, in order; ``-``:
    JSON Lines from standard input (cases without an id are ``stdin-LINE``)."""
    if str(path) == STDIN:
        return _jsonl_lines(sys.stdin.buffer, "<stdin>", "stdin")
    path = Path(path)
    if path.is_dir():
        return _directory(path)
    if not path.is_file():
        raise EngineError(f"{path}: no such file or directory. Fix: check the path.")
    suffix = path.suffix.lower()
    if suffix in _JSONL:
        return _jsonl(path)
    if suffix == ".csv":
        return _csv(path)
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
