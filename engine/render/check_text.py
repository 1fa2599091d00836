"""Readable text for checks: each finding with its sections and its witness case.

Every line is built from the findings (the solver's answers); a witness is
printed as the contract's case object in compact JSON, ready to save and pass
to `ordinance decide`.  Each line is one line whatever the rule files hold (an
ordinance id, a section label, a rule's text): a control character or line
break in them is shown as its escape (`engine.core.printable`).
"""

from __future__ import annotations

from typing import Sequence

from engine.analysis.findings import Check, FederalConflict, SavingsTrial, SearchReport, Witness
from engine.core.printable import printable
from engine.render.json_text import json_line, json_text
from engine.render.table import format_table

__all__ = ["render_check", "render_check_all", "format_check", "format_matrix", "format_savings",
           "witness_json", "witness_line", "timed_out_lines", "conflict_cell", "DROPPED_NOTE"]

#: Printed under a search with sections dropped: its witnesses are cases under the amended text.
DROPPED_NOTE = ("(witnesses are cases under the text without the dropped sections; "
                "`ordinance decide` applies the full text)")


def savings_verdict(trial: SavingsTrial) -> str:
    """Whether removing the sections creates a conflict: yes (on which actions), no (proved), or not known."""
    if trial.load_bearing:
        verdict = "load-bearing: " + " ".join(c.action for c in trial.new_conflicts)
        return verdict if trial.search.complete else verdict + " (other searches TIMED OUT)"
    return "not load-bearing" if trial.search.complete else "TIMED OUT (not known)"


def removed_label(trial: SavingsTrial) -> str:
    """The sections a savings trial removed (none when the search for them ran out of time)."""
    return " + ".join(trial.removed) or "(which sections save it: TIMED OUT)"


def internal_summary(check: Check) -> str:
    """The internal findings of a check in one cell: the findings, a proof of none, or a time-out."""
    summary = " ".join(f"{f.kind}:{f.action}" for f in check.internal)
    if check.internal_search is not None and not check.internal_search.complete:
        return (summary + " (others TIMED OUT)") if summary else "TIMED OUT (nothing found, nothing proved)"
    return summary or "none"


def conflict_how(conflict: FederalConflict) -> str:
    """How the ordinance stands in the way of the protected act, and what protects it."""
    how = (f"restricted by {' '.join(conflict.sections)} (allowed only on a condition; "
           f"status {conflict.local_status})" if conflict.by == "restriction"
           else f"{conflict.local_status} by {' '.join(conflict.sections)}")
    items = "; ".join(f"request {request} asking for {info.replace('_', ' ')}" for request, info in conflict.items)
    return f"{how}; protected by {' '.join(conflict.federal_sections)}" + (f" (item by item: {items})" if items else "")


def witness_json(witness: Witness) -> str:
    """The witness case as one line of JSON (the contract's case format)."""
    return json_line(witness.to_dict())


def witness_line(witness: Witness) -> str:
    size = f"{witness.facts} fact{'s' if witness.facts != 1 else ''}"
    quality = "minimal" if witness.minimal else "not proved minimal"
    return f"    witness ({quality}, {size}): {witness_json(witness)}"


def timed_out_lines(report: SearchReport) -> list[str]:
    """The line naming the questions a search left open, under the findings it did make."""
    return [] if report.complete else [f"  TIMED OUT on: {', '.join(report.open_questions)}"]


def _none(report: SearchReport | None, what: str) -> str:
    if report is not None and not report.complete:
        return f"  {what}: none found, but the search TIMED OUT on: {', '.join(report.open_questions)}"
    return f"  {what}: none (proved: no possible case has one)"


