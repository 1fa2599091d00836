"""Exact counts (--count) and the ranking of sections (--rank), checked against two other ways of
counting: deciding every case of a reduced space one by one with `engine.decide`, and clingo's
own projected enumeration of the same space.

A *reduced* space is the bounded case space with constraints added to the rules (only some
values of some fields), small enough to list: the counter counts it through the same code
path as the full space (the constraints are rules like any other)."""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter as Tally
from pathlib import Path

import clingo
import pytest
from clingo import ast

from engine import RuleBase, decide
from engine.analysis.counting import case_fact_predicates, count_conflicts, count_differences
from engine.analysis.ranking import rank_conflicts, rank_differences
from engine.analysis.restriction import parse_drop, restrict
from engine.analysis.search import analysis_file
from engine.core.cases import Case
from engine.core.facts import reading_facts
from engine.core.results import Status
from tests.conftest import ROOT, Cli

pytest.importorskip("pyganak")

OWN = ROOT / "docs" / "own-ordinance"

#: A reduced space small enough to decide case by case: no agency, maybe in custody, at most one
#: request of any kind, from ICE or CBP, with or without a judicial warrant, asking for any set of
#: {immigration_status, release_date}.  2 x (1 + kinds x 2 x 2 x 4) cases.
SMALL = """
:- agency(_).
:- person(P), P != in_custody.
:- role(_).  :- conviction(_).  :- determination(_).
:- request_from(Q, F), F != ice, F != cbp.
:- request_has(Q, H), H != judicial_warrant.
:- request_info(Q, I), I != immigration_status, I != release_date.
:- request_purpose(Q, _).  :- request_topic(Q, _).  :- request_outcome(Q, _).  :- request_determination(Q, _).
"""
#: A larger one for clingo's enumeration: police or no agency, custody and release, ICE or CBP, two
#: warrants, three kinds of information.
MEDIUM = """
:- agency(A), A != police.
:- request_from(Q, F), F != ice, F != cbp.
:- person(P), P != in_custody, P != release_eligible.
:- role(_).  :- conviction(_).  :- determination(_).
:- request_has(Q, H), H != judicial_warrant, H != administrative_warrant.
:- request_info(Q, I), I != immigration_status, I != release_date, I != home_address.
:- request_purpose(Q, _).  :- request_topic(Q, _).  :- request_outcome(Q, _).  :- request_determination(Q, _).
"""


def reduced(rules: RuleBase, constraints: str) -> RuleBase:
    statements: list[ast.AST] = []
    ast.parse_string(constraints, statements.append)
    return rules.with_statements([*rules.statements, *statements[1:]])  # [0] is `#program base.`


def small_cases(rules: RuleBase) -> list[Case]:
    """Every case of SMALL, listed in Python from the catalog's values (not by clingo)."""
    cases = []
    kinds = rules.catalog.domains["request_kind"]
    infos = [(), ("immigration_status",), ("release_date",), ("immigration_status", "release_date")]
    requests = [()] + [((kind, source, warrant, info),) for kind in kinds for source in ("ice", "cbp")
                       for warrant in (False, True) for info in infos]
    for custody, request in itertools.product((False, True), requests):
        facts: list[tuple] = [("person", "in_custody")] if custody else []
        for kind, source, warrant, info in request:
            facts += [("request", 1, kind), ("request_from", 1, source)]
            facts += [("request_has", 1, "judicial_warrant")] if warrant else []
            facts += [("request_info", 1, item) for item in info]
        cases.append(Case.from_facts(f"case-{len(cases)}", facts))
    return cases


