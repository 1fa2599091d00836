"""Which clause matters (`--rank`): for each section, the share of the conflict (difference) space
that disappears when the section is dropped, from exact counts.

The conflict space is the set of cases of the bounded case space in which the ordinance
conflicts with federal law on some action (`check --against`); the difference space is the
set of (case, action) pairs on which the two ordinances give different statuses (`compare`:
they differ on some action in nearly every case, so whole cases would say little).  Dropping a section (as
``--drop`` does, `engine.analysis.restriction`) changes it both ways: cases leave it (the
section made them conflict) and, where the section was a savings clause or an exception,
cases join it.  Both are counted exactly, in one formula holding the rules as written and
the rules without the section over the same case facts (`engine.analysis.cnf`): the cases
in the space as written and not without the section, and the reverse.  This is, over every
case at once, the per-case what-if on the law and ``--drop``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import clingo

from engine.analysis.check import known_ordinance
from engine.analysis.cnf import FALSE, Formula
from engine.analysis.comparison import known_pair
from engine.analysis.counter import COUNTER_METHOD, ModelCounter, require_counter
from engine.analysis.counting import (Bound, GroundQuestion, Question, Tally, conflict_question,
                                      count_where, difference_question, formula_of, ground_question,
                                      literal_of, vocabulary_of, checked_switches, dropped_labels)
from engine.analysis.restriction import Drop, parse_drop
from engine.analysis.search import CONFLICT_FOUND, DEFAULT_REQUESTS, DIFFERS, DEFAULT_TIMEOUT, check_limits
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase

__all__ = ["SectionShare", "Ranking", "rank_conflicts", "rank_differences"]


@dataclass(frozen=True)
class SectionShare:
    """What dropping one section does to the conflict (difference) space: the cases that leave it
    (``disappears``) and those that join it (``appears``), with the section's words."""

    ordinance: str
    section: str
    words: str
    disappears: Tally
    appears: Tally


@dataclass(frozen=True)
class Ranking:
    """The sections of the ordinance(s), by the share of the conflict (difference) space each
    carries.  ``found``: the size of that space as written (cases; for differences, (case,
    action) pairs); ``kind``, ``ordinances``: as in `engine.analysis.counting.Counts`."""

    kind: str
    ordinances: tuple[str, str]
    bound: Bound
    found: Tally
    sections: tuple[SectionShare, ...]
    timeout: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ordinances": list(self.ordinances), "bound": self.bound.to_dict(),
                "found": self.found.to_dict(self.bound.cases),
                "sections": [{"ordinance": s.ordinance, "section": s.section, "words": s.words,
                              "disappears": s.disappears.to_dict(self.found),
                              "appears": s.appears.to_dict(self.found)} for s in self.sections],
                "timeout_seconds": self.timeout, "method": COUNTER_METHOD}


def _order(share: SectionShare) -> tuple[int, int, int]:
    """Most cases leaving first, then fewest joining; a count not known last."""
    gone, added = share.disappears.cases, share.appears.cases
    return (gone is None, -(gone or 0), added if added is not None else 1 << 400)


#: What is ranked: the literal, in a formula, of each part of the space of one grounding (one part
#: for conflicts, the cases with some conflict; one per action for differences).
Parts = Callable[[GroundQuestion, dict[int, int], Formula], dict[str, int]]


def conflict_parts(ground: GroundQuestion, literals: dict[int, int], formula: Formula) -> dict[str, int]:
    """The conflict space: the cases in which the ordinance conflicts with federal law on some action."""
    return {"any": literal_of(ground, literals, clingo.Function(CONFLICT_FOUND.name))}


def difference_parts(ground: GroundQuestion, literals: dict[int, int], formula: Formula) -> dict[str, int]:
    """The difference space, by action: the cases in which the two give the action different statuses."""
    by_action: dict[str, list[int]] = {}
    for atom in ground.of(DIFFERS.name, DIFFERS.arity):
        by_action.setdefault(str(DIFFERS.argument(atom, "action")), []).append(literal_of(ground, literals, atom))
    return {action: formula.disjunction(found) for action, found in sorted(by_action.items())}


def _sum(tallies: Sequence[Tally]) -> Tally:
    """The sum of counts (not known if one is not)."""
    if any(t.cases is None for t in tallies):
        return Tally(None)
    return Tally(sum(t.cases for t in tallies))  # type: ignore[misc]