def format_check(check: Check) -> str:
    """One check as text."""
    dropped = ", ".join(check.dropped) or "none"
    lines = [f"{check.ordinance}: {'against ' + check.against + ', ' if check.against else ''}"
             f"{check.reading} reading of 8 U.S.C. 1373"
             + "".join(f"; switch {name}={value}" for name, value in check.switches)
             + f"; dropped sections: {dropped}",
             f"(every possible case with at most {check.requests} requests; "
             f"{check.timeout:g} s per search)"]
    if check.dropped:
        lines.append(DROPPED_NOTE)
    if check.conflicts is not None:
        lines.append(f"Conflicts with {check.against}:")
        if not check.conflicts:
            lines.append(_none(check.conflict_search, "conflicts"))
        for conflict in check.conflicts:
            lines.append(f"  {conflict.action}: {conflict_how(conflict)}")
            lines.append(witness_line(conflict.witness))
        if check.conflicts and check.conflict_search:
            lines += timed_out_lines(check.conflict_search)
    if check.internal_search is not None:
        lines.append("Internal consistency:")
        if not check.internal:
            lines.append(_none(check.internal_search, "conflicts and tensions"))
        for finding in check.internal:
            lines.append(f"  {finding.kind} on {finding.action}: {' '.join(finding.sections)}")
            lines.append(witness_line(finding.witness))
        if check.internal:
            lines += timed_out_lines(check.internal_search)
    if check.coverage_search is not None:
        if not check.coverage_search.complete:
            lines.append("Dead rules and gaps: the search TIMED OUT")
        else:
            lines.append("Dead rules (fire in no possible case, under any reading):"
                         + ("" if check.dead_rules else " none"))
            lines += [f"  {' '.join(d.sections)} at {d.where}: {d.text}" for d in check.dead_rules]
            lines.append("Gaps: actions never addressed: " + (" ".join(check.gap_actions) or "none"))
            lines.append("      request kinds never addressed: "
                         + (" ".join(check.gap_request_kinds) or "none"))
    return "\n".join(map(printable, lines)) + "\n"


def conflict_cell(check: Check) -> str:
    """A matrix cell: the conflicting actions, or a proof of none, or a time-out."""
    complete = check.conflict_search is None or check.conflict_search.complete
    if check.conflicts:
        cell = f"{len(check.conflicts)} conflict(s): {' '.join(c.action for c in check.conflicts)}"
        return cell if complete else cell + " (others TIMED OUT)"
    return "none (proved)" if complete else "TIMED OUT (nothing found, nothing proved)"


def format_matrix(checks: Sequence[Check], readings: Sequence[str]) -> str:
    """Ordinance x reading: the conflicts with federal law, and the internal findings."""
    by_key = {(c.ordinance, c.reading): c for c in checks}
    ordinances = list(dict.fromkeys(c.ordinance for c in checks))
    rows = []
    for ordinance in ordinances:
        first = by_key[(ordinance, readings[0])]
        internal = internal_summary(first)
        rows.append((ordinance, *(conflict_cell(by_key[(ordinance, r)]) for r in readings), internal))
    against = checks[0].against if checks else ""
    held = ", ".join(f"{name}={value}" for name, value in checks[0].switches) if checks else ""
    return (printable(f"Conflicts with {against} over every possible case, by reading"
                      + (f" (switches held: {held})" if held else "")) + "\n"
            + format_table(("ordinance", *readings, f"internal ({readings[0]})"), rows) + "\n")


def format_savings(trials: Sequence[SavingsTrial]) -> str:
    """For each savings clause or carve-out: whether removing it creates a conflict."""
    rows = []
    for trial in trials:
        rows.append((trial.ordinance, removed_label(trial), trial.reading, savings_verdict(trial)))
    return ("Savings clauses and carve-outs: does removing their exceptions create a conflict?\n"
            + format_table(("ordinance", "removed", "reading", "result"), rows) + "\n")


def render_check(check: Check, as_json: bool) -> str:
    """`ordinance check ORDINANCE` output: the check as text or JSON."""
    return json_text(check.to_dict()) if as_json else format_check(check)


def render_check_all(checks: Sequence[Check], trials: Sequence[SavingsTrial], readings: Sequence[str],
                     as_json: bool) -> str:
    """`ordinance check --all` output: the matrix, the savings clauses, then every check."""
    if as_json:
        return json_text({"checks": [c.to_dict() for c in checks], "savings": [t.to_dict() for t in trials]})
    return "\n".join([format_matrix(checks, readings), format_savings(trials),
                      *(format_check(c) for c in checks)])
