"""Explaining a conclusion: one traced solve, then graph and text for each asked pair.

`explain` is the entry point for one (ordinance, action) of a case;
`explain_pairs` explains several pairs of one case from a single solve
(`ordinance decide --explain`).  Everything comes from the traced model
(`engine.explain.trace`): the graph from the firings, the status from the ``status/3``
atom the deontic layer derived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import clingo

from engine.core.cases import Case, parse_case
from engine.core.catalog import section_ref
from engine.explain.derivation import (bearing_part, derivation_graph, derivation_to_dict, describe_fact,
                                       model_needs, pair_conclusions)
from engine.core.errors import CaseError, EngineError
from engine.core.facts import case_facts, reading_facts, symbol_fact
from engine.core.printable import printable
from engine.core.vocabulary import READING, STATUS, TENSION, case_predicates, fact_arity
from engine.core.rulebase import RuleBase, load_rule_base
from engine.explain.reasons import reasons_text
from engine.core.solve import check_readings, shown_atoms
from engine.core.suggest import known_action_id, known_ordinance_id
from engine.explain.trace import Firing, TracedProgram, firings, traced_program

if TYPE_CHECKING:  # networkx takes a quarter of a second to import: only when a graph is built
    import networkx as nx

__all__ = ["Explanation", "TracedModel", "traced_model", "explain", "explain_pairs", "explain_graph"]

#: The predicates a case states: what a way may add to the case to be checked.
CASE_FACT_NAMES = case_predicates() - {READING.name}


@dataclass(frozen=True)
class Explanation:
    """Why one action has its status under one ordinance in one case."""

    case: str
    ordinance: str
    action: str
    status: str
    graph: nx.DiGraph
    text: str

    @property
    def tensions(self) -> list[dict[str, Any]]:
        """The sections that permit the action while others forbid it here (``tension/3``):
        each with the sections it stands ``against``."""
        return [{"section": section, "against": self.graph.nodes[node]["against"]}
                for node in _tensions(self.graph) for section in self.graph.nodes[node]["sections"]]

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "ordinance": self.ordinance, "action": self.action,
                "status": self.status, "text": self.text, "tensions": self.tensions,
                "graph": derivation_to_dict(self.graph)}

    def __repr__(self) -> str:
        """Short, as a console or a notebook shows a bare explanation: the reasons are ``text``."""
        return (f"<Explanation {printable(self.case)}: {printable(self.action)} is {self.status} "
                f"under {printable(self.ordinance)}; .text for the reasons>")

    def _repr_html_(self) -> str:
        """The explanation as a notebook shows it: the reasons, then the lawyer's view of the graph."""
        from engine.render.notebook import explanation_html

        return explanation_html(self)


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
    constant = catalog.ordinances[known_ordinance_id(catalog, ordinance)].constant
    known_action_id(catalog, action)
    return constant


class _WayCheck:
    """Re-decides the case with the facts a way says were missing: does the absent atom then hold?

    A "would have needed" is read off the rules (`engine.explain.needs`), which
    is not a proof; only what this check confirms is shown.  Answers are kept
    per set of added facts, since the pairs of one case share many.
    """

    def __init__(self, case: Case, rule_base: RuleBase, readings: dict[str, str]) -> None:
        self.case, self.rule_base, self.readings = case, rule_base, readings
        self.models: dict[frozenset, frozenset[clingo.Symbol] | None] = {}

    def holds_with(self, absent: clingo.Symbol, added: Sequence[clingo.Symbol]) -> bool:
        key = frozenset(added)
        if key not in self.models:
            self.models[key] = self._model(added)
        model = self.models[key]
        return model is not None and absent in model

    def _model(self, added: Sequence[clingo.Symbol]) -> frozenset[clingo.Symbol] | None:
        changed = Case.from_facts(self.case.id, [*self.case.facts, *(symbol_fact(a) for a in added)], like=self.case)
        try:  # a case file must be able to say it (the validator's rules, implications included)
            changed = parse_case(changed.to_dict(), self.rule_base.catalog, "would have needed", changed.id)
        except CaseError:
            return None
        control = self.rule_base.control(case_facts(changed) + reading_facts(self.readings))
        control.ground([("base", [])])
        atoms: list[clingo.Symbol] = []
        control.solve(on_model=lambda model: atoms.extend(model.symbols(atoms=True)))
        return frozenset(atoms)