def _rank(rule_base: RuleBase, question_of: Callable[[Sequence[Drop]], Question], parts: Parts,
          owners: Sequence[str], *, kind: str, ordinances: tuple[str, str], drops: Sequence[Drop],
          timeout: float, requests: int, reading: str, switches: Mapping[str, str]) -> Ranking:
    """Count the space as written, then, for each section of ``owners`` that states a rule, what
    leaves it and what joins it when the section is dropped too."""
    require_counter()
    written = ground_question(question_of(drops))
    formula = Formula()
    literals = formula_of(formula, written)
    shares: list[SectionShare] = []
    with ModelCounter() as counter:
        whole = count_where(counter, formula, (), timeout)
        total = _sum([count_where(counter, formula, (literal,), timeout)
                      for literal in parts(written, literals, formula).values()])
        for owner in owners:
            ordinance = rule_base.catalog.ordinances[owner]
            for section in ordinance.sorted_sections():
                drop = parse_drop(rule_base, owner, section)
                if drop in drops:
                    continue
                try:
                    question = question_of([*drops, drop])
                except EngineError:  # the section states no rule of its own: dropping it changes nothing
                    continue
                shares.append(_section_share(counter, written, question, parts, timeout, owner, section,
                                             ordinance.sections[section]))
    fingerprint, per_case, per_request = vocabulary_of(written)
    bound = Bound(requests, fingerprint, per_case, per_request, reading, tuple(sorted(switches.items())),
                  dropped_labels(rule_base, drops), whole)
    return Ranking(kind, ordinances, bound, total, tuple(sorted(shares, key=_order)), timeout)


def _section_share(counter: ModelCounter, written: GroundQuestion, question: Question, parts: Parts,
                   timeout: float, owner: str, section: str, words: str) -> SectionShare:
    """One formula over the same case facts: the rules as written and without the section.  A part
    whose literal is the same in both (the formula shares the variable of every conjunction met
    twice, so rules that drop nothing of it give it the very same literal) changes in no case."""
    without = ground_question(question)
    formula = Formula()
    before = parts(written, formula_of(formula, written), formula)
    after = parts(without, formula_of(formula, without), formula)
    gone, added = [], []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, FALSE), after.get(key, FALSE)
        if old != new:
            gone.append(count_where(counter, formula, (old, -new), timeout))
            added.append(count_where(counter, formula, (new, -old), timeout))
    return SectionShare(owner, section, words, _sum(gone), _sum(added))


def rank_conflicts(rule_base: RuleBase, ordinance: str, *, against: str = "usc-1373", reading: str = "narrow",
                   drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT,
                   requests: int = DEFAULT_REQUESTS, switches: Mapping[str, str] | None = None) -> Ranking:
    """For each section of ``ordinance``, the cases in which it conflicts with ``against`` (on any
    action) that no longer conflict without the section, and those that newly do.

    ``drops`` are dropped throughout (the text ranked is the text without them); options as
    for `engine.analysis.counting.count_conflicts`.
    """
    known_ordinance(rule_base, ordinance)
    known_ordinance(rule_base, against, "federal law")
    check_limits(timeout, requests)
    switches = checked_switches(rule_base, switches)

    def question_of(chosen: Sequence[Drop]) -> Question:
        return conflict_question(rule_base, ordinance, against, reading=reading, drops=chosen,
                                 requests=requests, switches=switches)

    return _rank(rule_base, question_of, conflict_parts, [ordinance], kind="conflicts",
                 ordinances=(ordinance, against), drops=drops, timeout=timeout, requests=requests,
                 reading=reading, switches=switches)


def rank_differences(rule_base: RuleBase, first: str, second: str, *, reading: str = "narrow",
                     drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT,
                     requests: int = DEFAULT_REQUESTS, switches: Mapping[str, str] | None = None) -> Ranking:
    """For each section of either ordinance, the (case, action) pairs on which the two differ that
    no longer differ without the section, and those that newly do (options as for
    `engine.analysis.counting.count_differences`).

    Pairs, not cases: two ordinances differ on some action in nearly every case (one speaks
    to an act the other is silent on), so dropping one section seldom makes them agree on
    everything; what it changes is on which actions they differ.
    """
    known_pair(rule_base, first, second)
    check_limits(timeout, requests)
    switches = checked_switches(rule_base, switches)

    def question_of(chosen: Sequence[Drop]) -> Question:
        return difference_question(rule_base, first, second, reading=reading, drops=chosen,
                                   requests=requests, switches=switches)

    return _rank(rule_base, question_of, difference_parts, [first, second], kind="differences",
                 ordinances=(first, second), drops=drops, timeout=timeout, requests=requests,
                 reading=reading, switches=switches)
