"""`ordinance decide` output: each decision as a table or as the contract's JSON, with its reasons."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from engine.core.printable import printable
from engine.core.results import Decision, Status
from engine.render.json_text import json_text
from engine.render.table import format_table

__all__ = ["format_decision", "render_decisions"]

#: The plain-language reasons of a decision's rows, by (ordinance, action).
Reasons = Mapping[tuple[str, str], str]


def format_decision(decision: Decision, show_silent: bool = False) -> str:
    """The decision as a table, ordinance by ordinance; silent rows counted, not listed.

    A ``restrictions`` column appears when some row is restricted (an act allowed
    only under a condition), and the rows decided item by item (the information a
    request asks for) are spelled out after the table.
    """
    shown = [r for r in decision.results if show_silent or r.status != Status.SILENT]
    restricted = any(r.restrictions for r in shown)
    header = ("ordinance", "action", "status", "sections", "exceptions", "tensions",
              *(("restrictions",) if restricted else ()))
    rows = [(r.ordinance, r.action, r.status, " ".join(r.sections), " ".join(r.exceptions),
             " ".join(r.tensions), *((" ".join(r.restrictions),) if restricted else ())) for r in shown]
    text = f"Case {printable(decision.case)}\n"
    if rows:
        text += format_table(header, rows) + "\n"
    silent = len(decision.results) - len(shown)
    if silent:
        text += f"({silent} silent pairs not shown: the ordinance says nothing that applies; --all lists them)\n"
    itemised = [r for r in shown if r.items]
    if itemised:
        text += "Item by item (the information each request asks for):\n"
        for row in itemised:
            parts = [f"request {i.request} {i.info}: {i.status}" + (f" ({' '.join(i.sections)})" if i.sections else "")
                     for i in row.items]
            text += printable(f"  {row.ordinance} {row.action}: " + "; ".join(parts)) + "\n"
    return text


def _with_reasons(data: dict[str, Any], reasons: Reasons) -> dict[str, Any]:
    for row in data["results"]:
        if (row["ordinance"], row["action"]) in reasons:
            row["reasons"] = reasons[(row["ordinance"], row["action"])]
    return data


def _reasons_text(reasons: Reasons) -> str:
    if not reasons:
        return ""
    # Each reason is a block of lines (the section's words among them): its line breaks stay.
    return "\nReasons\n" + "\n\n".join(printable(r, keep="\n") for r in reasons.values()) + "\n"


def render_decisions(decisions: Sequence[Decision], reasons: Sequence[Reasons], *, as_json: bool,
                     as_list: bool, show_silent: bool) -> str:
    """Every decision of a case file with its reasons (empty without ``--explain``).

    JSON is one object, or a list when the file held a list (``as_list``); text
    is one table a case, silent rows listed only with ``show_silent``.
    """
    if as_json:
        data = [_with_reasons(d.to_dict(), r) for d, r in zip(decisions, reasons)]
        return json_text(data if as_list else data[0])
    return "\n".join(format_decision(d, show_silent=show_silent) + _reasons_text(r)
                     for d, r in zip(decisions, reasons))
