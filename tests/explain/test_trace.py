"""The instrumented rule base records exactly the rule instances that fired."""

from __future__ import annotations

import clingo

from engine.core.cases import load_case
from engine.core.facts import case_facts
from engine.explain.trace import ANY, firings, support, traced_program
from tests.conftest import ROOT


def _firings(rules, example: str):
    case = load_case(ROOT / "examples" / example, rules.catalog)
    control = traced_program(rules).control(case_facts(case))
    control.ground([("base", [])])
    with control.solve(yield_=True) as handle:
        model = next(iter(handle))
        return firings(model.symbols(shown=True))


def test_prohibition_instance_is_recorded_with_its_rule_location(rules):
    program = traced_program(rules)
    fired = _firings(rules, "ana-detainer.yaml")
    section = clingo.String("10(b)")
    prohibitions = [f for f in fired if f.head.name == "prohibits"
                    and f.head.arguments[1] == section
                    and f.head.arguments[2] == clingo.Function("honor_detainer")]
    assert prohibitions, "10(b) prohibition of honoring the detainer did not fire"
    assert program.rules[prohibitions[0].rule].file == "asp/ordinances/westchester.lp"


def test_negated_conditions_are_recorded_with_anonymous_parts_marked(rules):
    fired = _firings(rules, "ana-detainer.yaml")
    silent = [f for f in fired if f.head.name == "status"
              and f.head.arguments[2] == clingo.Function("silent")]
    assert silent
    negated = silent[0].negative
    assert {atom.name for atom in negated} == {"forbidden", "required", "permits"}
    assert any(ANY in atom.arguments for atom in negated)


def test_facts_never_appear_as_fired_rules(rules):
    fired = _firings(rules, "ana-detainer.yaml")
    assert not [f for f in fired if f.head.name in {"agency", "request"}]


def test_support_reaches_the_case_facts_and_nothing_unrelated(rules):
    fired = _firings(rules, "ana-detainer.yaml")
    status = clingo.Function("status", [clingo.Function("westchester"), clingo.Function("honor_detainer"),
                                        clingo.Function("forbidden")])
    reasons = support(fired, status)
    heads = {firing.head for firing in reasons}
    sections = {h.arguments[1].string for h in heads if h.name == "prohibits"}
    assert "10(b)" in sections
    body = {atom for firing in reasons for atom in firing.positive}
    assert clingo.Function("request", [clingo.Number(1), clingo.Function("detainer")]) in body
    assert not [h for h in heads if h.arguments and h.arguments[0] == clingo.Function("beacon")]
