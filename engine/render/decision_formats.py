"""`ordinance decide --format csv|markdown`: the decision table as CSV or as a Markdown pipe table.

One row per (case, ordinance, action), with the text table's columns and the case
in front (a file may hold several cases); silent rows only with ``--all``, and a
``reasons`` column with ``--explain``.  Unlike the text table, every column is
always there (``restrictions`` included), so a spreadsheet or script reading the
output sees the same header for every case file.  A column holding several
sections lists them separated by spaces, as the text table does.

Every cell is user text or comes from rule files a user may write (a case id, a
section label, the law's words), so nothing in it may act on what reads the
output: control and format characters are written as their escapes
(`engine.core.printable`; a line break in the reasons is kept); CSV quoting is
left to the csv module; in Markdown ``|`` and the characters that start code,
emphasis or a link are backslash-escaped, ``&``, ``<`` and ``>`` become HTML
entities (so no HTML reaches a renderer) and a line break becomes ``<br>``.
"""

from __future__ import annotations

import csv
import io
from typing import Mapping, Sequence

from engine.core.printable import printable
from engine.core.results import Decision, Result, Status

__all__ = ["COLUMNS", "REASONS_COLUMN", "decision_rows", "render_csv", "render_markdown"]

#: The columns of both formats, in order.
COLUMNS = ("case", "ordinance", "action", "status", "sections", "exceptions", "tensions", "restrictions")
#: The column added with ``--explain``.
REASONS_COLUMN = "reasons"

#: The plain-language reasons of a decision's rows, by (ordinance, action).
Reasons = Mapping[tuple[str, str], str]

#: Markdown's characters that would start code, emphasis, a link, an image or end a cell.
_MARKDOWN_ESCAPES = {c: "\\" + c for c in "\\`*[]|"}
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _cells(decision: Decision, result: Result) -> list[str]:
    return [decision.case, result.ordinance, result.action, str(result.status), " ".join(result.sections),
            " ".join(result.exceptions), " ".join(result.tensions), " ".join(result.restrictions)]


def decision_rows(decisions: Sequence[Decision], reasons: Sequence[Reasons], *,
                  show_silent: bool) -> tuple[tuple[str, ...], list[list[str]]]:
    """The header and the rows, cells as written (escaping is each format's job); the
    ``reasons`` column appears when ``reasons`` holds any (``--explain``)."""
    explained = any(reasons)
    header = (*COLUMNS, *((REASONS_COLUMN,) if explained else ()))
    rows = [[*_cells(decision, result),
             *((decision_reasons.get((result.ordinance, result.action), ""),) if explained else ())]
            for decision, decision_reasons in zip(decisions, reasons)
            for result in decision.results if show_silent or result.status != Status.SILENT]
    return header, rows


def render_csv(decisions: Sequence[Decision], reasons: Sequence[Reasons], *, show_silent: bool) -> str:
    """The rows as CSV (RFC 4180, as the csv module writes it), with a header line."""
    header, rows = decision_rows(decisions, reasons, show_silent=show_silent)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([printable(cell, keep="\n") for cell in row] for row in rows)
    return out.getvalue()


def _markdown_cell(text: str) -> str:
    escaped = "".join(_MARKDOWN_ESCAPES.get(c) or _HTML_ENTITIES.get(c) or c for c in printable(text, keep="\n"))
    return escaped.replace("\n", "<br>")


def render_markdown(decisions: Sequence[Decision], reasons: Sequence[Reasons], *, show_silent: bool) -> str:
    """The rows as a GitHub-flavoured Markdown pipe table."""
    header, rows = decision_rows(decisions, reasons, show_silent=show_silent)

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)),
                      *(line([_markdown_cell(cell) for cell in row]) for row in rows)]) + "\n"
