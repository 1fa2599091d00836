"""Plain-text tables for the terminal: aligned columns, no dependencies."""

from __future__ import annotations

from typing import Sequence

from engine.core.printable import printable

__all__ = ["format_table"]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header.

    A cell is one line whatever it holds: a control character or line break in
    it (an id, a label a user wrote) is shown as its escape (`printable`),
    which also keeps the columns aligned.
    """
    cells = [[printable(str(cell)) for cell in row] for row in [headers, *rows]]
    widths = [max(len(cell) for cell in column) for column in zip(*cells)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *map(line, cells[1:])])
