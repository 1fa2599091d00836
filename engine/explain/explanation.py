"""Explaining a conclusion: one traced solve, then graph and text for each asked pair.

`explain` is the entry point for one (ordinance, action) of a case;
`explain_pairs` explains several pairs of one case from a single solve
(`ordinance decide --explain`).  Everything comes from the traced model
(`engine.explain.trace`): the graph from the firings, the status from the ``status/3``
atom the deontic layer derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import clingo

from engine.core.cases import Case
from engine.explain.derivation import derivation_graph, derivation_to_dict, model_needs
from engine.core.errors import EngineError
from engine.core.facts import case_facts, reading_facts
from engine.core.vocabulary import RESTRICTED_BY, STATUS
from engine.core.rulebase import RuleBase, load_rule_base
from engine.explain.reasons import reasons_text
from engine.core.solve import check_readings, shown_atoms
from engine.explain.trace import Firing, TracedProgram, firings, traced_program

if TYPE_CHECKING:  # networkx takes a quarter of a second to import: only when a graph is built
    import networkx as nx

__all__ = ["Explanation", "TracedModel", "traced_model", "explain", "explain_pairs"]


@dataclass(frozen=True)
class Explanation:
    """Why one action has its status under one ordinance in one case."""

    case: str
    ordinance: str
    action: str
    status: str
    graph: nx.DiGraph
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "ordinance": self.ordinance, "action": self.action,
                "status": self.status, "text": self.text, "graph": derivation_to_dict(self.graph)}


@dataclass(frozen=True)
class TracedModel:
    """The one model of a case under the traced rule base."""

    program: TracedProgram
    fired: tuple[Firing, ...]
    facts: tuple[clingo.Symbol, ...]
    statuses: dict[tuple[str, str], clingo.Symbol]

    def status(self, constant: str, action: str) -> clingo.Symbol:
        """The ``status/3`` atom derived for the pair (the deontic layer derives exactly one)."""
        if (constant, action) in self.statuses:
            return self.statuses[(constant, action)]
        raise EngineError(f"no status was derived for {action} under {constant}. Fix: check that "
                          "the rules declare the ordinance (ordinance/3) and the action (action/2).")


def traced_model(case: Case, rule_base: RuleBase, readings: dict[str, str] | None = None) -> TracedModel:
    """Solve the case once under the traced rule base and keep its firings."""
    program = traced_program(rule_base)
    facts = tuple(case_facts(case) + reading_facts(check_readings(rule_base, dict(readings or {}))))
    control = program.control(facts)
    control.ground([("base", [])])
    fired = tuple(firings(shown_atoms(control)))
    statuses = {(str(STATUS.argument(f.head, "ordinance")), str(STATUS.argument(f.head, "action"))): f.head
                for f in fired if STATUS.matches(f.head)}
    return TracedModel(program, fired, facts, statuses)


def _check_pair(rule_base: RuleBase, ordinance: str, action: str) -> str:
    catalog = rule_base.catalog
    if ordinance not in catalog.ordinances:
        raise EngineError(f"unknown ordinance '{ordinance}'. Fix: use one of: "
                          f"{', '.join(catalog.ordinances)} (`ordinance list`).")
    if action not in catalog.actions:
        raise EngineError(f"unknown action '{action}'. Fix: use an action id of CASES.md "
                          "(`ordinance list --actions` prints them).")
    return catalog.ordinances[ordinance].constant


def explain_pairs(case: Case, rule_base: RuleBase, pairs: Sequence[tuple[str, str]],
                  readings: dict[str, str] | None = None) -> list[Explanation]:
    """Explanations for several (ordinance id, action) pairs of one case, from one solve."""
    checked = [(o, a, _check_pair(rule_base, o, a)) for o, a in pairs]
    model = traced_model(case, rule_base, readings)
    needs = model_needs(model.program, rule_base.catalog, model.fired, model.facts)  # shared by the pairs
    explanations = []
    for ordinance, action, constant in checked:
        conclusion = model.status(constant, action)
        status = str(conclusion.arguments[2])
        # A restriction leaves the status as it is; it is explained beside it.
        restrictions = [f.head for f in model.fired if RESTRICTED_BY.matches(f.head)
                        and str(RESTRICTED_BY.argument(f.head, "ordinance")) == constant
                        and str(RESTRICTED_BY.argument(f.head, "action")) == action]
        graph = derivation_graph(model.program, model.fired,
                                 [conclusion, *dict.fromkeys(restrictions)] if restrictions else conclusion,
                                 rule_base.catalog, model.facts, needs=needs)
        text = reasons_text(graph, rule_base.catalog, ordinance, action, status)
        explanations.append(Explanation(case.id, ordinance, action, status, graph, text))
    return explanations


def explain(case: Case, rule_base: RuleBase | None = None, ordinance: str = "", action: str = "",
            readings: dict[str, str] | None = None) -> Explanation:
    """Why ``action`` has its status under ``ordinance`` (a public id) in ``case``.

    Examples
    --------
    >>> from engine import load_rule_base, parse_case
    >>> rules = load_rule_base(use_env=False)
    >>> case = parse_case({"requests": [{"kind": "detainer"}]}, rules.catalog, "doc", "doc")
    >>> why = explain(case, rules, "westchester", "honor_detainer")
    >>> why.status, "10(b)" in why.text
    ('forbidden', True)
    """
    return explain_pairs(case, rule_base or load_rule_base(), [(ordinance, action)], readings)[0]
