"""Readable text for comparisons: each difference with the sections on both sides and its witness."""

from __future__ import annotations

from engine.analysis.caseload import CaseloadComparison
from engine.analysis.findings import Comparison
from engine.core.printable import printable
from engine.render.check_text import DROPPED_NOTE, timed_out_lines, witness_line
from engine.render.json_text import json_text

__all__ = ["format_comparison", "render_comparison", "format_caseload", "render_caseload"]


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


def _cases(number: int) -> str:
    return f"{number:,} case{'' if number == 1 else 's'}"


def _ids(ids: tuple[str, ...], show: int) -> str:
    """The first ``show`` case ids, and how many more there are."""
    listed = ", ".join(ids[:show])
    more = len(ids) - show
    if more <= 0:
        return f" ({listed})"
    return f" ({listed}, and {more:,} more)" if listed else ""


def format_caseload(caseload: CaseloadComparison, show: int) -> str:
    """The counts as text: what they are counts over, then per action each status pair with the
    number of cases and the first ``show`` ids, then the cases that could not be decided."""
    first, second = caseload.first, caseload.second
    readings = "; ".join(f"{name}={value}" for name, value in caseload.readings)
    lines = [f"{first} vs {second} on the cases of {caseload.source} ({readings or 'default readings'}; "
             f"dropped sections: {', '.join(caseload.dropped) or 'none'})",
             f"  counts over these {_cases(caseload.total)} only, not over every possible case "
             "(`compare` without --cases searches those)",
             f"  {_cases(caseload.total)} read: {caseload.decided:,} decided, "
             f"{caseload.differing:,} decided differently on some action, "
             f"{len(caseload.errors):,} error{'' if len(caseload.errors) == 1 else 's'}"
             + (" (not decided, listed below)" if caseload.errors else "")]
    if not caseload.pairs:
        lines.append("  no difference: every decided case has the same status for every action under both")
    action = None
    for pair in caseload.pairs:
        if pair.action != action:
            action = pair.action
            lines.append(f"  {action}:")
        lines.append(f"    {pair.first_status} under {first}, {pair.second_status} under {second}: "
                     f"{_cases(len(pair.cases))}{_ids(pair.cases, show)}")
    if caseload.errors:
        lines.append("  errors (cases not decided, so in no count above):")
        lines += [f"    {error.case}: {error.message}" for error in caseload.errors]
    return "\n".join(map(printable, lines)) + "\n"


def render_caseload(caseload: CaseloadComparison, as_json: bool, show: int) -> str:
    """`ordinance compare A B --cases FILE` output: the counts as text or JSON (``show`` ids a pair)."""
    return json_text(caseload.to_dict(show)) if as_json else format_caseload(caseload, show)
