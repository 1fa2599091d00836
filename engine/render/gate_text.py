"""Readable text for the amendment gate: each kind looked for, its findings with the sections of the
new text that cause them and their witnesses, or the solver's proof that there are none."""

from __future__ import annotations

from engine.analysis.amendment import (LOST_PROTECTION, NEW_CONFLICT, NEW_DUTY, NEW_PROHIBITION, Amendment,
                                       KindOutcome, cause)
from engine.core.printable import printable
from engine.render.check_text import witness_line
from engine.render.json_text import json_text

__all__ = ["format_amendment", "render_amendment"]


def _meaning(kind: str, amendment: Amendment) -> str:
    """What a kind means for this pair of texts, in one phrase."""
    old, new = amendment.old, amendment.new
    return {NEW_PROHIBITION: f"{new} forbids an act {old} did not",
            NEW_DUTY: f"{new} obliges an act {old} did not",
            LOST_PROTECTION: f"{old} forbade an act {new} no longer forbids",
            NEW_CONFLICT: f"{new} conflicts with {amendment.against} where {old} did not"}[kind]


def _outcome_lines(outcome: KindOutcome, amendment: Amendment) -> list[str]:
    head = f"{outcome.kind} ({_meaning(outcome.kind, amendment)})"
    if outcome.proved_clean:
        return [f"{head}: none, proved by the solver (no possible case has one)"]
    lines = [f"{head}:" if outcome.findings else f"{head}: none found, but NOT PROVED"]
    for finding in outcome.findings:
        if outcome.kind == NEW_CONFLICT:
            said = (f"{finding.new_status} under {amendment.new}; protected by {' '.join(finding.federal_sections)}; "
                    f"{amendment.old} has no such conflict")
        else:
            said = (f"{amendment.old} {finding.old_status} ({' '.join(finding.old_sections) or 'no section applies'}), "
                    f"{amendment.new} {finding.new_status}")
        lines.append(f"  {finding.action}: {said}; caused by: {cause(finding, amendment.old, amendment.new)}")
        lines.append(witness_line(finding.witness))
    lines += [f"  not proved: {why} (raise --timeout to finish it)" for why in outcome.unproved]
    return lines


def format_amendment(amendment: Amendment) -> str:
    """The gate as text: the bound searched, then each kind (each line one line, whatever ids hold)."""
    lines = [f"Amendment gate: {amendment.old} -> {amendment.new} ({amendment.reading} reading of 8 U.S.C. 1373"
             + "".join(f"; switch {name}={value}" for name, value in amendment.switches)
             + f"; every possible case with at most {amendment.requests} requests; "
               f"{amendment.timeout:g} s per search)"]
    for outcome in amendment.outcomes:
        lines += _outcome_lines(outcome, amendment)
    return "\n".join(map(printable, lines)) + "\n"


def render_amendment(amendment: Amendment, as_json: bool) -> str:
    """`ordinance gate` output: the amendment gate as text or JSON."""
    return json_text(amendment.to_dict()) if as_json else format_amendment(amendment)
