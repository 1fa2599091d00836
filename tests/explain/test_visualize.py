"""The section-to-action graph of a decision, and its rendering."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine import decide, parse_case
from tests.conftest import Cli
from visualize import decision_graph, render_decision

JUDICIAL = {"agency": "corrections", "person": {"in_custody": True, "roles": ["inmate"]},
            "requests": [{"kind": "detainer", "judicial_warrant": True}]}


@pytest.fixture
def graph(rules):
    case = parse_case(JUDICIAL, rules.catalog, "t", "judicial")
    return decision_graph(decide(case, rules, ordinances=["westchester"]))


def test_edges_come_from_the_decision(graph) -> None:
    action = ("action", "westchester", "honor_detainer")
    relations = {(source[2], data["relation"]) for source, _, data in graph.in_edges(action, data=True)}
    assert ("10(a)(2)", "decides") in relations
    assert ("10(b)", "excepts") in relations and ("10(b)", "tension") in relations
    assert graph.nodes[action]["status"] == "forbidden"
    assert all(data["status"] != "silent" for _, data in graph.nodes(data=True) if data["kind"] == "action")


def test_dot_needs_no_binary(graph) -> None:
    source = render_decision(graph).source
    assert "westchester § 10(b)" in source and "rankdir=LR" in source


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz binary not installed")
def test_svg_shows_section_labels(graph, tmp_path: Path, rules, cli: Cli) -> None:
    case_path = tmp_path / "c.json"
    case_path.write_text('{"requests": [{"kind": "detainer", "judicial_warrant": true}], '
                         '"agency": "corrections", "person": {"in_custody": true, "roles": ["inmate"]}}')
    out = tmp_path / "g.svg"
    assert cli("decide", str(case_path), "--ordinance", "westchester", "--graph", str(out),
               "--detail", "full").status == 0
    texts = {t.text for t in ET.parse(out).iter("{http://www.w3.org/2000/svg}text")}
    assert "westchester § 10(b)" in texts and "honor_detainer" in texts


def test_missing_graphviz_is_named(monkeypatch, cli: Cli, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    case_path = tmp_path / "c.yaml"
    case_path.write_text("requests: [{kind: detainer}]\n")
    status, _, err = cli("decide", str(case_path), "--graph", str(tmp_path / "g.png"))
    assert status == 2 and "Graphviz" in err and "Fix:" in err
