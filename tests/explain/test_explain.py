"""Derivation graphs and plain-language reasons, on known cases."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from engine import derivation_to_dict, explain, load_case, load_rule_base, parse_case
from engine.explain.explanation import explain_pairs
from engine.core.catalog import section_ref
from tests.conftest import ROOT

OWN = ROOT / "docs" / "own-ordinance"
#: Ana under the narrower reading of Westchester's "inmate" (READING westchester-inmate-role):
#: not an inmate, so 10(b) alone forbids holding her (under the default, 10(a)(2) does too).
ROLE = {"westchester_inmate": "role"}


@pytest.fixture(scope="module")
def ana(rules):
    return load_case(ROOT / "examples" / "ana-detainer.yaml", rules.catalog)


def _sections(graph: nx.DiGraph) -> set[tuple[str, str]]:
    return {(d["ordinance"], d["section"]) for _, d in graph.nodes(data=True)
            if d["kind"] == "rule" and d["section"] is not None}


def _case_facts(graph: nx.DiGraph) -> set[str]:
    return {d["atom"] for _, d in graph.nodes(data=True)
            if d["kind"] == "atom" and d["role"] == "fact" and d["origin"] == "case"}


def test_graph_reaches_the_deciding_sections_and_case_facts(rules, ana) -> None:
    graph = explain(ana, rules, "westchester", "honor_detainer", readings=ROLE).graph
    assert _sections(graph) == {("westchester", "10(b)"), ("westchester", "1(d)")}
    assert _case_facts(graph) == {"request(1,detainer)"}
    assert nx.is_directed_acyclic_graph(graph)
    conclusion = "status(westchester,honor_detainer,forbidden)"
    assert graph.nodes[conclusion]["role"] == "conclusion" and graph.out_degree(conclusion) == 0
    assert nx.ancestors(graph, conclusion) == set(graph) - {conclusion}
    assert len(graph) <= 20


def test_nothing_unrelated_is_reached(rules, ana) -> None:
    graph = explain(ana, rules, "westchester", "honor_detainer", readings=ROLE).graph
    text = json.dumps(derivation_to_dict(graph))
    for other in ("beacon", "trust_act", "nyc", "usc_1373", "person(in_custody)", "role(arrestee)"):
        assert other not in text
    assert not [n for n, d in graph.nodes(data=True)
                if d["kind"] == "atom" and d["predicate"] in ("domain", "action", "provision", "describes")]


def test_exception_not_met_names_its_sections_and_missing_fact(rules, ana) -> None:
    # 10(b) decides the one act of holding her for the case (READING westchester-10b-one-act):
    # a judicial warrant on some request would have lifted it: on her one request, checked by deciding again
    graph = explain(ana, rules, "westchester", "honor_detainer", readings=ROLE).graph
    negated = graph.nodes['not lifted(westchester,"10(b)",honor_detainer,case)']
    assert negated["kind"] == "negated"
    (way,) = negated["ways"]
    assert [s["section"] for s in way["sections"]] == ["10(b)", "1(g)"]
    assert [m["fact"] for m in way["missing"]] == ["request_has(1,judicial_warrant)"]
    assert way["missing"][0]["description"] == "request 1 is accompanied by a judicial warrant"
    rule = next(graph.successors('not lifted(westchester,"10(b)",honor_detainer,case)'))
    assert graph.nodes[rule]["where"].startswith("asp/vocabulary/deontic.lp:")
    assert graph.nodes[rule]["text"] == "forbids(O,S,A,Q) :- prohibits(O,S,A,Q); not lifted(O,S,A,Q)."


def test_shared_atoms_are_one_node(rules) -> None:
    inmate = parse_case({"agency": "corrections", "person": {"in_custody": True, "roles": ["inmate"]},
                         "requests": [{"kind": "detainer"}]}, rules.catalog, "t", "inmate")
    graph = explain(inmate, rules, "westchester", "delay_release").graph
    detainer = "westchester_detainer(1)"
    users = {graph.nodes[r]["section"] for r in graph.successors(detainer)}
    assert users == {"10(a)(2)", "10(b)"}
    assert sum(1 for n in graph if n == detainer) == 1


def test_text_quotes_the_section_and_names_facts_and_missing_exception(rules, ana) -> None:
    why = explain(ana, rules, "westchester", "honor_detainer", readings=ROLE)
    quote = rules.catalog.ordinances["westchester"].sections["10(b)"]
    assert why.status == "forbidden"
    assert f'§ 10(b) forbids it: "{quote}"' in why.text
    assert "request 1 is a civil immigration detainer (§ 1(d))" in why.text
    assert "No exception applied" in why.text
    assert "request 1 is accompanied by a judicial warrant" in why.text
    assert rules.catalog.actions["honor_detainer"] in why.text


def test_text_of_a_permission_by_exception(rules) -> None:
    case = load_case(ROOT / "examples" / "detainer-judicial-warrant.yaml", rules.catalog)
    why = explain(case, rules, "trust-act", "honor_detainer")
    assert why.status == "permitted"
    assert "§ 2(c) makes an exception for it" in why.text
    assert "request 1 is accompanied by a judicial warrant" in why.text


def test_standing_prohibition_is_said_to_hold_in_every_case(rules, ana) -> None:
    why = explain(ana, rules, "westchester", "different_procedures")
    assert "§ 10(c) forbids it" in why.text and "in every case" in why.text
    assert _case_facts(why.graph) == set()


def test_user_supplied_ordinance_is_explained(ana) -> None:
    own = load_rule_base([OWN], use_env=False)
    why = explain(ana, own, "riverton", "honor_detainer")
    assert why.status == "forbidden"
    assert ("riverton", "4") in _sections(why.graph)
    assert "docs/own-ordinance/riverton.lp" in {d.get("where", "").rsplit(":", 1)[0]
                                                 for _, d in why.graph.nodes(data=True)}
    assert "riverton § 4(a) would have needed: request 1 is accompanied by a judicial warrant" in why.text
    assert "riverton § 4(b) would have needed: the person has a serious or violent felony conviction" in why.text


def test_unknown_pair_is_a_clear_error(rules, ana) -> None:
    from engine.core.errors import EngineError

    with pytest.raises(EngineError, match="unknown action 'fly'.*ordinance list --actions"):
        explain(ana, rules, "westchester", "fly")
    with pytest.raises(EngineError, match="unknown ordinance 'gotham'"):
        explain(ana, rules, "gotham", "honor_detainer")


EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_non_silent_conclusion_of_the_examples_is_explained(path, rules) -> None:
    from engine import decide, load_cases

    for case in load_cases(path, rules.catalog):
        rows = [r for r in decide(case, rules, ordinances=list(rules.catalog.ordinances)).results
                if r.status != "silent"]
        for row, why in zip(rows, explain_pairs(case, rules, [(r.ordinance, r.action) for r in rows]), strict=True):
            assert why.status == row.status
            cited = {d["section"] for _, d in why.graph.nodes(data=True)
                     if d["kind"] == "rule" and d["ordinance"] == row.ordinance}
            assert set(row.sections) <= cited, (case.id, row.action, row.sections, cited)
            for section in row.sections:
                assert f"{section_ref(section)} " in why.text  # no "§" before a label like NYC's
            assert nx.is_directed_acyclic_graph(why.graph)


def test_every_case_value_has_words_for_the_text(rules) -> None:
    control = rules.control([])
    control.ground([("base", [])])
    described = {(str(a.symbol.arguments[0]), str(a.symbol.arguments[1]))
                 for a in control.symbolic_atoms.by_signature("describes", 3)}
    expected = {(field, value) for field, values in rules.catalog.domains.items() for value in values}
    expected |= {("reading", value) for _, values in rules.catalog.switches.values() for value in values}
    assert expected == described


def test_a_fact_shared_by_two_sections_is_not_cited_for_the_wrong_one(rules) -> None:
    case = load_case(ROOT / "examples" / "notification-release-date.yaml", rules.catalog)
    why = explain(case, rules, "usc-1373", "notify_release", readings={"usc_1373": "broad"})
    assert "request 1 asks to be notified of the release." in why.text
    assert "(§ 1373" not in why.text


def test_several_conclusions_share_one_graph(rules, ana) -> None:
    from engine import derivation_graph
    from engine.explain.explanation import traced_model

    model = traced_model(ana, rules, ROLE)
    conclusions = [model.status("westchester", "honor_detainer"), model.status("westchester", "delay_release")]
    graph = derivation_graph(model.program, model.fired, conclusions, rules.catalog, model.facts)
    assert graph.graph["conclusion"] == [str(c) for c in conclusions]
    assert {n for n, d in graph.nodes(data=True) if d.get("role") == "conclusion"} == set(graph.graph["conclusion"])
    users = [graph.nodes[r]["section"] for r in graph.successors("westchester_detainer(1)")]
    assert users == ["10(b)", "10(b)"]
    assert graph.out_degree("request(1,detainer)") == 1


def test_each_rule_instance_is_its_own_node(rules) -> None:
    case = load_case(ROOT / "examples" / "detainer-judicial-warrant.yaml", rules.catalog)
    graph = explain(case, rules, "westchester", "delay_release").graph
    forbidden = [n for n, d in graph.nodes(data=True) if d["kind"] == "rule"
                 and d["text"] == "forbidden(O,A) :- forbids(O,_,A,_)."]
    assert len(forbidden) == 2 and all(graph.in_degree(n) == 1 for n in forbidden)


def test_a_way_that_would_not_work_is_not_shown(rules, ana) -> None:
    """Read off the rules, a request for status information would make 3(a) forbid sharing it;
    decided again, 3(a)(i) still saves it, so the explanation claims no such way."""
    why = explain(ana, rules, "beacon", "share_status_info")
    assert why.status == "permitted" and "would have needed" not in why.text
    assert all(not d["ways"] for _, d in why.graph.nodes(data=True) if d["kind"] == "negated")


def test_an_open_request_number_is_bound_to_a_request_and_checked(rules) -> None:
    """A rule's unbound request number is tried as each request of the case, then a new one."""
    case = parse_case({"agency": "corrections", "person": {"in_custody": True}}, rules.catalog, "t", "empty")
    why = explain(case, rules, "westchester", "honor_detainer")
    assert why.status == "silent" and "request 1 is a civil immigration detainer" in why.text


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_would_have_needed_is_true_when_decided_again(path, rules) -> None:
    """Each "would have needed" of an exception not met, added to the case and decided again,
    makes that exception apply (its section is among the row's exceptions)."""
    import clingo

    from engine import Case, decide, load_cases
    from engine.core.facts import symbol_fact

    shown = 0
    for case in load_cases(path, rules.catalog):
        rows = [r for r in decide(case, rules, ordinances=list(rules.catalog.ordinances)).results
                if r.status != "silent"]
        for row, why in zip(rows, explain_pairs(case, rules, [(r.ordinance, r.action) for r in rows]), strict=True):
            for _, data in why.graph.nodes(data=True):
                if data["kind"] != "negated" or data["predicate"] != "lifted":
                    continue
                for way in data["ways"]:
                    added = [symbol_fact(clingo.parse_term(m["fact"])) for m in way["missing"]]
                    changed = Case.from_facts(case.id, [*case.facts, *added], like=case)
                    again = decide(changed, rules, ordinances=[row.ordinance]).result(row.ordinance, row.action)
                    assert {s["section"] for s in way["sections"]} & set(again.exceptions), (row, way)
                    shown += 1
    assert shown, f"{path.stem}: no exception not met to check"
