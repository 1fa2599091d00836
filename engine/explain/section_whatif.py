"""What-if on the law, not the case: the status with one deciding section removed.

Many conclusions hold in every case (Beacon 1(a) forbids stops based on status
whatever the facts), so no change to the case alters them and the case
what-if (`engine.explain.whatif`) rightly finds nothing.  A drafter still asks what
would change the outcome: which of the sections it rests on carry it.  The
sets of sections the result cites (deciding or excepting) are removed from the
rule base (`engine.analysis.restriction`, on the AST), smallest sets first, and the
same case is decided again; a set is reported when the status changes and no
smaller reported set is part of it (two sections that each forbid the act are
removed together).  Every answer is a verified re-decision, never an inference.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from engine.core.cases import Case
from engine.core.rulebase import RuleBase
from engine.analysis.restriction import Drop, restrict
from engine.core.solve import check_readings, decide

__all__ = ["SectionCounterfactual", "section_counterfactuals"]


@dataclass(frozen=True)
class SectionCounterfactual:
    """Without ``sections`` of the ordinance, the same case gets ``status`` (re-decided)."""

    sections: tuple[str, ...]
    status: str

    def to_dict(self) -> dict[str, object]:
        return {"without_sections": list(self.sections), "status": self.status}


def section_counterfactuals(case: Case, rule_base: RuleBase, ordinance: str, action: str,
                            readings: dict[str, str] | None = None) -> list[SectionCounterfactual]:
    """The smallest sets of sections behind ``action``'s status under ``ordinance`` whose
    removal changes it, fewest first.

    Examples
    --------
    >>> from engine import load_rule_base, parse_case
    >>> rules = load_rule_base(use_env=False)
    >>> case = parse_case({"agency": "police"}, rules.catalog, "doc", "doc")
    >>> section_counterfactuals(case, rules, "beacon", "stop_based_on_status")
    [SectionCounterfactual(sections=('1(a)',), status='silent')]
    """
    readings = check_readings(rule_base, dict(readings or {}))
    original = decide(case, rule_base, ordinances=[ordinance], readings=readings).result(ordinance, action)
    constant = rule_base.catalog.ordinances[ordinance].constant
    everyone = [o.constant for o in rule_base.catalog.ordinances.values()]
    cited = tuple(dict.fromkeys(original.sections + original.exceptions))
    found: list[SectionCounterfactual] = []
    for size in range(1, len(cited) + 1):
        for sections in combinations(cited, size):
            if any(set(f.sections) <= set(sections) for f in found):
                continue
            without = restrict(rule_base, everyone, [Drop(constant, s) for s in sections])
            status = decide(case, without, ordinances=[ordinance], readings=readings) \
                .result(ordinance, action).status
            if status != original.status:
                found.append(SectionCounterfactual(sections, status))
    return found
