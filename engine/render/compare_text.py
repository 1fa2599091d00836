"""Readable text for comparisons: each difference with the sections on both sides and its witness."""

from __future__ import annotations

from engine.analysis.findings import Comparison
from engine.core.printable import printable
from engine.render.check_text import DROPPED_NOTE, timed_out_lines, witness_line
from engine.render.json_text import json_text

__all__ = ["format_comparison", "render_comparison"]


def _by(sections: tuple[str, ...]) -> str:
    return " ".join(sections) or "no section applies"


def format_comparison(comparison: Comparison) -> str:
    """The differences as text, action by action (each line one line, whatever the rule files hold)."""
    first, second = comparison.first, comparison.second
    lines = [f"{first} vs {second} ({comparison.reading} reading of 8 U.S.C. 1373"
             + "".join(f"; switch {name}={value}" for name, value in comparison.switches)
             + "; every possible "
             f"case with at most {comparison.requests} requests; dropped sections: "
             f"{', '.join(comparison.dropped) or 'none'})"]
    if comparison.dropped:
        lines.append(DROPPED_NOTE)
    if not comparison.differences:
        lines.append("  no difference (proved: they give every action the same status in every case)"
                     if comparison.search.complete else
                     "  no difference found, but the search TIMED OUT (not a proof; the open questions below)")
    for d in comparison.differences:
        lines.append(f"  {d.action}: {first} {d.first.status} ({_by(d.first.sections)}), "
                     f"{second} {d.second.status} ({_by(d.second.sections)})")
        lines.append(witness_line(d.witness))
    lines += timed_out_lines(comparison.search)
    return "\n".join(map(printable, lines)) + "\n"


def render_comparison(comparison: Comparison, as_json: bool) -> str:
    """`ordinance compare` output: the comparison as text or JSON."""
    return json_text(comparison.to_dict()) if as_json else format_comparison(comparison)
