"""Counts (`--count`) and the ranking of sections (`--rank`) as text: the bound first, then the numbers.

Every line states what a number counts: cases of the bounded case space (never real-world
cases), the bound in full, and a count the counter did not finish as "not counted".
"""

from __future__ import annotations

from fractions import Fraction

from engine.analysis.counter import COUNTER_METHOD
from engine.analysis.counting import Bound, Counts, Tally
from engine.analysis.ranking import Ranking
from engine.core.printable import printable

__all__ = ["format_counts", "format_ranking", "percent", "NOT_COUNTED"]

NOT_COUNTED = "TIMED OUT (not counted)"
#: The widest a section's words are quoted on a line (the JSON has them whole).
WORDS = 90


def percent(share: Fraction | None) -> str:
    """A share as a percentage with four significant digits; never "100%" or "0%" unless exact."""
    if share is None:
        return "share not known"
    if share in (0, 1):
        return f"{int(share * 100)}%"
    text = f"{float(share) * 100:.4g}"
    if text == "100":
        return ">99.99%"
    return f"{text}%"


def _cases(tally: Tally) -> str:
    return NOT_COUNTED if tally.cases is None else f"{tally.cases:,} cases"


def _bound_lines(bound: Bound) -> list[str]:
    switches = "".join(f", {name}={value}" for name, value in bound.switches)
    dropped = f"; sections dropped: {', '.join(bound.dropped)}" if bound.dropped else ""
    return [f"  bound: every case with at most {bound.requests} request{'s' if bound.requests != 1 else ''} "
            "(each order of a case's requests counted apart, as a case file lists them in one order); "
            f"vocabulary {bound.vocabulary} ({bound.facts_per_case} possible facts of a case, "
            f"{bound.facts_per_request} of each request); {bound.reading} reading of 8 U.S.C. 1373"
            f"{switches}{dropped}",
            f"  the whole space: {_cases(bound.cases)} (counted, not assumed)"]


def _row(label: str, tally: Tally, whole: Tally, indent: str = "    ") -> str:
    share = "" if tally.cases is None else f"  {percent(tally.share(whole))} of the space"
    return f"{indent}{label:<34} {_cases(tally):>45}{share}"


def format_counts(counts: Counts) -> str:
    """The counts as text."""
    first, second = counts.ordinances
    whole = counts.bound.cases
    lines = ["Counts over the bounded case space (every case counted once; " + COUNTER_METHOD + "):",
             *_bound_lines(counts.bound)]
    if counts.kind == "conflicts":
        lines.append(f"  {first} conflicts with {second} in")
    else:
        lines.append(f"  {first} and {second} give an action different statuses ({first} / {second}) in")
    lines.append(_row("any action", counts.any, whole))
    for row in counts.rows:
        if row.statuses is None:
            lines.append(_row(row.action, row.tally, whole))
        else:
            lines.append(_row(" / ".join(row.statuses), row.tally, whole, "      "))
    if not counts.rows:
        lines.append("    (no action: no rule can make one conflict)" if counts.kind == "conflicts"
                     else "    (no action: the two rules agree in every case)")
    if counts.kind == "conflicts" and counts.rows:
        lines.append("    every other action: 0 cases (no rule can make it conflict)")
    lines.append("  A share is of the cases the contract's vocabulary can state within the bound, each counted "
                 "once; it is not a share of real-world cases (for your own cases: compare --cases FILE).")
    return "\n".join(map(printable, lines)) + "\n"


def format_ranking(ranking: Ranking) -> str:
    """The ranking of sections as text, most of the space first."""
    first, second = ranking.ordinances
    found = ranking.found
    if ranking.kind == "conflicts":
        unit = "cases"
        space = (f"of the {_cases(found)} in which {first} conflicts with {second} "
                 f"({percent(found.share(ranking.bound.cases))} of the bounded case space)")
    else:
        unit = "(case, action) pairs"
        size = NOT_COUNTED if found.cases is None else f"{found.cases:,} {unit}"
        space = f"of the {size} on which {first} and {second} give different statuses"
    lines = [f"Which clause matters: {space}, the share that no longer does when a section is dropped:",
             *_bound_lines(ranking.bound), f"  counted with {COUNTER_METHOD}"]
    unchanged = []
    for share in ranking.sections:
        label = f"{share.ordinance}:{share.section}" if ranking.kind == "differences" else share.section
        if share.disappears.cases == 0 and share.appears.cases == 0:
            unchanged.append(label)
            continue
        if share.disappears.cases is None:
            gone = NOT_COUNTED
        else:  # a space of no case loses none
            gone = percent(share.disappears.share(found)) if found.cases else "none"
        words = share.words if len(share.words) <= WORDS else share.words[:WORDS - 3] + "..."
        lines.append(f"  {label:<22} {gone:>10}  \"{words}\"")
        if share.appears.cases:
            relative = share.appears.share(found)
            lines.append(f"  {'':<22} {'':>10}  dropping it adds {share.appears.cases:,} {unit}"
                         + (f" ({percent(relative)} as many as there are now)" if relative is not None
                            else " (there are none now)" if found.cases == 0 else ""))
        elif share.appears.cases is None:
            lines.append(f"  {'':<22} {'':>10}  what it would add: {NOT_COUNTED}")
    if unchanged:
        lines.append(f"  dropping any of these changes nothing: {' '.join(unchanged)}")
    return "\n".join(map(printable, lines)) + "\n"