def enumerated(rules: RuleBase, encoding: str, constants: dict[str, str], readings: dict[str, str],
               goal: str | None) -> set[frozenset[clingo.Symbol]]:
    """The cases clingo enumerates (``--models 0``, projected on the case facts) with ``goal`` true."""
    arguments = ["--warn=none", "--models=0", "--project"]
    for name, value in constants.items():
        arguments += ["-c", f"{name}={value}"]
    kept = {constants[key] for key in ("local", "federal_law", "first", "second") if key in constants}
    control = restrict(rules, kept).control(reading_facts(readings), arguments)  # only the two ordinances
    predicates = case_fact_predicates()
    extra = "".join(f"#project {name}/{arity}." for name, arity in predicates)
    extra += f":- not {goal}." if goal else ""
    with ast.ProgramBuilder(control) as builder:
        for name in ("case_space.lp", encoding):
            ast.parse_files([str(analysis_file(name))], builder.add)
        ast.parse_string(extra, builder.add)
    control.ground([("base", [])])
    names = {name for name, _ in predicates}
    found: set[frozenset[clingo.Symbol]] = set()
    control.solve(on_model=lambda m: found.add(frozenset(s for s in m.symbols(atoms=True) if s.name in names)))
    return found


def test_differences_equal_deciding_every_case(rules: RuleBase) -> None:
    space = reduced(rules, SMALL)
    counts = count_differences(space, "beacon", "westchester", requests=1)
    cases = small_cases(rules)
    assert counts.bound.cases.cases == len(cases)
    expected: Tally[tuple[str, str, str]] = Tally()
    by_action: Tally[str] = Tally()
    any_difference = 0
    for case in cases:
        decision = decide(case, rules, ordinances=["beacon", "westchester"], readings={"usc_1373": "narrow"})
        differing = {(r.action, r.status, decision.result("westchester", r.action).status)
                     for r in decision.results if r.ordinance == "beacon"}
        differing = {d for d in differing if d[1] != d[2]}
        expected.update(differing)
        by_action.update({action for action, _, _ in differing})
        any_difference += bool(differing)
    pairs = {(row.action, *row.statuses): row.tally.cases for row in counts.rows if row.statuses}
    assert {key: n for key, n in pairs.items() if n} == dict(expected)
    assert {row.action: row.tally.cases for row in counts.rows if row.statuses is None} == \
        {action: by_action[action] for action in {row.action for row in counts.rows}}
    assert counts.any.cases == any_difference
    assert any_difference and len(expected) > 5  # the space is not one where nothing differs


def test_conflicts_equal_clingo_enumeration_and_decide(rules: RuleBase) -> None:
    space = reduced(rules, MEDIUM)
    readings = {"usc_1373": "broad"}
    counts = count_conflicts(space, "beacon", reading="broad", requests=1)
    constants = {"local": "beacon", "federal_law": "usc_1373", "requests": "1"}
    whole = enumerated(space, "conflict_1373.lp", constants, readings, None)
    assert counts.bound.cases.cases == len(whole)
    assert counts.any.cases == len(enumerated(space, "conflict_1373.lp", constants, readings, "conflict_found"))
    for row in counts.rows:
        found = enumerated(space, "conflict_1373.lp", constants, readings, f"federal_conflict({row.action})")
        assert row.tally.cases == len(found), row.action
        for number, facts in enumerate(sorted(found, key=sorted)[:40]):  # each such case is a conflict
            case = Case.from_facts(f"c{number}", [(s.name, *(a.number if a.type == clingo.SymbolType.Number
                                                              else a.name for a in s.arguments)) for s in facts])
            decision = decide(case, rules, ordinances=["beacon", "usc-1373"], readings=readings)
            local, federal = decision.result("beacon", row.action), decision.result("usc-1373", row.action)
            assert federal.status == Status.PERMITTED
            assert local.status in (Status.FORBIDDEN, Status.CONFLICT) or local.restrictions
    assert sum(row.tally.cases for row in counts.rows) >= counts.any.cases > 0


