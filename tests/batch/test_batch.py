"""Batch decisions equal single-case `decide`; explained rows match the traced solve."""

from __future__ import annotations

import dataclasses
import gc
from typing import Iterator

import clingo
import pytest

from engine import RuleBase, decide, parse_case
from engine.batch import solver
from engine.batch.solver import (BatchOptions, CaseInput, decide_chunk, decide_partition, expand_derivation,
                                 forget_solvers)
from engine.batch.case_argument import case_dependent
from engine.core.facts import case_facts
from engine.batch.generate import generate_cases
from engine.explain.trace import firings, support, traced_program

N_CASES = 120


@pytest.fixture(scope="module")
def generated(rules: RuleBase) -> list[CaseInput]:
    return [CaseInput(f"gen:{n}", f"gen-{n}", data)
            for n, data in enumerate(generate_cases(rules.catalog, N_CASES, seed=11), start=1)]


def _decided(item: CaseInput, rules: RuleBase, **options) -> dict:
    return decide(parse_case(item.data, rules.catalog, item.where, item.default_id), rules,
                  **options).to_dict()


def _says_something(result: dict) -> bool:
    return result["status"] != "silent" or any(result.get(k) for k in ("sections", "exceptions", "tensions",
                                                                       "restrictions"))


@pytest.mark.parametrize("readings", [{}, {"usc_1373": "broad"}])
def test_batch_with_silent_rows_equals_decide(rules: RuleBase, generated: list[CaseInput],
                                              readings: dict) -> None:
    options = BatchOptions(readings=tuple(readings.items()), include_silent=True)
    rows = decide_chunk(generated, rules, options)
    assert [row["case"] for row in rows] == [f"case-{n}" for n in range(1, N_CASES + 1)]
    for item, row in zip(generated, rows, strict=True):
        assert row == _decided(item, rules, readings=readings), item.data


def test_default_rows_leave_out_only_pairs_that_say_nothing(rules: RuleBase,
                                                            generated: list[CaseInput]) -> None:
    options = BatchOptions(ordinances=("westchester", "usc-1373"))
    for item, row in zip(generated, decide_chunk(generated, rules, options), strict=True):
        expected = _decided(item, rules, ordinances=["westchester", "usc-1373"])
        assert row["results"] == [r for r in expected["results"] if _says_something(r)]


def test_a_case_limiting_its_own_ordinances_and_actions_is_respected(rules: RuleBase) -> None:
    data = {"id": "limited", "ordinances": ["beacon"], "actions": ["honor_detainer", "inquire_status"],
            "requests": [{"kind": "detainer"}]}
    row = decide_chunk([CaseInput("x", "x", data)], rules, BatchOptions(include_silent=True))[0]
    assert row == _decided(CaseInput("x", "x", data), rules)
    assert {(r["ordinance"], r["action"]) for r in row["results"]} == {
        ("beacon", "honor_detainer"), ("beacon", "inquire_status")}


def test_explained_rows_carry_the_traced_support(rules: RuleBase, generated: list[CaseInput]) -> None:
    traced = traced_program(rules)
    dependent = case_dependent([r for s in rules.statements if s.ast_type.name == "Rule"
                                for r in s.unpool()])
    plain = decide_chunk(generated[:25], rules)
    explained = decide_chunk(generated[:25], rules, BatchOptions(explain=True))
    for item, row, with_trace in zip(generated[:25], plain, explained, strict=True):
        assert [{k: v for k, v in r.items() if k != "derivation"} for r in with_trace["results"]] \
            == row["results"]
        case = parse_case(item.data, rules.catalog, item.where, item.default_id)
        control = traced.control(case_facts(case))
        control.ground([("base", [])])
        symbols: list[clingo.Symbol] = []
        control.solve(on_model=lambda model: symbols.extend(model.symbols(shown=True)))
        fired = [f for f in firings(symbols) if (f.head.name, len(f.head.arguments)) in dependent]
        for result in with_trace["results"]:
            if result["status"] == "silent":
                continue
            constant = rules.catalog.ordinances[result["ordinance"]].constant
            conclusion = clingo.Function("status", [clingo.Function(constant),
                                                    clingo.Function(result["action"]),
                                                    clingo.Function(result["status"])])
            expected = {(traced.rules[f.rule].where, str(f.head)) for f in support(fired, conclusion)}
            steps = [with_trace["firings"][n] for n in expand_derivation(with_trace, result)]
            assert expected and expected <= {(s["rule"], s["head"]) for s in steps}
            assert str(conclusion) in {with_trace["firings"][n]["head"] for n in result["derivation"]}


def test_bad_cases_become_error_rows_naming_case_and_field(rules: RuleBase) -> None:
    items = [CaseInput("in.jsonl:1", "in-1", {"id": "typo", "person": {"convictions": ["jaywalking"]}}),
             CaseInput("in.jsonl:2", "in-2", None, "in.jsonl:2:1: invalid JSON"),
             CaseInput("in.jsonl:3", "in-3", {"requests": [{"kind": "detainer"}]})]
    typo, broken, good = decide_chunk(items, rules)
    assert typo["case"] == "typo" and typo["error"]["field"] == "person.convictions[0]"
    assert "jaywalking" in typo["error"]["message"] and "Fix:" in typo["error"]["message"]
    assert broken == {"case": "in-2", "error": {"where": "in.jsonl:2", "field": "",
                                               "message": "in.jsonl:2:1: invalid JSON"}}
    assert good["case"] == "in-3" and good["results"]


def test_a_case_over_the_time_limit_gets_an_error_row(rules: RuleBase, tmp_path) -> None:
    from engine import load_rule_base

    hard = tmp_path / "rules"
    hard.mkdir()
    (hard / "pigeons.lp").write_text(
        "% A deliberately hard search (pigeonhole, 13 into 12) to hit the time limit; the\n"
        "% bounds of the choices say it (a rule file may not hold an integrity constraint).\n"
        "pigeon(1..13). hole(1..12).\n"
        "1 { sits(P, H) : hole(H) } 1 :- pigeon(P).\n"
        "{ sits(P, H) : pigeon(P) } 1 :- hole(H).\n")
    slow = load_rule_base([hard], use_env=False)
    row = decide_chunk([CaseInput("x", "slow", {})], slow, BatchOptions(time_limit=0.3))[0]
    assert row["case"] == "slow" and "time limit of 0.3 s" in row["error"]["message"]


def test_decide_partition_is_decide_chunk_for_plain_objects(rules: RuleBase,
                                                           generated: list[CaseInput]) -> None:
    objects = [item.data for item in generated[:10]]
    assert decide_partition(objects) == decide_chunk(generated[:10], rules)


@pytest.fixture
def fresh_solvers() -> Iterator[None]:
    """Solvers and decoding caches built within the test only, and dropped after it."""
    forget_solvers()
    yield
    forget_solvers()


def test_solvers_and_caches_go_with_their_rule_base(rules: RuleBase, fresh_solvers: None) -> None:
    copy = dataclasses.replace(rules)  # the same rules, another rule base object
    decide_chunk([CaseInput("x", "x", {"requests": [{"kind": "detainer"}]})], copy)
    assert len(solver._grounded.entries) == 1
    del copy
    gc.collect()
    assert not solver._grounded.entries
