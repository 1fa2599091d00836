"""The compiled evaluation gives the multi-shot solve's rows, and falls back to it where it must
(issue 15, item 1).

Both paths are asked for the same cases (`BatchOptions(evaluation=...)`): every example, cases
from `ordinance generate` with 0 to 3 requests under every switch reading, with and without
silent pairs and explanations, and cases drawn by hypothesis; their rows must be equal and encode
to the same bytes.  Each comparison first checks that the compiled path really ran, so it cannot
compare the multi-shot path with itself.  The compiler alone is checked against clingo on small
random programs (positive loops, negation, integrity constraints), and rule files it must not
compile (an aggregate, negation through a loop, a choice) are decided by clingo, rightly.
"""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import clingo
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine import RuleBase, decide, load_rule_base, parse_case
from engine.batch.compiled import GroundProgram, NotCompilable, compile_program
from engine.batch.generate import generate_cases
from engine.batch.io import encode_rows, read_inputs
from engine.batch.solver import (COMPACT, COMPILED, FIRINGS, MULTI_SHOT, BatchOptions, CaseInput, decide_chunk,
                                 evaluation_path)
from engine.core.cases import read_case_data
from engine.core.errors import CaseError
from tests.conftest import EXAMPLES
from tests.properties.strategies import cases as case_objects

SEEDS = (1, 2, 3)
N_GENERATED = 100


def _readings(rules: RuleBase) -> list[tuple[tuple[str, str], ...]]:
    """The default readings, then each switch's other values, one switch at a time."""
    return [()] + [((name, value),) for name, (default, values) in rules.catalog.switches.items()
                   for value in values if value != default]


def _request_counts(items: list[CaseInput], rules: RuleBase) -> set[int]:
    """The numbers of requests of the valid cases among the items."""
    counts = set()
    for item in items:
        try:
            counts.add(parse_case(item.data, rules.catalog, item.where, item.default_id).request_count)
        except CaseError:
            continue
    return counts


def _same_rows(items: list[CaseInput], rules: RuleBase, **options: object) -> list[dict]:
    """The rows of both paths, checked equal (as objects and as JSON Lines and CSV bytes)."""
    chosen = BatchOptions(**options)  # type: ignore[arg-type]
    for count in _request_counts(items, rules):
        assert evaluation_path(rules, count, chosen).name == COMPILED, (count, options)
    compiled = decide_chunk(items, rules, chosen)
    solved = decide_chunk(items, rules, BatchOptions(evaluation=MULTI_SHOT, **options))  # type: ignore[arg-type]
    assert len(compiled) == len(items) and any(row.get("results") for row in compiled)
    assert compiled == solved
    for fmt in ("jsonl", "csv"):
        assert encode_rows(compiled, fmt, chosen.explain) == encode_rows(solved, fmt, chosen.explain)
    return compiled


def _examples() -> list[CaseInput]:
    items = []
    for path in sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.json")]):
        data = read_case_data(path)
        for number, case in enumerate(data if isinstance(data, list) else [data], start=1):
            items.append(CaseInput(f"{path}[{number}]", f"{path.stem}-{number}", case))
    for path in sorted((EXAMPLES / "batch").iterdir()):
        items += read_inputs(path)
    return items


@pytest.fixture(scope="module")
def examples() -> list[CaseInput]:
    items = _examples()
    assert len(items) > 20 and any(item.error for item in items)  # error rows are compared too
    return items


@pytest.fixture(scope="module")
def generated(rules: RuleBase) -> list[CaseInput]:
    items = [CaseInput(f"gen{seed}:{n}", f"gen{seed}-{n}", data) for seed in SEEDS
             for n, data in enumerate(generate_cases(rules.catalog, N_GENERATED, seed=seed), start=1)]
    assert _request_counts(items, rules) == {0, 1, 2, 3}
    return items


@pytest.mark.parametrize("readings", _readings(load_rule_base(use_env=False)), ids=str)
def test_examples_and_generated_cases_under_every_reading(rules: RuleBase, examples: list[CaseInput],
                                                         generated: list[CaseInput], readings: tuple) -> None:
    for include_silent in (False, True):
        _same_rows(examples, rules, readings=readings, include_silent=include_silent)
        rows = _same_rows(generated, rules, readings=readings, include_silent=include_silent)
    for item, row in list(zip(generated, rows, strict=True))[::23]:  # and equal `decide`'s, case by case
        case = parse_case(item.data, rules.catalog, item.where, item.default_id)
        assert row == decide(case, rules, readings=dict(readings)).to_dict()


@pytest.mark.parametrize("explain_format", [FIRINGS, COMPACT])
@pytest.mark.parametrize("readings", [(), (("usc_1373", "broad"),)])
def test_explained_rows(rules: RuleBase, examples: list[CaseInput], generated: list[CaseInput],
                        readings: tuple, explain_format: str) -> None:
    rows = _same_rows(examples + generated[::10], rules, readings=readings, explain=True,
                      explain_format=explain_format)
    kept = "firings" if explain_format == FIRINGS else "trace"  # the full form, or the ids (compact trace)
    assert all(row[kept] for row in rows if row.get("results"))