def test_difference_pairs_equal_clingo_enumeration(rules: RuleBase) -> None:
    space = reduced(rules, MEDIUM)
    counts = count_differences(space, "trust-act", "nyc", requests=1)
    constants = {"first": "trust_act", "second": "nyc", "requests": "1"}
    rows = [row for row in counts.rows if row.statuses][:6]
    for row in rows:
        goal = f"differs({row.action},{row.statuses[0]},{row.statuses[1]})"
        assert row.tally.cases == len(enumerated(space, "comparison.lp", constants, {"usc_1373": "narrow"}, goal))
    per_action = {}
    for row in counts.rows:
        if row.statuses:  # each ordinance gives an action one status: the pairs of an action are disjoint
            per_action[row.action] = per_action.get(row.action, 0) + row.tally.cases
    assert per_action == {row.action: row.tally.cases for row in counts.rows if row.statuses is None}


def test_whole_space_matches_arithmetic_on_the_vocabulary(rules: RuleBase) -> None:
    """The whole space, counted, equals what the domains give by hand: the case's own facts (C
    ways, release_eligible and the inmate role only with in_custody) times 1 + R + R^2 + ...
    for the requests (R ways each: one kind, one source, any warrants and information, at most
    one purpose and topic, ...)."""
    size = {name: len(values) for name, values in rules.catalog.domains.items()}
    person, role = size["person"], size["role"]
    own = 2 ** (person - 1) * 2 ** role + 2 ** (person - 2) * 2 ** (role - 1)  # in custody, or not
    case = (1 + size["agency"]) * 2 ** size["conviction"] * 2 ** size["determination"] * own
    request = (size["request_kind"] * size["request_from"] * 2 ** size["request_has"] * 2 ** size["request_info"]
               * (1 + size["request_purpose"]) * (1 + size["request_topic"]) * 2 ** size["request_outcome"]
               * 2 ** size["determination"])
    one, two = (count_conflicts(rules, "westchester", requests=k, timeout=60) for k in (1, 2))
    assert one.bound.cases.cases == case * (1 + request)
    assert two.bound.cases.cases == case * (1 + request + request ** 2)
    assert one.bound.vocabulary == two.bound.vocabulary
    assert one.bound.facts_per_case == size["agency"] + person + role + size["conviction"] + size["determination"]


def test_rank_shares_agree_with_counts_after_drop(rules: RuleBase) -> None:
    ranking = rank_conflicts(rules, "beacon", reading="broad", requests=1)
    assert ranking.sections and ranking.found.cases
    assert [s.disappears.cases for s in ranking.sections] == sorted((s.disappears.cases for s in ranking.sections),
                                                                    reverse=True)
    for share in ranking.sections:
        assert share.words == rules.catalog.ordinances["beacon"].sections[share.section]
        after = count_conflicts(rules, "beacon", reading="broad", requests=1,
                                drops=[parse_drop(rules, "beacon", share.section)])
        assert after.any.cases == ranking.found.cases - share.disappears.cases + share.appears.cases, share.section
    top = ranking.sections[0]
    assert top.disappears.cases > 0


def test_rank_differences_counts_case_action_pairs(rules: RuleBase) -> None:
    ranking = rank_differences(rules, "beacon", "westchester", requests=1)
    assert {share.ordinance for share in ranking.sections} == {"beacon", "westchester"}

    def pairs(counts) -> int:  # (case, action) pairs on which the two differ
        return sum(row.tally.cases for row in counts.rows if row.statuses is None)

    assert ranking.found.cases == pairs(count_differences(rules, "beacon", "westchester", requests=1))
    for share in [ranking.sections[0], *(s for s in ranking.sections if s.appears.cases)][:3]:
        after = count_differences(rules, "beacon", "westchester", requests=1,
                                  drops=[parse_drop(rules, share.ordinance, share.section)])
        assert pairs(after) == ranking.found.cases - share.disappears.cases + share.appears.cases, share.section


def test_timeout_is_said_never_a_partial_number(rules: RuleBase, cli: Cli) -> None:
    counts = count_conflicts(rules, "beacon", reading="broad", requests=2, timeout=1e-6)
    assert counts.bound.cases.cases is None and counts.any.cases is None and not counts.complete
    data = counts.to_dict()
    assert data["any"] == {"cases": None, "share": None, "status": "timed out"}
    from engine.render.count_text import format_counts
    text = format_counts(counts)
    assert "TIMED OUT (not counted)" in text and "%" not in text.split("any action")[1].splitlines()[0]


