"""The committed example graphs of docs/explanations.md are what the tool draws now."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from engine import explain, load_case
from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGE = (DOCS / "explanations.md").read_text(encoding="utf-8")
COMMAND = re.compile(r"`ordinance explain (\S+) (\S+) (\S+) --graph (docs/explanations/\S+\.svg)`")
DRAWN = {
    "explanations/ana-westchester-honor_detainer.svg": ("examples/ana-detainer.yaml", "westchester",
                                                        "honor_detainer"),
    "explanations/marco-westchester-delay_release.svg": ("examples/detainer-judicial-warrant.yaml",
                                                         "westchester", "delay_release"),
}


def test_page_shows_every_committed_graph() -> None:
    shown = set(re.findall(r"\]\((explanations/[\w.-]+\.svg)\)", PAGE))
    assert shown == set(DRAWN)
    assert {f"explanations/{p.name}" for p in (DOCS / "explanations").glob("*.svg")} == set(DRAWN)
    for case, ordinance, action, target in COMMAND.findall(PAGE):
        assert DRAWN[target.removeprefix("docs/")] == (case, ordinance, action)


@pytest.mark.parametrize("svg", sorted(DRAWN))
def test_committed_svg_has_the_sections_and_facts_the_tool_derives(svg: str, rules) -> None:
    case_file, ordinance, action = DRAWN[svg]
    graph = explain(load_case(ROOT / case_file, rules.catalog), rules, ordinance, action).graph
    expected = {f"{d['ordinance']} § {d['section']}" for _, d in graph.nodes(data=True)
                if d["kind"] == "rule" and d["section"]}
    expected |= {d["atom"] for _, d in graph.nodes(data=True) if d["kind"] == "atom"}
    texts = {t.text for t in ET.parse(DOCS / svg).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert expected <= texts, ("regenerate with the command in docs/explanations.md", expected - texts)
    drawn_sections = {t for t in texts if t and re.fullmatch(r"\S+ § \S+", t)}
    assert drawn_sections == {e for e in expected if " § " in e}
