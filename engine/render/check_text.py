"""Readable text for checks: each finding with its sections and its witness case.

Every line is built from the findings (the solver's answers); a witness is
printed as the contract's case object in compact JSON, ready to save and pass
to `ordinance decide`.
"""

from __future__ import annotations

import json
from typing import Sequence

from engine.analysis.findings import COMPLETE, Check, SearchReport, Witness
from engine.analysis.savings import SavingsTrial
from engine.render.table import format_table

__all__ = ["format_check", "format_matrix", "format_savings", "witness_json", "witness_line",
           "conflict_cell", "DROPPED_NOTE"]

#: Printed under a search with sections dropped: its witnesses are cases under the amended text.
DROPPED_NOTE = ("(witnesses are cases under the text without the dropped sections; "
                "`ordinance decide` applies the full text)")


def witness_json(witness: Witness) -> str:
    """The witness case as one line of JSON (the contract's case format)."""
    return json.dumps(witness.to_dict(), ensure_ascii=False)


def witness_line(witness: Witness) -> str:
    size = f"{witness.facts} fact{'s' if witness.facts != 1 else ''}"
    quality = "minimal" if witness.minimal else "not proved minimal"
    return f"    witness ({quality}, {size}): {witness_json(witness)}"


def _none(report: SearchReport | None, what: str) -> str:
    if report is not None and report.status != COMPLETE:
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
            lines.append(f"  {conflict.action}: {conflict.local_status} by "
                         f"{' '.join(conflict.sections)}; protected by {' '.join(conflict.federal_sections)}")
            lines.append(witness_line(conflict.witness))
        if check.conflicts and check.conflict_search and check.conflict_search.status != COMPLETE:
            lines.append(f"  TIMED OUT on: {', '.join(check.conflict_search.open_questions)}")
    if check.internal_search is not None:
        lines.append("Internal consistency:")
        if not check.internal:
            lines.append(_none(check.internal_search, "conflicts and tensions"))
        for finding in check.internal:
            lines.append(f"  {finding.kind} on {finding.action}: {' '.join(finding.sections)}")
            lines.append(witness_line(finding.witness))
        if check.internal and check.internal_search.status != COMPLETE:
            lines.append(f"  TIMED OUT on: {', '.join(check.internal_search.open_questions)}")
    if check.coverage_search is not None:
        if check.coverage_search.status != COMPLETE:
            lines.append("Dead rules and gaps: the search TIMED OUT")
        else:
            lines.append("Dead rules (fire in no possible case, under any reading):"
                         + ("" if check.dead_rules else " none"))
            lines += [f"  {' '.join(d.sections)} at {d.where}: {d.text}" for d in check.dead_rules]
            lines.append("Gaps: actions never addressed: " + (" ".join(check.gap_actions) or "none"))
            lines.append("      request kinds never addressed: "
                         + (" ".join(check.gap_request_kinds) or "none"))
    return "\n".join(lines) + "\n"


def conflict_cell(check: Check) -> str:
    """A matrix cell: the conflicting actions, or a proof of none, or a time-out."""
    if check.conflicts:
        cell = f"{len(check.conflicts)} conflict(s): {' '.join(c.action for c in check.conflicts)}"
    else:
        cell = "none (proved)"
    if check.conflict_search is not None and check.conflict_search.status != COMPLETE:
        cell += " TIMED OUT"
    return cell


def format_matrix(checks: Sequence[Check], readings: Sequence[str]) -> str:
    """Ordinance x reading: the conflicts with federal law, and the internal findings."""
    by_key = {(c.ordinance, c.reading): c for c in checks}
    ordinances = list(dict.fromkeys(c.ordinance for c in checks))
    rows = []
    for ordinance in ordinances:
        first = by_key[(ordinance, readings[0])]
        internal = " ".join(f"{f.kind}:{f.action}" for f in first.internal) or "none"
        rows.append((ordinance, *(conflict_cell(by_key[(ordinance, r)]) for r in readings), internal))
    against = checks[0].against if checks else ""
    return (f"Conflicts with {against} over every possible case, by reading\n"
            + format_table(("ordinance", *readings, f"internal ({readings[0]})"), rows) + "\n")


def format_savings(trials: Sequence[SavingsTrial]) -> str:
    """For each savings clause or carve-out: whether removing it creates a conflict."""
    rows = []
    for trial in trials:
        verdict = ("load-bearing: " + " ".join(c.action for c in trial.new_conflicts)
                   if trial.load_bearing else "not load-bearing")
        if trial.search.status != COMPLETE:
            verdict += " (TIMED OUT)"
        rows.append((trial.ordinance, " + ".join(trial.removed), trial.reading, verdict))
    return ("Savings clauses and carve-outs: does removing their exceptions create a conflict?\n"
            + format_table(("ordinance", "removed", "reading", "result"), rows) + "\n")