def test_missing_counter_exits_2_with_the_install_command(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyganak", None)  # `import pyganak` now fails, as when not installed
    for argv in (("check", "beacon", "--against", "usc-1373", "--count"), ("compare", "beacon", "nyc", "--rank")):
        status, out, err = cli(*argv)
        assert status == 2 and out == ""
        assert "pip install 'ordinance-engine[count]'" in err and "Traceback" not in err


def test_count_needs_against(cli: Cli) -> None:
    status, _, err = cli("check", "beacon", "--count")
    assert status == 2 and "--against usc-1373" in err


def test_json_keeps_every_key_and_adds_counts(cli: Cli) -> None:
    argv = ["check", "beacon", "--against", "usc-1373", "--reading", "broad", "--requests", "1", "--format", "json"]
    plain = json.loads(cli(*argv).out)
    status, out, _ = cli(*argv, "--count", "--rank")
    data = json.loads(out)
    assert status == 0 and {k: v for k, v in data.items() if k not in ("counts", "rank")} == plain
    counts = data["counts"]
    assert counts["kind"] == "conflicts" and counts["ordinances"] == ["beacon", "usc-1373"]
    assert counts["bound"]["requests"] == 1 and counts["bound"]["cases"] > 0
    assert set(counts["bound"]) >= {"vocabulary", "facts_per_case", "facts_per_request", "reading", "status"}
    assert {"action", "cases", "share", "status"} <= set(counts["by_action"][0])
    assert 0 < counts["any"]["share"] < 1
    rank = data["rank"]
    assert rank["found"]["cases"] == counts["any"]["cases"]
    assert {"ordinance", "section", "words", "disappears", "appears"} <= set(rank["sections"][0])


def test_compare_count_text_states_the_bound(cli: Cli) -> None:
    status, out, _ = cli("compare", "beacon", "westchester", "--requests", "1", "--count")
    assert status == 0
    assert "bound: every case with at most 1 request" in out and "the whole space: " in out
    assert "not a share of real-world cases" in out and "forbidden / silent" in out


def test_own_ordinance_is_counted(cli: Cli) -> None:
    status, out, err = cli("compare", "riverton", "beacon", "--rules", str(OWN), "--requests", "1", "--count")
    assert status == 0, err
    assert "riverton and beacon give an action different statuses" in out
    status, out, err = cli("check", "riverton", "--against", "usc-1373", "--rules", str(OWN), "--requests", "1",
                           "--rank", "--format", "json")
    assert status == 0, err
    assert json.loads(out)["rank"]["ordinances"] == ["riverton", "usc-1373"]


def test_rules_outside_the_exact_fragment_are_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "riverton.lp").write_text((OWN / "riverton.lp").read_text() + """
riverton_loop_a :- request(Q, detainer).
riverton_loop_a :- riverton_loop_b.
riverton_loop_b :- riverton_loop_a.
prohibits(riverton, "4", honor_detainer, request(Q)) :- riverton_loop_b, request(Q, detainer).
""")
    status, out, err = cli("check", "riverton", "--against", "usc-1373", "--rules", str(tmp_path),
                           "--requests", "1", "--count")
    assert status == 2, (out, err)
    assert "depends on itself" in err and "Fix:" in err and "Traceback" not in err


@pytest.mark.parametrize("constraint", [":- request(Q, detainer), request_from(Q, cbp).",
                                        "not honor(Q) :- request(Q, detainer)."])
