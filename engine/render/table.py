"""Plain-text tables for the terminal: aligned columns, no dependencies."""

from __future__ import annotations

from typing import Sequence

from engine.core.results import Decision

__all__ = ["format_table", "format_decision"]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def format_decision(decision: Decision, show_silent: bool = False) -> str:
    """The decision as a table, ordinance by ordinance; silent rows counted, not listed."""
    shown = [r for r in decision.results if show_silent or r.status != "silent"]
    rows = [(r.ordinance, r.action, r.status, " ".join(r.sections), " ".join(r.exceptions),
             " ".join(r.tensions)) for r in shown]
    text = f"Case {decision.case}\n"
    if rows:
        text += format_table(("ordinance", "action", "status", "sections", "exceptions",
                              "tensions"), rows) + "\n"
    silent = len(decision.results) - len(shown)
    if silent:
        text += f"({silent} silent pairs not shown: the ordinance says nothing that applies; --all lists them)\n"
    return text