def test_cases_limiting_their_ordinances_and_actions(rules: RuleBase, generated: list[CaseInput]) -> None:
    limited = [CaseInput(i.where, i.default_id, {**i.data, "ordinances": ["beacon", "usc-1373"][: 1 + n % 2],
                                                 "actions": ["honor_detainer", "share_status_info"][: 1 + n % 2]})
               for n, i in enumerate(generated[:60])]
    _same_rows(limited + generated[60:90], rules)
    _same_rows(generated[:90], rules, ordinances=("westchester", "usc-1373"), include_silent=True)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(case_objects(), min_size=1, max_size=12))
def test_drawn_cases(cases: list[dict]) -> None:
    rules = load_rule_base(use_env=False)
    _same_rows([CaseInput(f"drawn:{n}", f"drawn-{n}", data) for n, data in enumerate(cases)], rules,
               include_silent=True)


# The compiler alone, on small programs: inputs in(0..3) open, every combination of them a case.

_INPUTS = 4


@st.composite
def _programs(draw: st.DrawFn) -> str:
    """A normal stratified program over p(0..5), in strata {p(0), p(1)}, {p(2), p(3)}, {p(4), p(5)}:
    positive bodies name inputs and atoms of the same or a lower stratum (loops included),
    negated ones inputs and atoms of lower strata; maybe a constraint; everything shown."""
    rules = []
    for head in range(6):
        same_or_lower = [f"p({m})" for m in range(6) if m // 2 <= head // 2]
        lower = [f"p({m})" for m in range(6) if m // 2 < head // 2]
        inputs = [f"in({k})" for k in range(_INPUTS)]
        for _ in range(draw(st.integers(0, 3))):
            positive = draw(st.lists(st.sampled_from(inputs + same_or_lower), max_size=3))
            negative = draw(st.lists(st.sampled_from(inputs + lower), max_size=2))
            body = ", ".join(positive + [f"not {atom}" for atom in negative])
            rules.append(f"p({head}) :- {body}." if body else f"p({head}).")
    if draw(st.booleans()):
        rules.append(f":- p({draw(st.integers(0, 5))}), in({draw(st.integers(0, _INPUTS - 1))}).")
    shown = "#show p/1. #show q(X) : p(X), not in(0)."
    return "\n".join([f"{{ in(0..{_INPUTS - 1}) }}.", *rules, shown])


def _grounded(program: str) -> tuple[clingo.Control, GroundProgram, list[int]]:
    control = clingo.Control(["--warn=none"])
    observed = GroundProgram()
    control.register_observer(observed)
    control.add("base", [], program)
    control.ground([("base", [])])
    inputs = [next(a.literal for a in control.symbolic_atoms
                   if a.symbol == clingo.Function("in", [clingo.Number(k)])) for k in range(_INPUTS)]
    return control, observed, inputs


#: Loops one pass in any order does not settle: whichever atom comes first, it needs the others' new value.
LOOPS = ("{ in(0..3) }. p(0) :- p(1). p(1) :- p(0). p(1) :- in(0). p(0) :- in(1). p(2) :- p(0), not in(2).\n"
         "p(3) :- p(4), in(2). p(4) :- p(5). p(5) :- p(3). p(5) :- in(3). p(4) :- p(1), not p(2). #show p/1.")


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(_programs())
@example(LOOPS)
def test_the_compiled_program_agrees_with_clingo_on_every_case(program: str) -> None:
    control, observed, inputs = _grounded(program)
    evaluator = compile_program(observed, inputs, str)
    combinations = list(product([False, True], repeat=_INPUTS))
    masks = [sum(1 << case for case, chosen in enumerate(combinations) if chosen[k]) for k in range(_INPUTS)]
    shown, unanswered = evaluator.evaluate(masks, len(combinations))
    for case, chosen in enumerate(combinations):
        models: list[set[clingo.Symbol]] = []
        control.solve(assumptions=[(literal if on else -literal) for literal, on in zip(inputs, chosen)],
                      on_model=lambda model: models.append(set(model.symbols(shown=True))))
        assert bool(unanswered >> case & 1) == (not models), program
        if models:
            assert len(models) == 1
            assert {s for s, mask in zip(evaluator.shown, shown) if mask >> case & 1} == models[0], program


@pytest.mark.parametrize("program, reason", [
    ("{ in(0..3) }. a :- in(0), not b. b :- in(1), not a. #show a/0.", "depends on itself through default negation"),
    ("{ in(0..3) }. c :- not c, in(2). #show in/1.", "depends on itself through default negation"),
    ("{ in(0..3) }. a :- 2 #count { X : in(X) }. #show a/0.", "an aggregate"),
    ("{ in(0..3) }. a ; b :- in(0). #show a/0.", "a disjunction"),
    ("{ in(0..3) }. { a } :- in(0). #show a/0.", "a choice"),
    ("{ in(0..3) }. in(1) :- in(0). #show a/0.", "derives the case fact in(1)"),
])
def test_programs_the_compiler_refuses_say_why(program: str, reason: str) -> None:
    control, observed, inputs = _grounded(program)
    names = {atom.literal: str(atom.symbol) for atom in control.symbolic_atoms}
    with pytest.raises(NotCompilable, match=re.escape(reason)):
        compile_program(observed, inputs, names.__getitem__)


# Rule files the compiled evaluation cannot compute: clingo decides them, rightly.

AGGREGATE = """\
ordinance(agg, "agg", "Counts requests (tests only)").
source(agg, "tests").

% "1. Officers shall not honor a detainer when a case holds two requests or more."
provision(agg, "1", "Officers shall not honor a detainer when a case holds two requests or more").
prohibits(agg, "1", honor_detainer, Q) :- request(Q, detainer), #count { R : request(R, _) } >= 2.
"""
UNSTRATIFIED = """\
ordinance(uns, "uns", "Helpers depending on each other through negation (tests only)").
source(uns, "tests").

uns_police :- agency(police), not uns_corrections.
uns_corrections :- agency(corrections), not uns_police.

% "1. Police shall not honor detainers; corrections shall not answer requests for information."
provision(uns, "1", "Police shall not honor detainers; corrections shall not answer requests for information").
prohibits(uns, "1", honor_detainer, Q) :- uns_police, request(Q, detainer).
prohibits(uns, "1", share_status_info, Q) :- uns_corrections, request(Q, information).
"""


@pytest.mark.parametrize("text, ordinance, reason", [
    (AGGREGATE, "agg", "an aggregate or a cardinality bound"),
    (UNSTRATIFIED, "uns", "uns_corrections depends on itself through default negation"),
])
def test_rules_that_cannot_be_compiled_are_solved_case_by_case(tmp_path: Path, generated: list[CaseInput],
                                                               text: str, ordinance: str, reason: str) -> None:
    (tmp_path / f"{ordinance}.lp").write_text(text, encoding="utf-8")
    rules = load_rule_base([tmp_path], use_env=False)
    path = evaluation_path(rules, 2)
    assert path.name == MULTI_SHOT and reason in path.reason and reason in str(path)
    items = [i for i in generated if _request_counts([i], rules) == {2}][:40]
    rows = decide_chunk(items, rules, BatchOptions(ordinances=(ordinance, "beacon"), include_silent=True))
    assert any(r["status"] == "forbidden" for row in rows for r in row["results"] if r["ordinance"] == ordinance)
    for item, row in zip(items, rows, strict=True):
        case = parse_case(item.data, rules.catalog, item.where, item.default_id)
        assert row == decide(case, rules, ordinances=[ordinance, "beacon"]).to_dict()


def test_a_time_limit_still_bounds_the_multi_shot_path(tmp_path: Path) -> None:
    (tmp_path / "pigeons.lp").write_text(
        "% A deliberately hard search (pigeonhole, 13 into 12) to hit the time limit; the\n"
        "% bounds of the choices say it (a rule file may not hold an integrity constraint).\n"
        "pigeon(1..13). hole(1..12).\n"
        "1 { sits(P, H) : hole(H) } 1 :- pigeon(P).\n"
        "{ sits(P, H) : pigeon(P) } 1 :- hole(H).\n", encoding="utf-8")
    slow = load_rule_base([tmp_path], use_env=False)
    assert evaluation_path(slow, 0).name == MULTI_SHOT
    row = decide_chunk([CaseInput("x", "slow", {})], slow, BatchOptions(time_limit=0.3))[0]
    assert row["case"] == "slow" and "time limit of 0.3 s" in row["error"]["message"]


def test_the_path_asked_for_is_named(rules: RuleBase) -> None:
    assert str(evaluation_path(rules, 1)) == COMPILED
    forced = evaluation_path(rules, 1, BatchOptions(evaluation=MULTI_SHOT))
    assert forced.name == MULTI_SHOT and "asked for" in forced.reason


def test_verbose_says_which_evaluation_ran_and_why(tmp_path: Path, cli) -> None:
    """`batch --verbose`: compiled for the built-in rules; solved case by case, with the reason,
    where a user's rule grounds to an aggregate."""
    source = tmp_path / "cases.jsonl"
    source.write_text('{"id": "a"}\n')
    status, _, err = cli("batch", str(source), "--out", str(tmp_path / "rows.jsonl"), "--quiet", "--verbose")
    assert status == 0 and "cases with 1 request: compiled" in err and "multi-shot" not in err
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "a.lp").write_text('ordinance(aggtown, "aggtown", "Agg town").\n'
                                    'provision(aggtown, "1", "no two requests").\n'
                                    'prohibits(aggtown, "1", honor_detainer, case) :- 2 #count { Q : request(Q, K) }.\n')
    status, _, err = cli("batch", str(source), "--out", str(tmp_path / "rows2.jsonl"), "--quiet", "--verbose",
                         "--rules", str(rules_dir))
    assert status == 0 and "cases with 2 requests: multi-shot: the rules ground to an aggregate" in err
