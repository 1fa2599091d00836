"""`ordinance explain` output: the explanation, and with ``--what-if`` the changed cases and laws."""

from __future__ import annotations

from engine.core.catalog import section_ref

from typing import Mapping, Sequence

from engine.core.cases import Case
from engine.core.printable import printable
from engine.explain.derivation import describe_fact
from engine.explain.explanation import Explanation
from engine.explain.section_whatif import SectionCounterfactual
from engine.explain.whatif import Change, Counterfactuals
from engine.render.json_text import json_text

__all__ = ["render_explanation"]

#: The vocabulary's words for a fact, by (field, value) (`Catalog.descriptions`).
Descriptions = Mapping[tuple[str, str], str]


#: The ``--what-if`` answers: the changed cases, and the laws without some sections.
WhatIf = tuple[Counterfactuals, Sequence[SectionCounterfactual]]


def render_explanation(case: Case, explanation: Explanation, ordinance: str, what_if: WhatIf | None,
                       descriptions: Descriptions, *, as_json: bool) -> str:
    """The explanation of one conclusion, with the what-if answers (None without ``--what-if``)."""
    if as_json:
        data = explanation.to_dict()
        if what_if is not None:
            changes, removals = what_if
            data["what_if"] = [c.to_dict(descriptions) for c in changes]
            data["what_if_search"] = "complete" if changes.complete else "timed out"
            data["what_if_sections"] = [r.to_dict() for r in removals]
        return json_text(data)
    # The explanation is a block of lines (the section's words among them): its line breaks stay.
    explained = printable(explanation.text, keep="\n")
    text = f"Case {printable(case.id)}\n{explained}\n"
    if what_if is not None:
        changes, removals = what_if
        text += _what_if_text(changes, explanation.status, descriptions)
        text += _what_if_sections_text(removals, explanation.status, ordinance)
    return text


def _block(heading: str, lines: Sequence[str], empty: str) -> str:
    """One what-if answer: its heading and lines, or the sentence saying there is none
    (each one line, whatever the words of a section or of the vocabulary hold)."""
    return ("\n".join([f"\n{printable(heading)}", *map(printable, lines)]) + "\n" if lines
            else f"\n{printable(empty)}\n")


def _what_if_text(changes: Counterfactuals, status: str, descriptions: Descriptions) -> str:
    lines = []
    for number, change in enumerate(changes, start=1):
        lines.append(f"  {number}. {change.status}, if:")
        lines.extend(f"       {_change_words(c, descriptions)}" for c in change.changes)
    if not changes.complete:
        return _block(f"What if: the search TIMED OUT; changes found so far under which it is no longer "
                      f"{status} (each re-decided; not proved the smallest):", lines,
                      "What if: the search TIMED OUT before finding a change (not a proof that none exists).")
    return _block(f"What if: the smallest changes under which it is no longer {status} (each re-decided):",
                  lines, f"What if: no change to the case's facts (within the fields not fixed) makes it "
                         f"other than {status}.")


def _change_words(change: Change, descriptions: Descriptions) -> str:
    """One change in the vocabulary's words, with the fact it adds or removes."""
    words = describe_fact(change.fact, descriptions) or str(change.fact)
    return f"{'also' if change.added else 'no longer'}: {words}  [{change}]"


def _what_if_sections_text(removals: Sequence[SectionCounterfactual], status: str, ordinance: str) -> str:
    lines = [f"  - without {' and '.join(section_ref(s) for s in removal.sections)}: {removal.status}"
             for removal in removals]
    return _block(f"What if the law were different: without these sections of {ordinance}, the same case "
                  "(re-decided):", lines, "What if the law were different: no set of the sections cited, "
                  f"removed, makes it other than {status}.")