def test_an_integrity_constraint_in_a_rule_file_is_refused_not_counted_over_fewer_cases(
        cli: Cli, tmp_path: Path, constraint: str) -> None:
    """A constraint would take cases out of the space while the output still states the bound as every
    case the vocabulary can state (the same fingerprint): the whole space and every share would be of
    fewer cases than it says, and a witness search would call a conflict absent over the cases left.
    The rule files are refused when they load (engine/core/lint.py), for every command."""
    text = (OWN / "riverton.lp").read_text()
    (tmp_path / "riverton.lp").write_text(text + constraint + "\n")
    line = text.count("\n") + 1
    for argv in (("check", "riverton", "--against", "usc-1373", "--count"),
                 ("compare", "riverton", "beacon", "--rank"), ("compare", "beacon", "nyc", "--count"),
                 ("check", "riverton", "--against", "usc-1373"), ("decide", str(ROOT / "examples" / "ana-detainer.yaml"))):
        status, out, err = cli(*argv, "--rules", str(tmp_path), "--requests", "1") if argv[0] != "decide" \
            else cli(*argv, "--rules", str(tmp_path))
        assert status == 2, (argv, out[-500:], err)
        assert f"riverton.lp:{line}" in err and "integrity constraint" in err and "Fix:" in err
        assert "Traceback" not in err