def _bindings(facts: Sequence[str], requests: int) -> list[list[clingo.Symbol]]:
    """The facts as atoms: as they are when ground, else with their variables (a request
    number the rule did not bind) set to each of the case's requests in turn, then to a
    request added after them."""
    variables = sorted({v for fact in facts for v in _VARIABLE.findall(fact)})
    values = [[]] if not variables else [[str(n)] * len(variables) for n in range(1, requests + 2)]
    found = []
    for chosen in values:
        binding = dict(zip(variables, chosen))
        try:
            found.append([clingo.parse_term(_VARIABLE.sub(lambda m: binding[m.group(0)], fact)) for fact in facts])
        except (RuntimeError, KeyError):  # "_" (any value), or not a term a case states
            continue
    return found


#: A variable in a fact read off a rule (``request_has(Q,judicial_warrant)``).
_VARIABLE = re.compile(r"(?<![\w\"])[A-Z][A-Za-z0-9_]*")


def _stateable(atom: clingo.Symbol) -> bool:
    """Whether a case file could state the atom: a case predicate, a request's by its number
    (not the occasion `case` a rule's variable may have been matched with)."""
    return atom.name in CASE_FACT_NAMES and all(
        a.type == clingo.SymbolType.Number for a in atom.arguments[:fact_arity(atom.name) - 1])


def _keep_verified_ways(graph: nx.DiGraph, check: "_WayCheck", descriptions: dict[tuple[str, str], str]) -> None:
    """Keep, for each absent condition, only the ways that make it hold when added to the case
    (re-decided), stated with the request they concern; drop the others and those no case
    file could state (nothing missing, any value, a predicate a case does not state).
    ``ways_read`` keeps how many ways the rules gave, so that none kept can be told
    apart from none there: no change of facts helps, or the rules give no way at all."""
    for _, data in graph.nodes(data=True):
        if data["kind"] != "negated":
            continue
        data["verified"], data["ways_read"] = True, len(data["ways"])
        try:
            absent = clingo.parse_term(data["atom"])
        except RuntimeError:  # "_" stands for any value: no single atom to check
            data["ways"] = []
            continue
        kept: dict[tuple, dict] = {}  # one way per (sections, facts): two rules may need the same facts
        for way in data["ways"]:
            facts = [m["fact"] for m in way["missing"]]
            if not facts:
                continue
            for added in _bindings(facts, check.case.request_count):
                if all(_stateable(a) for a in added) and check.holds_with(absent, added):
                    key = (tuple((s["ordinance"], s["section"]) for s in way["sections"]),
                           tuple(sorted(map(str, added))))
                    kept.setdefault(key, {**way, "missing": [
                        {"fact": str(a), "description": describe_fact(a, descriptions)} for a in added]})
                    break
        data["ways"] = list(kept.values())


def explain_pairs(case: Case, rule_base: RuleBase, pairs: Sequence[tuple[str, str]],
                  readings: dict[str, str] | None = None) -> list[Explanation]:
    """Explanations for several (ordinance id, action) pairs of one case, from one solve."""
    checked = [(o, a, _check_pair(rule_base, o, a)) for o, a in pairs]
    model = traced_model(case, rule_base, readings)
    needs = model_needs(model.program, rule_base.catalog, model.fired, model.facts)  # shared by the pairs
    check = _WayCheck(case, rule_base, check_readings(rule_base, dict(readings or {})))
    explanations = []
    for ordinance, action, constant in checked:
        conclusion = model.status(constant, action)
        status = str(STATUS.argument(conclusion, "status"))
        # A restriction leaves the status as it is, a tension pulls the other way: both beside it.
        conclusions = pair_conclusions(model.fired, conclusion)
        graph = derivation_graph(model.program, model.fired,
                                 conclusions if len(conclusions) > 1 else conclusion,
                                 rule_base.catalog, model.facts, needs=needs)
        _keep_verified_ways(graph, check, rule_base.catalog.descriptions)
        graph.graph["case"] = case.id
        # The reasons read the part bearing on the status: norms of other actions are no reasons.
        reasons = reasons_text(bearing_part(_without_tensions(graph)), rule_base.catalog, ordinance, action,
                               status)
        text = "\n".join([reasons, *_tension_sentences(graph, status)])
        explanations.append(Explanation(case.id, ordinance, action, status, graph, text))
    return explanations


