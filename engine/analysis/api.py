"""`check` and `compare` as the `engine` package exports them, for a notebook or a script.

They are `engine.analysis.check.check` and `engine.analysis.comparison.compare` with the rule
base optional: given first, as those take it (``compare(rules, "beacon", "westchester")``), or
left out for the built-in rules with ``ORDINANCE_RULES`` (``compare("beacon", "westchester")``;
`load_rule_base` parses them once per process).  Every other option, and its default, is theirs:
the command line's (``timeout``, ``requests``, ``reading``, ...).

    >>> from engine import check
    >>> check("westchester", against="usc-1373", requests=1, internal=False)
    <Check westchester against usc-1373, narrow reading: 0 conflicts>

`count_conflicts`, `count_differences` and `rank_sections` are ``--count`` and ``--rank``: exact
counts over the bounded case space (they need the optional counter, ``pip install
'ordinance-engine[count]'``), with the same optional rule base and options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.analysis import check as checking
from engine.analysis import comparison as comparing
from engine.analysis.findings import Check, Comparison
from engine.core.rulebase import RuleBase, load_rule_base

if TYPE_CHECKING:
    from engine.analysis.counting import Counts
    from engine.analysis.ranking import Ranking

__all__ = ["check", "compare", "count_conflicts", "count_differences", "rank_sections"]


def _rule_base_and_ids(arguments: tuple[RuleBase | str | None, ...], names: tuple[str, ...],
                       function: str) -> tuple[RuleBase, list[str]]:
    """The rule base and the ordinance ids of a call whose rule base may lead or be absent."""
    given = [a for a in arguments if a is not None]
    rule_base = given.pop(0) if given and isinstance(given[0], RuleBase) else load_rule_base()
    if len(given) != len(names) or not all(isinstance(a, str) for a in given):
        raise TypeError(f"{function}() takes {' and '.join(names)} (public ids, e.g. 'beacon'), "
                        f"optionally after the rule base: {function}([rules, ]{', '.join(names)}, ...)")
    return rule_base, given


def check(rules_or_ordinance: RuleBase | str, ordinance: str | None = None, /, **options: Any) -> Check:
    """Search every possible case for conflicts of ``ordinance`` with ``against`` and within it.

    ``check("beacon", against="usc-1373", reading="broad")`` or ``check(rules, "beacon", ...)``;
    the options are those of `engine.analysis.check.check`: ``against``, ``reading``, ``drops``,
    ``timeout``, ``requests``, ``internal``, ``switches``.
    """
    rule_base, (chosen,) = _rule_base_and_ids((rules_or_ordinance, ordinance), ("ordinance",), "check")
    return checking.check(rule_base, chosen, **options)


def compare(rules_or_first: RuleBase | str, first_or_second: str | None = None,
            second: str | None = None, /, **options: Any) -> Comparison:
    """Where two ordinances (public ids) give an action different statuses, over every case.

    ``compare("beacon", "westchester")`` or ``compare(rules, "beacon", "westchester")``; the
    options are those of `engine.analysis.comparison.compare`: ``reading``, ``drops``,
    ``timeout``, ``requests``, ``switches``.
    """
    rule_base, (first, other) = _rule_base_and_ids((rules_or_first, first_or_second, second),
                                                   ("first", "second"), "compare")
    return comparing.compare(rule_base, first, other, **options)


def count_conflicts(rules_or_ordinance: RuleBase | str, ordinance: str | None = None, /,
                    **options: Any) -> "Counts":
    """In how many cases of the bounded case space an ordinance conflicts with federal law, per action.

    ``count_conflicts("beacon", against="usc-1373", reading="broad", requests=1)``; the options are
    those of `engine.analysis.counting.count_conflicts` (``against``, ``reading``, ``drops``,
    ``timeout``, ``requests``, ``switches``).  ``.any.cases`` is the number of cases with some
    conflict, ``.bound.cases`` the size of the space (both counted), ``.rows`` one per action;
    a count the counter did not finish in ``timeout`` seconds is ``None``, never a partial number.
    """
    from engine.analysis import counting

    rule_base, (chosen,) = _rule_base_and_ids((rules_or_ordinance, ordinance), ("ordinance",), "count_conflicts")
    return counting.count_conflicts(rule_base, chosen, **options)


def count_differences(rules_or_first: RuleBase | str, first_or_second: str | None = None,
                      second: str | None = None, /, **options: Any) -> "Counts":
    """In how many cases of the bounded case space two ordinances give an action different statuses:
    per action, and per action and pair of statuses (``row.statuses``).

    ``count_differences("beacon", "westchester", requests=1)``; the options are those of
    `engine.analysis.counting.count_differences`.
    """
    from engine.analysis import counting

    rule_base, (first, other) = _rule_base_and_ids((rules_or_first, first_or_second, second),
                                                   ("first", "second"), "count_differences")
    return counting.count_differences(rule_base, first, other, **options)


def rank_sections(rules_or_first: RuleBase | str, first_or_second: str | None = None,
                  second: str | None = None, /, *, against: str | None = None, **options: Any) -> "Ranking":
    """Which clause matters: for each section, the share of the conflict space (with ``against``)
    or of the difference space (with a second ordinance) that disappears when it is dropped.

    ``rank_sections("beacon", against="usc-1373")`` or ``rank_sections("beacon", "westchester")``;
    other options as for `count_conflicts` and `count_differences`.
    """
    from engine.analysis import ranking

    given = tuple(a for a in (rules_or_first, first_or_second, second) if a is not None)
    names = ("ordinance",) if against is not None else ("first", "second")
    rule_base, ids = _rule_base_and_ids(given, names, "rank_sections")
    if against is not None:
        return ranking.rank_conflicts(rule_base, ids[0], against=against, **options)
    return ranking.rank_differences(rule_base, ids[0], ids[1], **options)