def test_an_interrupted_count_ends_the_counter_and_gives_no_number(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.analysis import counter as counter_module

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    with counter_module.ModelCounter() as counter:
        assert counter.count([[1, 2]], 2, 30) == 3
        worker = counter.worker
        assert worker is not None and worker.poll() is None
        monkeypatch.setattr(counter_module.select, "select", interrupted)
        with pytest.raises(KeyboardInterrupt):
            counter.count([[1, 2]], 2, 30)
        assert counter.worker is None and worker.returncode is not None  # ended, not left counting
        monkeypatch.undo()
        assert counter.count([[1], [2, 3]], 3, 30) == 3  # the next count starts a new worker


def test_two_requests_equal_clingo_enumeration(rules: RuleBase) -> None:
    """At two requests every order of a case's requests is a case of its own, for the counter as for clingo."""
    space = reduced(rules, SMALL + ":- request(Q, K), K != detainer, K != notification, K != information.")
    readings = {"usc_1373": "broad"}
    counts = count_conflicts(space, "beacon", reading="broad", requests=2)
    constants = {"local": "beacon", "federal_law": "usc_1373", "requests": "2"}
    request = 3 * 2 * 2 * 4  # kind, source, warrant or not, a set of two kinds of information
    assert counts.bound.cases.cases == 2 * (1 + request + request ** 2)
    assert counts.any.cases == len(enumerated(space, "conflict_1373.lp", constants, readings, "conflict_found"))
    for row in counts.rows:
        found = enumerated(space, "conflict_1373.lp", constants, readings, f"federal_conflict({row.action})")
        assert row.tally.cases == len(found), row.action


def test_a_counter_that_dies_is_an_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.analysis import counter as counter_module
    from engine.core.errors import EngineError

    with counter_module.ModelCounter() as counter:
        send = counter_module._send

        def send_then_crash(stream, message) -> None:  # the worker dies while counting
            send(stream, message)
            counter.worker.kill()
            counter.worker.wait()

        monkeypatch.setattr(counter_module, "_send", send_then_crash)
        with pytest.raises(EngineError, match="ended before answering"):
            counter.count([[1, 2]], 2, 30)
        monkeypatch.undo()
        assert counter.worker is None and counter.count([[1, 2]], 2, 30) == 3  # started again


def test_report_count_puts_the_share_of_cases_in_the_matrix(cli: Cli, rules: RuleBase, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    status, _, err = cli("report", "--requests", "1", "--count", "--quiet", "--out", str(page))
    assert status == 0, err
    html = page.read_text()
    counts = count_conflicts(rules, "beacon", reading="broad", requests=1)
    assert f"({counts.any.cases:,} of {counts.bound.cases.cases:,})" in html
    assert html.count(" of the cases (") == 2 * len(rules.catalog.local_ids())  # every ordinance x reading
    assert "It is not a share of real-world cases" in html
    status, _, _ = cli("report", "--requests", "1", "--quiet", "--out", str(page))
    assert status == 0 and " of the cases (" not in page.read_text()  # only with --count


def _count_program(text: str, inputs: str) -> tuple[int | None, int]:
    """The translation's count of a small program's answer sets (its choices: the atoms named in
    ``inputs``), and clingo's count of them by enumeration."""
    from engine.analysis.cnf import CapturedProgram, Formula
    from engine.analysis.counter import ModelCounter

    control = clingo.Control(["--models=0", "--warn=none"])
    program = CapturedProgram()
    control.register_observer(program)
    control.add("base", [], text)
    control.ground([("base", [])])
    opened = {atom.literal: atom.symbol for atom in control.symbolic_atoms if atom.symbol.name in inputs.split()}
    formula = Formula()
    formula.add_program(program, opened, {atom.literal: atom.symbol for atom in control.symbolic_atoms})
    models = [0]
    control.solve(on_model=lambda _: models.__setitem__(0, models[0] + 1))
    question = formula.clauses_for()
    with ModelCounter() as counter:
        cases = counter.count(question.clauses, question.variables, 30)
    return None if cases is None else cases << question.free, models[0]


@pytest.mark.parametrize("text", [
    "{ a(1..5) }. x :- 2 { a(1); a(2); a(3) }. y :- #sum { 2: a(1); 3: a(2); 1: a(4) } >= 4. :- x, not y.",
    "{ a(1..4) }. 1 { b(X) : a(X) } 2. z :- b(X), not a(X + 1). :- not z, a(1).",
    "{ a(1..3) }. { b(X) } :- a(X). w(X) :- b(X), not b(X + 1). :- w(2), a(3).",
])
def test_the_translation_counts_what_clingo_enumerates(text: str) -> None:
    counted, enumerated_models = _count_program(text, "a b")
    assert counted == enumerated_models > 0


@pytest.mark.parametrize("text, words", [
    ("{ a }. b ; c :- a.", "disjunction"),
    ("{ a }. p :- not q, a. q :- not p.", "default negation"),
    ("{ a }. p :- q. q :- p. p :- a.", "depends on itself"),
    ("{ a }. { d } :- a.", "not a case fact"),
])
def test_the_translation_refuses_what_it_cannot_count_exactly(text: str, words: str) -> None:
    from engine.analysis.cnf import NotCountable

    with pytest.raises(NotCountable, match=words):
        _count_program(text, "a")


@pytest.mark.parametrize("text", [
    "{ a }. { b } :- c. c :- b. c :- a.",  # b, c hold each other up without a: no answer set
    "{ a }. { b } :- a. { b } :- b.",
])
def test_a_positive_loop_through_a_case_fact_is_refused(text: str) -> None:
    """The completion counts the loop's unsupported model (4 models for 3 answer sets): refused, not miscounted."""
    from engine.analysis.cnf import NotCountable

    with pytest.raises(NotCountable, match="depends on itself through the choice"):
        _count_program(text, "a b")


@pytest.mark.parametrize("text", [
    "{ a }. { b } :- not c. c :- b.",  # through a case fact's choice and negation: still one model per case
    "{ a }. { b } :- c. c :- a.",
])
def test_a_case_fact_opened_by_what_it_does_not_support_is_counted(text: str) -> None:
    counted, enumerated_models = _count_program(text, "a b")
    assert counted == enumerated_models > 0


def test_the_python_api_gives_the_same_counts(rules: RuleBase) -> None:
    import engine

    direct = count_conflicts(rules, "beacon", reading="broad", requests=1)
    assert engine.count_conflicts(rules, "beacon", against="usc-1373", reading="broad", requests=1) == direct
    assert engine.count_differences(rules, "trust-act", "nyc", requests=1).rows == \
        count_differences(rules, "trust-act", "nyc", requests=1).rows
    ranking = engine.rank_sections(rules, "beacon", against="usc-1373", reading="broad", requests=1)
    assert ranking.kind == "conflicts" and ranking.found == direct.any
    with pytest.raises(TypeError, match="rank_sections"):
        engine.rank_sections(rules, "beacon")  # neither a second ordinance nor `against`