def explain_graph(case: Case, rule_base: RuleBase, pairs: Sequence[tuple[str, str]],
                  readings: dict[str, str] | None = None) -> nx.DiGraph:
    """One derivation graph for several (ordinance id, action) pairs of one case, from one solve:
    each status with its restrictions and tensions, the facts they share drawn once, the
    exceptions not met with the ways the case could have met them (each re-decided).

    What ``ordinance decide --graph`` draws for a case's non-silent rows.
    """
    checked = [_check_pair(rule_base, o, a) for o, a in pairs]
    model = traced_model(case, rule_base, readings)
    statuses = [model.status(constant, action) for constant, (_, action) in zip(checked, pairs)]
    graph = derivation_graph(model.program, model.fired, pair_conclusions(model.fired, statuses),
                             rule_base.catalog, model.facts)
    _keep_verified_ways(graph, _WayCheck(case, rule_base, check_readings(rule_base, dict(readings or {}))),
                        rule_base.catalog.descriptions)
    graph.graph["case"] = case.id
    return graph


def _tensions(graph: nx.DiGraph) -> list[str]:
    return [node for node, data in graph.nodes(data=True)
            if data["kind"] == "atom" and data["role"] == "conclusion" and data["predicate"] == TENSION.name]


def _without_tensions(graph: nx.DiGraph) -> nx.DiGraph:
    """The part of the graph the status and its restrictions rest on: what the reasons say."""
    import networkx as nx  # here, not at the top: deciding a case must not pay for its import

    tensions = _tensions(graph)
    if not tensions:
        return graph
    kept: set[str] = set()
    for node, data in graph.nodes(data=True):
        if data["kind"] == "atom" and data["role"] == "conclusion" and node not in tensions:
            kept |= nx.ancestors(graph, node) | {node}
    return graph.subgraph(kept)


def _tension_sentences(graph: nx.DiGraph, status: str) -> list[str]:
    """'In tension: § 10(b) permits it while § 10(a)(2) forbids it -- because ...' for each tension:
    the sections from the ``tension/3`` atom and the prohibitions its rule instance rests on,
    the facts from the case facts that section's rules rest on."""
    import networkx as nx  # here, not at the top: deciding a case must not pay for its import

    sentences = []
    graph = bearing_part(graph)
    for node in _tensions(graph):
        data = graph.nodes[node]
        upstream = nx.ancestors(graph, node)
        for section in data["sections"]:
            own = {r for r in upstream if graph.nodes[r]["kind"] == "rule"
                   and (graph.nodes[r]["ordinance"], graph.nodes[r]["section"]) == (data["ordinance"], section)}
            facts = sorted({f for r in own for f in nx.ancestors(graph, r)
                            if graph.nodes[f]["kind"] == "atom" and graph.nodes[f]["role"] == "fact"
                            and graph.nodes[f]["origin"] == "case"})
            grounds = "; ".join(graph.nodes[f]["description"] or f for f in facts)
            quote = next((graph.nodes[r]["quote"] for r in sorted(own)), None)
            against = " and ".join(map(section_ref, data["against"]))
            verb = "forbids" if len(data["against"]) == 1 else "forbid"
            sentences.append(f"In tension: {section_ref(section)} permits it"
                             + (f": \"{quote}\"" if quote else "")
                             + (f" -- because {grounds}" if grounds else "")
                             + f". It stays {status}: {against} {verb} it, and a permission lifts no other "
                               "section's prohibition.")
    return sentences


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
