"""`check` and `compare` as the `engine` package exports them, for a notebook or a script.

They are `engine.analysis.check.check` and `engine.analysis.comparison.compare` with the rule
base optional: given first, as those take it (``compare(rules, "beacon", "westchester")``), or
left out for the built-in rules with ``ORDINANCE_RULES`` (``compare("beacon", "westchester")``;
`load_rule_base` parses them once per process).  Every other option, and its default, is theirs:
the command line's (``timeout``, ``requests``, ``reading``, ...).

    >>> from engine import check
    >>> check("westchester", against="usc-1373", requests=1, internal=False)
    <Check westchester against usc-1373, narrow reading: 0 conflicts>
"""

from __future__ import annotations

from typing import Any

from engine.analysis import check as checking
from engine.analysis import comparison as comparing
from engine.analysis.findings import Check, Comparison
from engine.core.rulebase import RuleBase, load_rule_base

__all__ = ["check", "compare"]


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
