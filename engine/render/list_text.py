"""`ordinance list` output: the ordinances and their rule files, the actions, the switches."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from engine.core.catalog import Catalog
from engine.core.printable import printable
from engine.render.table import format_table

__all__ = ["format_actions", "format_switches", "format_ordinances"]


def format_actions(catalog: Catalog) -> str:
    """Every action id with its meaning."""
    return format_table(("action", "meaning"), list(catalog.actions.items())) + "\n"


def format_switches(catalog: Catalog) -> str:
    """Every interpretive switch with its default and its readings, and how to choose one."""
    rows = [(name, default, " ".join(values)) for name, (default, values) in catalog.switches.items()]
    return (format_table(("switch", "default", "readings"), rows)
            + "\nChoose one with --switch NAME=VALUE (usc_1373 also with --reading); "
              "docs/interpretations.md explains each.\n")


def format_ordinances(catalog: Catalog, builtin: Path, own_files: Sequence[Path], env_var: str) -> str:
    """Each ordinance with its source and sections; then the built-in rules and the user's own files.

    What the rule files and paths hold is shown one line each (`printable`).
    """
    blocks = [printable(f"{o.id} ({'federal' if o.federal else 'local'}): {o.title}") + "\n"
              + printable(f"  source:   {o.source}") + "\n"
              + printable(f"  sections: {' '.join(o.sorted_sections())}") + "\n"
              for o in catalog.ordinances.values()]
    files = "\n".join(printable(f"  {f}") for f in own_files) or "  (none)"
    return ("\n".join(blocks) + f"\nBuilt-in rules: {printable(str(builtin))}\n"
            f"Your rules (--rules, {env_var}):\n{files}\n")
