"""The committed example graphs of docs/explanations.md are what the tool draws now, in the view
the page's command names (the lawyer's by default, the engineer's with --detail full)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from engine import explain, load_case
from tests.conftest import ROOT
from visualize.lawyer_view import lawyer_graph

DOCS = ROOT / "docs"
PAGE = (DOCS / "explanations.md").read_text(encoding="utf-8")
COMMAND = re.compile(r"`ordinance explain (\S+) (\S+) (\S+) --graph (docs/explanations/\S+\.svg)"
                     r"(?: --detail (lawyer|full))?`")
DRAWN = {
    "explanations/ana-lawyer-view.svg": ("examples/ana-detainer.yaml", "westchester", "honor_detainer", "lawyer"),
    "explanations/ana-westchester-honor_detainer.svg": ("examples/ana-detainer.yaml", "westchester",
                                                        "honor_detainer", "full"),
    "explanations/marco-westchester-delay_release.svg": ("examples/detainer-judicial-warrant.yaml",
                                                         "westchester", "delay_release", "lawyer"),
}


def test_page_shows_every_committed_graph() -> None:
    shown = set(re.findall(r"\]\((explanations/[\w.-]+\.svg)\)", PAGE))
    assert shown == set(DRAWN)
    assert {f"explanations/{p.name}" for p in (DOCS / "explanations").glob("*.svg")} == set(DRAWN)
    commands = COMMAND.findall(PAGE)
    assert {target.removeprefix("docs/") for *_, target, _ in commands} == set(DRAWN)
    for case, ordinance, action, target, detail in commands:
        assert DRAWN[target.removeprefix("docs/")] == (case, ordinance, action, detail or "lawyer")


def _texts(svg: str) -> set[str]:
    return {t.text for t in ET.parse(DOCS / svg).getroot().iter("{http://www.w3.org/2000/svg}text")}


@pytest.mark.parametrize("svg", sorted(DRAWN))
def test_committed_svg_has_what_the_tool_derives(svg: str, rules) -> None:
    case_file, ordinance, action, detail = DRAWN[svg]
    graph = explain(load_case(ROOT / case_file, rules.catalog), rules, ordinance, action).graph
    texts = _texts(svg)
    drawn_sections = {t for t in texts if t and re.fullmatch(r"\S+ § \S+", t)}
    if detail == "full":
        expected = {f"{d['ordinance']} § {d['section']}" for _, d in graph.nodes(data=True)
                    if d["kind"] == "rule" and d["section"]}
        expected |= {d["atom"] for _, d in graph.nodes(data=True) if d["kind"] == "atom"}
        assert expected <= texts, ("regenerate with the command in docs/explanations.md", expected - texts)
        assert drawn_sections == {e for e in expected if " § " in e}
        return
    lawyer = lawyer_graph(graph)
    expected = {line for _, d in lawyer.nodes(data=True) for line in d["label"].splitlines()}
    assert expected <= texts, ("regenerate with the command in docs/explanations.md", expected - texts)
    assert drawn_sections == {f"{d['ordinance']} § {d['section']}" for _, d in lawyer.nodes(data=True)
                              if d["kind"] == "section"}
