"""One numbering of each case's requests (asp/analysis/symmetry.lp) changes no answer.

The analyses are run with the order on requests and without it (``break_symmetry``):
every finding, witness (the very same case, hence the same size) and proof must be
the same.  The witness is the same case because minimal.lp's tie-break, among the
numberings of a case, prefers the one symmetry.lp keeps; that is tested directly on
cases of several requests, since the seed ordinances' witnesses have at most one.
A rule that numbers requests turns the order off, and it must be off for it.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import clingo
import pytest

from engine import load_rule_base
from engine.analysis.check import check, check_all
from engine.analysis.comparison import ALL_PAIRS, compare, comparison_pairs
from engine.analysis.restriction import restrict
from engine.analysis.search import FINDING, CaseSearch, analysis_file
from engine.analysis.symmetry import requests_interchangeable, telling_requests_apart
from engine.core.vocabulary import REQUESTS, fact_fields
from tests.conftest import ROOT

#: A test ordinance whose findings need two and three requests set against each other,
#: written without numbers, so requests are interchangeable in it.
SEVERAL_REQUESTS = '''\
ordinance(several, "several", "Findings that need several requests (test)").
source(several, "tests/analysis/test_symmetry.py").
provision(several, "1", "a detainer is honored when a notification request with a judicial warrant came too").
provision(several, "2", "no detainer is honored when a transfer request came from CBP").
provision(several, "3", "a person is held on a detainer with a judicial warrant").
provision(several, "4", "no one is held on a detainer while another detainer has a court order").
requires(several, "1", honor_detainer, Q) :-
    request(Q, detainer), request(P, notification), request_has(P, judicial_warrant).
prohibits(several, "2", honor_detainer, Q) :- request(Q, detainer), request(P, transfer), request_from(P, cbp).
requires(several, "3", delay_release, Q) :- request(Q, detainer), request_has(Q, judicial_warrant).
prohibits(several, "4", delay_release, Q) :-
    request(Q, detainer), request(P, detainer), P != Q, request_has(P, court_order).
'''
#: A rule about a later request: it tells requests apart.
ORDERED = '''\
ordinance(ordered, "ordered", "A rule about a later request (test)").
source(ordered, "tests/analysis/test_symmetry.py").
provision(ordered, "1", "a person is held on a detainer").
provision(ordered, "2", "no one is held on a detainer that a transfer request follows").
requires(ordered, "1", delay_release, Q) :- request(Q, detainer).
prohibits(ordered, "2", delay_release, Q) :- request(Q, detainer), request(P, transfer), P > Q.
'''


def _rules_with(tmp_path: Path, text: str, name: str):
    directory = tmp_path / name
    directory.mkdir()
    (directory / f"{name}.lp").write_text(text, encoding="utf-8")
    return load_rule_base([directory], use_env=False)


def test_the_builtin_rules_treat_requests_alike(rules) -> None:
    """What lets `requests_interchangeable` skip the built-in rules without reading them."""
    assert telling_requests_apart(rules.statements) == []
    assert requests_interchangeable(rules)


def test_one_request_has_one_numbering(rules) -> None:
    """With --requests 1 the order has nothing to compare: no instance of it is grounded, so
    every answer is the same without it (the tests below run 2 and 3 requests)."""
    search = CaseSearch(restrict(rules, {"beacon", "usc_1373"}), ("case_space.lp", "minimal.lp", "conflict_1373.lp"),
                        constants={"local": "beacon", "federal_law": "usc_1373", "requests": 1},
                        interchangeable_requests=True)
    assert not list(search.control.symbolic_atoms.by_signature("requests_agree_below", 2))
    assert list(search.control.symbolic_atoms.by_signature("request_fact_rank", 2))  # the file was loaded


@pytest.mark.parametrize("requests", [2, 3])
def test_check_all_is_the_same_with_one_numbering(rules, requests: int) -> None:
    """Every check against § 1373 (each seed ordinance under each reading, internal findings,
    dead rules and gaps included) and every savings trial: `check --all`, hence also each
    `check ORD --against usc-1373`, which is one of its checks."""
    one = check_all(rules, requests=requests)
    every = check_all(rules, requests=requests, break_symmetry=False)
    assert [c.to_dict() for c in one[0]] == [c.to_dict() for c in every[0]]
    assert [t.to_dict() for t in one[1]] == [t.to_dict() for t in every[1]]
    assert all(c.conflict_search.complete and c.internal_search.complete for c in one[0])


@pytest.mark.parametrize("requests", [2, 3])
def test_every_comparison_is_the_same_with_one_numbering(rules, requests: int) -> None:
    for first, second in comparison_pairs(rules, [ALL_PAIRS]):
        one = compare(rules, first, second, requests=requests)
        every = compare(rules, first, second, requests=requests, break_symmetry=False)
        assert one.to_dict() == every.to_dict(), (first, second)
        assert one.search.complete and one.differences


def test_witnesses_of_several_requests_are_the_same_case(tmp_path) -> None:
    several = _rules_with(tmp_path, SEVERAL_REQUESTS, "several")
    assert requests_interchangeable(several)
    one = check(several, "several", requests=3)
    every = check(several, "several", requests=3, break_symmetry=False)
    assert one.to_dict() == every.to_dict()
    sizes = {f.action: len(f.witness.to_dict().get("requests", [])) for f in one.internal
             if f.kind == "conflict"}
    assert sizes == {"honor_detainer": 3, "delay_release": 2}
    held = next(f for f in one.internal if f.kind == "conflict" and f.action == "delay_release")
    assert held.witness.minimal and held.witness.facts == 4


def test_a_rule_that_orders_requests_is_searched_over_every_numbering(tmp_path) -> None:
    """The conflict needs a detainer numbered before a transfer request; the order on
    requests puts a transfer first (request(detainer) comes first in the order of terms,
    and the request without it comes first), so searched with it the conflict would be lost."""
    ordered = _rules_with(tmp_path, ORDERED, "ordered")
    assert not requests_interchangeable(ordered)
    found = check(ordered, "ordered", requests=2)
    [conflict] = [f for f in found.internal if f.kind == "conflict"]
    assert [r["kind"] for r in conflict.witness.to_dict()["requests"]] == ["detainer", "transfer"]
    forced = CaseSearch(restrict(ordered, {"ordered"}), ("case_space.lp", "minimal.lp", "consistency.lp"),
                        constants={"local": "ordered", "requests": 3}, interchangeable_requests=True)
    goal = clingo.Function(FINDING.name, [clingo.Function("conflict"), clingo.Function("delay_release")])
    assert forced.minimal(goal, 30).impossible


@pytest.mark.parametrize("text", [
    "p :- request(1, detainer).",
    "p :- request(Q, _), request(P, _), Q < P.",
    "p(Q + 1) :- request(Q, _).",
    "p(M) :- M = #max { Q : request(Q, _) }.",
    "p(Q) :- request(Q, _), #count { X : request(X, _) } = Q.",
    "p(Q) :- request(Q, _), @f(Q) = x.",
    ":~ request(Q, _). [Q]",
    "p(1..2).",
])
def test_what_tells_requests_apart(text: str) -> None:
    statements: list = []
    clingo.ast.parse_string(text, statements.append)
    assert telling_requests_apart(statements[1:])


@pytest.mark.parametrize("text", [
    "p :- request(Q, _), request(P, _), Q != P.",
    "p(Q) :- request(Q, detainer), not request_has(Q, judicial_warrant).",
    "{ p(Q) : request(Q, _) }.",
])
def test_what_does_not(text: str) -> None:
    statements: list = []
    clingo.ast.parse_string(text, statements.append)
    assert not telling_requests_apart(statements[1:])


def _request_sets(rules, count: int, seed: int) -> list[frozenset[tuple[str, str]]]:
    """``count`` random requests, each as its facts without the number: (predicate, value)."""
    rng = random.Random(seed)
    requests = []
    for _ in range(count):
        facts = set()
        for item in (item for owner, item in fact_fields() if owner is REQUESTS):
            values = rules.catalog.domains[item.domain]
            if item.required or item.default:
                facts.add((item.predicate, rng.choice(values)))
            elif rng.random() < 0.5:
                facts.add((item.predicate, rng.choice(values)))
        requests.append(frozenset(facts))
    return requests


def _numbered(requests) -> set[clingo.Symbol]:
    return {clingo.Function(p, [clingo.Number(q), clingo.Function(v)])
            for q, facts in enumerate(requests, 1) for p, v in facts}


def _preferred(a: set[clingo.Symbol], b: set[clingo.Symbol]) -> bool:
    """minimal.lp's tie-break between two cases of equal size: at the first fact in clingo's
    order of terms that one states and the other does not, the one that does not wins."""
    return min(a ^ b) in b


def test_the_tie_break_prefers_the_numbering_the_order_keeps(rules) -> None:
    """For cases of two and three requests, some of them alike in kind, the numbering that
    minimal.lp's tie-break prefers among all is the one symmetry.lp keeps, and it keeps no
    other: the crux of "the minimal witness is the very same case"."""
    control = rules.control([], ["--warn=none", "-c", "requests=3"])
    for name in ("case_space.lp", "symmetry.lp"):
        control.load(str(analysis_file(name)))
    control.ground([("base", [])])
    possible = [a.symbol.arguments[0] for a in control.symbolic_atoms.by_signature("possible_fact", 1)]

    def kept(facts: set[clingo.Symbol]) -> bool:
        return control.solve(assumptions=[(atom, atom in facts) for atom in possible]).satisfiable

    checked = 0
    for seed in range(40):
        requests = _request_sets(rules, 2 + seed % 2, seed)
        if seed % 4 == 0:  # two requests of one kind: the order must look past the kind
            requests[1] = frozenset({f for f in requests[1] if f[0] != "request"}
                                    | {f for f in requests[0] if f[0] == "request"})
        numberings = {frozenset(_numbered(order)) for order in itertools.permutations(requests)}
        best = next(n for n in numberings if all(n == m or _preferred(set(n), set(m)) for m in numberings))
        for numbering in numberings:
            assert kept(set(numbering)) == (numbering == best), sorted(map(str, numbering))
        checked += len(numberings) > 1
    assert checked > 30


SOLVERS = [pytest.param([sys.executable, "-m", "clingo"], id="python-m-clingo")]
if shutil.which("clingo"):
    SOLVERS.append(pytest.param([shutil.which("clingo")], id="clingo-binary"))


@pytest.mark.parametrize("command", SOLVERS)
def test_stock_clingo_searches_one_numbering(command: list[str]) -> None:
    """The command in asp/analysis/symmetry.lp: a minimal witness over cases of 12 requests."""
    done = subprocess.run([*command, "asp/all.lp", "asp/analysis/case_space.lp", "asp/analysis/minimal.lp",
                           "asp/analysis/reading.lp", "asp/analysis/symmetry.lp",
                           "asp/analysis/consistency.lp", "-c", "requests=12", "--opt-strategy=usc",
                           "-c", "local=nyc", "-c", "require=1", "-c", "kind=tension", "--quiet=1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "OPTIMUM FOUND" in done.stdout, done.stdout + done.stderr
    assert "finding(tension," in done.stdout


def _search_statuses(data) -> list[str]:
    """Every search status in a JSON document of check or compare."""
    if isinstance(data, dict):
        found = [data["status"]] if set(data) >= {"status", "open"} else []
        return found + [s for value in data.values() for s in _search_statuses(value)]
    if isinstance(data, list):
        return [s for value in data for s in _search_statuses(value)]
    return []


@pytest.mark.parametrize("argv", [["check", "--all"], ["compare", "beacon", "westchester"]])
def test_twelve_requests_finish(cli, argv: list[str]) -> None:
    """Every search of `check --all` and of a comparison over cases of up to 12 requests ends
    within its time limit (how long it takes is for benchmarks/analysis.py)."""
    status, out, err = cli(*argv, "--requests", "12", "--format", "json")
    assert status == 0, err
    statuses = _search_statuses(json.loads(out))
    assert statuses and set(statuses) == {"complete"}
