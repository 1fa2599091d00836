"""The rule base with a case argument (the benchmark's one-program floor) decides like `decide`."""

from __future__ import annotations

import clingo
from clingo import ast

from engine import RuleBase, decide, parse_case
from engine.batch.case_argument import batch_facts, with_case_argument
from engine.batch.generate import generate_cases


def test_one_program_for_many_cases_gives_each_case_its_own_statuses(rules: RuleBase) -> None:
    cases = [parse_case(c, rules.catalog, "gen", "gen") for c in generate_cases(rules.catalog, 15, seed=2)]
    control = clingo.Control(["--warn=none"])
    with ast.ProgramBuilder(control) as builder:
        for statement in with_case_argument(rules.statements):
            builder.add(statement)
    with control.backend() as backend:
        for fact in batch_facts(enumerate(cases, start=1), {"usc_1373": "broad"}):
            backend.add_rule([backend.add_atom(fact)])
    control.ground([("base", [])])
    shown: list[clingo.Symbol] = []
    control.solve(on_model=lambda model: shown.extend(model.symbols(shown=True)))
    found: dict[int, set[tuple[str, str, str]]] = {n: set() for n in range(1, len(cases) + 1)}
    for symbol in shown:
        if symbol.name == "status":
            number, ordinance, action, status = symbol.arguments
            found[number.number].add((str(ordinance), action.name, status.name))
    for number, case in enumerate(cases, start=1):
        decision = decide(case, rules, ordinances=list(rules.catalog.ordinances),
                          readings={"usc_1373": "broad"})
        expected = {(rules.catalog.ordinances[r.ordinance].constant, r.action, r.status)
                    for r in decision.results if r.status != "silent"}
        assert found[number] == expected
