"""How long exact counting takes, per action, at 1 and 2 requests per case: prints one line per measurement.

    python benchmarks/counting.py [--ordinance ID ...] [--repeat N]

For each ordinance: grounding and translating the question once (``prepare``), then each
action's count (Ganak, in its worker process) of the cases in which the ordinance
conflicts with 8 U.S.C. § 1373 (broad reading); then the same for the differences of
beacon and westchester per action.  The full space (about 7e18 cases at 1 request, 1.4e28
at 2) cannot be enumerated, so the comparison with clingo's enumeration (``--models 0``,
projected on the case facts) is made on a reduced space, one where each case can be listed
(police or no agency, custody and release or not, requests from ICE or CBP with any of two
warrants and of three kinds of information: 4,230 cases at 1 request, about 3 million at
2): the counter's time hardly depends on the number of cases, the enumeration's grows with
it.  Each figure is the best of N runs.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

import clingo
from clingo import ast

from engine import RuleBase, load_rule_base
from engine.analysis.cnf import Formula
from engine.analysis.counter import ModelCounter
from engine.analysis.counting import (Question, case_fact_predicates, conflict_question,
                                      count_where, difference_question, formula_of, ground_question,
                                      literal_of)
from engine.analysis.search import FEDERAL_CONFLICT, analysis_file
from engine.core.facts import reading_facts

REDUCED = """
:- agency(A), A != police.
:- person(P), P != in_custody, P != release_eligible.
:- role(_).  :- conviction(_).  :- determination(_).
:- request_from(Q, F), F != ice, F != cbp.
:- request_has(Q, H), H != judicial_warrant, H != administrative_warrant.
:- request_info(Q, I), I != immigration_status, I != release_date, I != home_address.
:- request_purpose(Q, _).  :- request_topic(Q, _).  :- request_outcome(Q, _).  :- request_determination(Q, _).
"""


def best_of(repeat: int, job: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - start)
    return min(times), result


def goals(question: Question) -> tuple[Formula, dict[str, int]]:
    """The question grounded and translated, and the literal of each action's goal."""
    ground = ground_question(question)
    formula = Formula()
    literals = formula_of(formula, ground)
    if question.encoding == "conflict_1373.lp":
        return formula, {str(FEDERAL_CONFLICT.argument(atom, "action")): literal_of(ground, literals, atom)
                         for atom in ground.of(FEDERAL_CONFLICT.name, FEDERAL_CONFLICT.arity)}
    by_action: dict[str, list[int]] = {}
    for atom in ground.of("differs", 3):
        by_action.setdefault(str(atom.arguments[0]), []).append(literal_of(ground, literals, atom))
    return formula, {action: formula.disjunction(found) for action, found in by_action.items()}


def enumerate_count(question: Question, goal: str) -> int:
    """Clingo's count of the cases with ``goal``: every answer set enumerated, projected on the case facts."""
    arguments = ["--warn=none", "--models=0", "--project"]
    for name, value in question.constants.items():
        arguments += ["-c", f"{name}={value}"]
    control = question.rule_base.control(reading_facts(question.readings), arguments)
    with ast.ProgramBuilder(control) as builder:
        for name in ("case_space.lp", question.encoding):
            ast.parse_files([str(analysis_file(name))], builder.add)
        ast.parse_string("".join(f"#project {n}/{a}." for n, a in case_fact_predicates()) + f":- not {goal}.",
                         builder.add)
    control.ground([("base", [])])
    models = [0]
    control.solve(on_model=lambda _: models.__setitem__(0, models[0] + 1))
    return models[0]


def reduced(rules: RuleBase) -> RuleBase:
    statements: list[ast.AST] = []
    ast.parse_string(REDUCED, statements.append)
    return rules.with_statements([*rules.statements, *statements[1:]])


def time_counts(label: str, make: Callable[[int], Question], repeat: int) -> None:
    """Per action: the time of its count at 1 and 2 requests (after one grounding per bound)."""
    prepared = {}
    for requests in (1, 2):
        seconds, prepared[requests] = best_of(repeat, lambda: goals(make(requests)))
        print(f"{label} prepare (ground, translate), {requests} request(s)".ljust(74) + f"{seconds:8.3f} s")
    with ModelCounter() as counter:
        for action in sorted(prepared[1][1]):
            times = []
            for requests in (1, 2):
                formula, literals = prepared[requests]
                seconds, _ = best_of(repeat, lambda: count_where(counter, formula, (literals[action],), 120))
                times.append(seconds)
            print(f"{label} {action}".ljust(58) + f"1: {times[0]:7.3f} s   2: {times[1]:7.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ordinance", action="append", help="local ordinances to time (default: all)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = load_rule_base(use_env=False)
    for ordinance in args.ordinance or rules.catalog.local_ids():
        time_counts(f"conflicts {ordinance}", lambda k: conflict_question(
            rules, ordinance, "usc-1373", reading="broad", drops=(), requests=k, switches={}), args.repeat)
    time_counts("differs beacon westchester", lambda k: difference_question(
        rules, "beacon", "westchester", reading="narrow", drops=(), requests=k, switches={}), args.repeat)
    small = reduced(rules)
    for requests in (1, 2):
        question = conflict_question(small, "beacon", "usc-1373", reading="broad", drops=(), requests=requests,
                                     switches={})
        formula, literals = goals(question)
        with ModelCounter() as counter:
            for action, literal in sorted(literals.items()):
                counted, tally = best_of(args.repeat, lambda: count_where(counter, formula, (literal,), 120))
                enumerated, number = best_of(args.repeat, lambda: enumerate_count(
                    question, str(clingo.Function(FEDERAL_CONFLICT.name, [clingo.Function(action)]))))
                assert tally.cases == number, (action, tally, number)
                print(f"reduced space, {requests} request(s): beacon {action} ({number:,} cases)".ljust(74)
                      + f"count {counted:7.3f} s   clingo enumeration {enumerated:7.3f} s"
                      f"   ({enumerated / counted:5.1f}x)")


if __name__ == "__main__":
    main()
