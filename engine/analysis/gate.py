"""`--fail-on`: whether a check or a comparison found what a script asked it to fail on.

A drafting pipeline or a CI job gates on the exit status: `check` and `compare`
fail (exit 1) when they find a kind of finding the user named.  A search that ran
out of time and found nothing of that kind proves nothing either way, so it is
neither "found" nor "clean": it fails the gate too, with a message that says the
search was incomplete (a gate that passed on a timeout would let a conflict through
on a slow machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from engine.analysis.findings import Check, Comparison, SearchReport

__all__ = ["CHECK_KINDS", "COMPARE_KINDS", "Gate", "gate_checks", "gate_comparison"]

#: What `check --fail-on` can name: a conflict (with federal law, or an internal one: an
#: action both forbidden and obligated) or a tension (an exception pulling against a norm).
CHECK_KINDS = ("conflict", "tension")
#: What `compare --fail-on` can name: a case on which the two ordinances disagree.
COMPARE_KINDS = ("difference",)


@dataclass(frozen=True)
class Gate:
    """What the gate found (``found``: one line each) and what it could not rule out
    (``unproved``: searches that timed out before finding anything of a named kind)."""

    found: tuple[str, ...] = ()
    unproved: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.found and not self.unproved

    def message(self, kinds: Sequence[str]) -> str:
        """Why the gate failed: a summary line, then what was found and what is not known."""
        counts = ([f"{len(self.found)} found"] if self.found else []) + (
            [f"{len(self.unproved)} not proved either way (a search timed out: raise --timeout to finish it)"]
            if self.unproved else [])
        return "\n".join([f"--fail-on {','.join(kinds)}: {'; '.join(counts)}",
                          *(f"  found: {line}" for line in self.found),
                          *(f"  not proved: {line}" for line in self.unproved)])


def _timed_out(report: SearchReport | None) -> bool:
    return report is not None and not report.complete


def gate_checks(checks: Sequence[Check], kinds: Sequence[str]) -> Gate:
    """The gate over one check (`check ID`) or the matrix (`check --all`): the federal
    conflicts and internal findings of the named kinds.  Savings trials do not count: a
    conflict that would appear if a section were removed is not one of the law as written."""
    found: list[str] = []
    unproved: list[str] = []
    for check in checks:
        where = f"{check.ordinance} ({check.reading} reading)"
        if "conflict" in kinds and check.conflicts:
            found.append(f"{where}: conflict with {check.against} on "
                         + ", ".join(c.action for c in check.conflicts))
        named = [f for f in check.internal if f.kind in kinds]
        if named:
            found.append(f"{where}: " + ", ".join(f"{f.kind} on {f.action}" for f in named))
        if "conflict" in kinds and not check.conflicts and _timed_out(check.conflict_search):
            unproved.append(f"{where}: the search for conflicts with {check.against} timed out")
        if not named and _timed_out(check.internal_search):
            unproved.append(f"{where}: the search for internal {' and '.join(kinds)}s timed out")
    return Gate(tuple(found), tuple(unproved))


def gate_comparison(comparison: Comparison) -> Gate:
    """The gate over a comparison: any difference (the one kind `compare --fail-on` names)."""
    pair = f"{comparison.first} and {comparison.second}"
    if comparison.differences:
        actions = sorted({d.action for d in comparison.differences})
        return Gate((f"{pair} differ on {len(actions)} action(s): {', '.join(actions)}",))
    if not comparison.search.complete:
        return Gate(unproved=(f"{pair}: the search for differences timed out",))
    return Gate()
