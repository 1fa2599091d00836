"""What ``ordinance batch`` wrote, read back as a pandas DataFrame (docs/notebook.md).

`read_rows` reads an output file, JSON Lines or CSV (docs/batch.md, "Outputs"); `rows_to_pandas`
takes rows already in memory, as `engine.batch.decide_chunk` and `decide_partition` return them
or as ``json.loads`` reads them from JSON Lines.  Either way a frame has one row per (case,
ordinance, action), the columns of `engine.render.frames.RESULT_COLUMNS` and ``error``:

* a case whose pairs are all silent (JSON Lines leaves silent pairs out unless ``--all``)
  keeps one row, ordinance and action None and status ``silent``, as in the CSV output;
* an error row has status ``error`` and its message in ``error`` (None elsewhere);
* rows written with ``--explain`` add ``derivation``: the rule instances a result rests on
  directly (the CSV's ``derivation`` column): in full with ``--explain-format firings``, as ids
  into the run's table with the compact trace (`engine.batch.read_explained` reads them back).

A frame holds what the file holds: the CSV output has no ``restrictions`` or ``items`` columns,
so a frame read from CSV has none either.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from engine.batch.io import CSV_COLUMNS
from engine.core.errors import EngineError
from engine.render.frames import RESULT_COLUMNS, frame, import_pandas, result_records

if TYPE_CHECKING:
    import pandas

__all__ = ["read_rows", "rows_to_pandas"]

#: The columns of the CSV output, ``derivation`` after them with ``--explain``.
CSV_OUTPUT_COLUMNS = tuple(CSV_COLUMNS)
_JSONL = (".jsonl", ".ndjson")
_FIX = "give a file `ordinance batch --out` wrote (JSON Lines or CSV)"


def _records(row: Mapping[str, Any], explain: bool) -> list[dict[str, Any]]:
    """The frame's records of one output row (one case)."""
    case = row["case"]
    if "error" in row:
        return [{"case": case, "ordinance": None, "action": None, "status": "error", "sections": [],
                 "exceptions": [], "tensions": [], "restrictions": [], "items": [],
                 "error": row["error"]["message"], **({"derivation": []} if explain else {})}]
    if not row["results"]:
        return [{"case": case, "ordinance": None, "action": None, "status": "silent", "sections": [],
                 "exceptions": [], "tensions": [], "restrictions": [], "items": [], "error": None,
                 **({"derivation": []} if explain else {})}]
    records = result_records(case, row["results"])
    for record, result in zip(records, row["results"]):
        record["error"] = None
        if explain:
            record["derivation"] = ([row["firings"][i] for i in result["derivation"]] if "firings" in row
                                    else list(result.get("derivation", ())))
    return records


def rows_to_pandas(rows: Iterable[Mapping[str, Any]]) -> pandas.DataFrame:
    """Rows of ``ordinance batch`` (``{"case", "results"}`` or ``{"case", "error"}`` each) as a
    DataFrame, one row per (case, ordinance, action); with ``derivation`` when they were explained."""
    import_pandas()  # before any work: without pandas, say so at once
    rows = list(rows)
    explain = any("firings" in row or "trace" in row for row in rows)
    columns = [*RESULT_COLUMNS, "error", *(["derivation"] if explain else [])]
    return frame((record for row in rows for record in _records(row, explain)), columns)


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                raise EngineError(f"{path}:{number}: not JSON ({error}); a run killed mid-write leaves a "
                                  "partial last line. Fix: finish the run with `ordinance batch --resume`, "
                                  f"or {_FIX}.") from None
            if not (isinstance(row, dict) and "case" in row
                    and (isinstance(row.get("results"), list) or isinstance(row.get("error"), dict))):
                raise EngineError(f"{path}:{number}: not a row of `ordinance batch` (an object with "
                                  f"\"case\" and \"results\" or \"error\"). Fix: {_FIX}.")
            yield row


def _split(cell: str) -> list[str]:
    return cell.split(";") if cell else []


def _csv_frame(path: Path) -> pandas.DataFrame:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        explain = header == (*CSV_OUTPUT_COLUMNS, "derivation")
        if header != CSV_OUTPUT_COLUMNS and not explain:
            raise EngineError(f"{path}:1: not the header of `ordinance batch --format csv` "
                              f"({','.join(CSV_OUTPUT_COLUMNS)}[,derivation]). Fix: {_FIX}.")
        records = []
        for cells in reader:
            if len(cells) != len(header):
                raise EngineError(f"{path}:{reader.line_num}: {len(cells)} cells where the header has "
                                  f"{len(header)}. Fix: {_FIX}.")
            record: dict[str, Any] = dict(zip(header, cells))
            for column in ("sections", "exceptions", "tensions"):
                record[column] = _split(record[column])
            for column in ("ordinance", "action", "error"):
                record[column] = record[column] or None
            if explain:
                try:
                    record["derivation"] = json.loads(record["derivation"]) if record["derivation"] else []
                except ValueError:
                    raise EngineError(f"{path}:{reader.line_num}: the derivation cell is not JSON. "
                                      f"Fix: {_FIX}.") from None
            records.append(record)
    return frame(records, header)


def read_rows(path: str | Path) -> pandas.DataFrame:
    """The rows of an ``ordinance batch`` output file (``.jsonl``/``.ndjson`` or ``.csv``) as a
    DataFrame, one row per (case, ordinance, action); see this module's docstring for the columns."""
    import_pandas()
    path = Path(path)
    if not path.is_file():
        raise EngineError(f"{path}: no such file. Fix: check the path ({_FIX}).")
    suffix = path.suffix.lower()
    try:
        if suffix in _JSONL:
            return rows_to_pandas(_jsonl_rows(path))
        if suffix == ".csv":
            return _csv_frame(path)
    except UnicodeDecodeError:
        raise EngineError(f"{path}: not UTF-8 text. Fix: {_FIX}.") from None
    raise EngineError(f"{path}: unknown output type '{suffix}'. Fix: {_FIX}, named *.jsonl, *.ndjson or *.csv.")
