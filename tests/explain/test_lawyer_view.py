"""The lawyer's view of a derivation (visualize.lawyer_view) and the engineer's (--detail full):
what each holds, on known cases, and that both come from the one traced graph."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from engine import decide, explain, load_case, parse_case
from engine.core.errors import EngineError
from engine.explain.derivation import derivation_graph, pair_conclusions
from engine.explain.explanation import explain_graph, traced_model
from tests.conftest import EXAMPLES, Cli
from visualize import render_derivation
from visualize.lawyer_view import lawyer_graph

ANA = EXAMPLES / "ana-detainer.yaml"
#: Marco: a detainer with a judicial warrant, which opens § 10(b) while § 10(a)(2) still forbids.
MARCO = EXAMPLES / "detainer-judicial-warrant.yaml"
TERRORISM = EXAMPLES / "terrorism-task-force.yaml"
#: What the lawyer's view must never show: the deontic layer and the atoms of the engine.
SVG = "{http://www.w3.org/2000/svg}"
INTERNALS = ("deontic.lp", "prohibits(", "forbids(", "forbidden(", "lifted(", "status(", "rule ")


def _words(text: str) -> str:
    """A label as one line of words (labels are wrapped)."""
    return " ".join(text.split())


def _kinds(lawyer: nx.DiGraph, kind: str) -> dict[str, dict]:
    return {node: data for node, data in lawyer.nodes(data=True) if data["kind"] == kind}


@pytest.fixture(scope="module")
def ana_why(rules):
    return explain(load_case(ANA, rules.catalog), rules, "westchester", "honor_detainer")


@pytest.fixture(scope="module")
def marco_why(rules):
    return explain(load_case(MARCO, rules.catalog), rules, "westchester", "honor_detainer")


def test_ana_facts_sections_and_conclusion_in_words(ana_why, rules) -> None:
    lawyer = lawyer_graph(ana_why.graph)
    facts = {_words(d["label"]) for d in _kinds(lawyer, "case fact").values()}
    assert "request 1 is a civil immigration detainer" in facts
    absent = {_words(d["label"]) for d in _kinds(lawyer, "not in the case").values()}
    assert absent == {"not in the case: request 1 is accompanied by a judicial warrant"}
    sections = _kinds(lawyer, "section")
    by_section = {(d["ordinance"], d["section"]): d for d in sections.values()}
    assert {("westchester", "10(a)(2)"), ("westchester", "10(b)")} <= set(by_section)
    assert len(by_section) == len(sections)  # one node a section
    for key in [("westchester", "10(a)(2)"), ("westchester", "10(b)")]:
        quote = rules.catalog.ordinances["westchester"].sections[key[1]]
        assert by_section[key]["quote"] == quote
        # quoted once in the whole drawing: in its section's node and nowhere else
        holders = [n for n, d in lawyer.nodes(data=True) if _words(quote)[:60] in _words(d["label"])]
        assert holders == [f"section westchester {key[1]}"]
    [conclusion] = _kinds(lawyer, "conclusion").values()
    said = _words(conclusion["label"])
    assert said.startswith("westchester § 10(a)(2) and § 10(b) forbid it: ")
    assert rules.catalog.actions["honor_detainer"] in said
    for node, data in lawyer.nodes(data=True):
        assert not any(internal in data["label"] for internal in INTERNALS), (node, data["label"])


def test_ana_exceptions_not_met_say_what_they_needed(ana_why) -> None:
    lawyer = lawyer_graph(ana_why.graph)
    [unmet] = _kinds(lawyer, "exception not met")
    label = _words(lawyer.nodes[unmet]["label"])
    assert label.startswith("exception to westchester § 10(b) not met")
    assert "would have needed: request 1 is accompanied by a judicial warrant" in label
    assert lawyer.has_edge("absent request_has(1,judicial_warrant)", unmet)
    conclusion = next(iter(_kinds(lawyer, "conclusion")))
    assert lawyer.edges[unmet, conclusion]["relation"] == "not met"
    # § 10(a)(2) has no exception a fact could meet: its node says so, with no empty box
    assert "forbids it (no exception that facts could meet)" in \
        lawyer.nodes["section westchester 10(a)(2)"]["roles"]
    assert lawyer.nodes["section westchester 10(b)"]["roles"] == ["forbids it"]


def test_the_lawyer_view_is_a_contraction_of_the_traced_graph(ana_why) -> None:
    """Every node stands for nodes of the traced graph, every edge for a path between them."""
    graph, lawyer = ana_why.graph, lawyer_graph(ana_why.graph)
    origins = {key: [n for n, d in graph.nodes(data=True) if d["kind"] == "rule" and d["section"]
                     and f"section {d['ordinance']} {d['section']}" == key] or [key.split(" ", 1)[1]]
               for key in lawyer if not key.startswith(("absent ", "unmet "))}
    origins.update({key: [key.split(" ", 1)[1]] for key in lawyer if key.startswith("unmet ")})
    for key, nodes in origins.items():
        assert all(node in graph for node in nodes), key
    for source, target in lawyer.edges:
        if source in origins and target in origins:
            assert any(nx.has_path(graph, s, t) for s in origins[source] for t in origins[target]), (source, target)


def test_a_tension_names_the_section_pulling_the_other_way(marco_why, rules, cli: Cli) -> None:
    lawyer = lawyer_graph(marco_why.graph)
    [(tension, data)] = _kinds(lawyer, "tension").items()
    assert (data["sections"], data["against"]) == (["10(b)"], ["10(a)(2)"])
    assert _words(data["label"]) == "in tension: westchester § 10(b) permits it while § 10(a)(2) forbids it"
    conclusion = next(iter(_kinds(lawyer, "conclusion")))
    assert lawyer.edges[tension, conclusion]["relation"] == "pulls against"
    assert lawyer.has_edge("section westchester 10(b)", tension)
    assert lawyer.has_edge("section westchester 10(a)(2)", tension)
    assert "makes an exception for it" in lawyer.nodes["section westchester 10(b)"]["roles"]
    # the same tension as decide's tensions column: both read the solver's tension/3
    row = next(r for r in decide(load_case(MARCO, rules.catalog), rules, ordinances=["westchester"]).results
               if r.action == "honor_detainer")
    assert list(row.tensions) == data["sections"]
    status, out, _ = cli("explain", str(MARCO), "westchester", "honor_detainer")
    assert status == 0
    assert "In tension: § 10(b) permits it: \"shall not Detain" in out
    assert "request 1 is accompanied by a judicial warrant. It stays forbidden: § 10(a)(2) forbids it" in out
    status, out, _ = cli("explain", str(MARCO), "westchester", "honor_detainer", "--format", "json")
    assert json.loads(out)["tensions"] == [{"section": "10(b)", "against": ["10(a)(2)"]}]


def test_no_tension_no_tension_sentence(ana_why) -> None:
    assert ana_why.tensions == [] and "In tension" not in ana_why.text


def test_terrorism_task_force_has_no_empty_would_need(rules) -> None:
    why = explain(load_case(TERRORISM, rules.catalog), rules, "westchester", "share_status_info")
    lawyer = lawyer_graph(why.graph)
    for _, data in lawyer.nodes(data=True):
        assert not re.search(r"needed?:\s*$", data["label"], re.MULTILINE), data["label"]
    # the sections of westchester that bear on sharing, not every norm the deontic layer counted
    sections = {(d["ordinance"], d["section"]) for d in _kinds(lawyer, "section").values()}
    assert {("westchester", "7(a)"), ("westchester", "7(a)(2)"), ("westchester", "15")} <= sections
    assert {o for o, _ in sections} == {"westchester"}
    assert len(lawyer) < 15 < len(why.graph)
    # the report's graphs are not verified: the same holds of an unverified graph and of the full view
    model = traced_model(load_case(TERRORISM, rules.catalog), rules)
    raw = derivation_graph(model.program, model.fired, model.status("westchester", "share_status_info"),
                           rules.catalog, model.facts)
    for detail in ("lawyer", "full"):
        source = render_derivation(raw, detail=detail).source
        # a line saying "would need:" and nothing else (what the full view drew before)
        assert not re.search(r"(\\n|\") *(would (have )?need(ed)?:) *(\\n|\")", source), detail


def test_detail_full_is_the_engineers_graph(ana_why, rules) -> None:
    # Ana has no tension: her graph is the status's derivation, node for node, as before
    model = traced_model(load_case(ANA, rules.catalog), rules)
    before = derivation_graph(model.program, model.fired, model.status("westchester", "honor_detainer"),
                              rules.catalog, model.facts)
    assert set(ana_why.graph) == set(before)
    full = render_derivation(ana_why.graph, detail="full").source
    assert len(re.findall(r"^\tn\d+ \[", full, re.MULTILINE)) == len(ana_why.graph)  # a node each
    assert "deontic.lp:" in full and "request(1,detainer)" in full
    assert "status(westchester,honor_detainer,forbidden)" in full
    lawyer = render_derivation(ana_why.graph).source
    assert "deontic.lp" not in lawyer and "request 1 is a civil immigration detainer" in lawyer
    with pytest.raises(EngineError, match="detail 'engineer'.*lawyer, full"):
        render_derivation(ana_why.graph, detail="engineer")


def test_cli_detail_flag(cli: Cli, tmp_path: Path) -> None:
    lawyer, full = tmp_path / "lawyer.dot", tmp_path / "full.dot"
    assert cli("explain", str(ANA), "westchester", "honor_detainer", "--graph", str(lawyer)).status == 0
    assert cli("explain", str(ANA), "westchester", "honor_detainer", "--graph", str(full),
               "--detail", "full").status == 0
    assert "deontic.lp" in full.read_text() and "deontic.lp" not in lawyer.read_text()
    assert "exception to westchester § 10(b) not met" in lawyer.read_text()
    status, _, err = cli("explain", str(ANA), "westchester", "honor_detainer", "--detail", "full")
    assert status == 2 and "add --graph FILE" in err
    status, _, err = cli("decide", str(ANA), "--detail", "lawyer")
    assert status == 2 and "add --graph FILE" in err


def test_decide_graph_draws_the_lawyer_view_of_its_rows(cli: Cli, rules, tmp_path: Path) -> None:
    lawyer, full = tmp_path / "lawyer.dot", tmp_path / "full.dot"
    assert cli("decide", str(MARCO), "--ordinance", "westchester", "--graph", str(lawyer)).status == 0
    drawn = lawyer.read_text()
    assert "in tension: westchester § 10(b) permits it while" in drawn
    assert "westchester § 10(a)(2) forbids it:" in drawn and "deontic.lp" not in drawn
    assert cli("decide", str(MARCO), "--ordinance", "westchester", "--graph", str(full),
               "--detail", "full").status == 0
    assert "rankdir=LR" in full.read_text()  # the section-to-action graph, as before
    # one graph for the rows, from one traced solve: one conclusion node a non-silent row
    case = load_case(MARCO, rules.catalog)
    rows = [r for r in decide(case, rules, ordinances=["westchester"]).results if r.status != "silent"]
    graph = lawyer_graph(explain_graph(case, rules, [(r.ordinance, r.action) for r in rows]))
    statuses = {(d["action"], d["status"]) for d in _kinds(graph, "conclusion").values() if d["status"]}
    assert statuses == {(r.action, r.status) for r in rows}
    # several actions in one graph: a section's roles name the action
    roles = graph.nodes["section westchester 10(a)(2)"]["roles"]
    assert any("honor_detainer" in role for role in roles) and any("delay_release" in role for role in roles)


def test_reasons_cite_only_what_bears_on_the_pair(rules) -> None:
    """The deontic layer's count of occasions reaches every norm of every ordinance; the reasons,
    like the lawyer's view, read only what bears on the (ordinance, action) explained."""
    why = explain(load_case(TERRORISM, rules.catalog), rules, "westchester", "share_status_info")
    assert "§ 15 expressly permits it" in why.text and "§ 7(a)(2) makes an exception to § 7(a)" in why.text
    assert "LL228-287g" not in why.text and "§ 2(j)" not in why.text and "§ 1373" not in why.text
    assert "beacon" in {d["ordinance"] for _, d in why.graph.nodes(data=True) if d["kind"] == "rule"}


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz binary not installed")
def test_lawyer_svg_shows_sections_words_and_status_colour(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "ana.svg"
    assert cli("explain", str(ANA), "westchester", "honor_detainer", "--graph", str(target)).status == 0
    root = ET.parse(target).getroot()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "westchester § 10(b)" in texts and "westchester § 10(a)(2)" in texts and "Legend" in texts
    assert "westchester § 10(a)(2) and § 10(b) forbid it:" in texts
    assert "request 1 is a civil immigration detainer" in texts
    assert not [t for t in texts if "deontic.lp" in t or "status(" in t]
    assert "#d62728" in {p.get("fill") for p in root.iter(f"{SVG}path")} | \
        {p.get("fill") for p in root.iter(f"{SVG}polygon")}  # the forbidden conclusion


def test_a_graph_built_from_firings_draws_the_same_view(rules) -> None:
    """What the report does: a graph from the firings of one solve, its ways not tried by deciding
    changed cases; pair_conclusions adds each status's tensions, and no open rule variable
    (request_purpose(Q,P)) reaches a label."""
    model = traced_model(load_case(MARCO, rules.catalog), rules)
    status = model.status("westchester", "honor_detainer")
    graph = derivation_graph(model.program, model.fired, pair_conclusions(model.fired, [status]),
                             rules.catalog, model.facts)
    lawyer = lawyer_graph(graph)
    assert [d["sections"] for d in _kinds(lawyer, "tension").values()] == [["10(b)"]]
    witness = parse_case({"requests": [{"kind": "notification"}]}, rules.catalog, "witness", "witness")
    model = traced_model(witness, rules, {"usc_1373": "broad"})
    statuses = [model.status(o, "notify_release") for o in ("beacon", "usc_1373")]
    lawyer = lawyer_graph(derivation_graph(model.program, model.fired, pair_conclusions(model.fired, statuses),
                                           rules.catalog, model.facts))
    assert {_words(d["label"]) for d in _kinds(lawyer, "conclusion").values()} == {
        "beacon § 3(a) forbids it: answer a notification request (release date, time or place) "
        "(notify_release: forbidden)",
        "usc-1373 § 1373(a) and § 1373(b)(1) permit it: answer a notification request (release date, "
        "time or place) (notify_release: permitted)"}
    for _, data in lawyer.nodes(data=True):
        assert not re.search(r"\w\((\w+,)*[A-Z_]", data["label"]), data["label"]
