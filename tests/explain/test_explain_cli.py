"""`ordinance explain` and `decide --explain`, run in-process, and the derivation drawing."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine import explain, load_case
from engine.core.errors import EngineError
from tests.conftest import EXAMPLES, Cli
from visualize import render_derivation, write_graph

ANA = str(EXAMPLES / "ana-detainer.yaml")
#: Ana is held in custody, an inmate under the default reading: 10(a)(2), which no warrant
#: lifts, forbids holding her too; under the role reading 10(b) alone does.
ROLE = ("--switch", "westchester_inmate=role")
SVG = "{http://www.w3.org/2000/svg}"


def test_explain_prints_reasons(cli: Cli) -> None:
    status, out, _ = cli("explain", ANA, "westchester", "honor_detainer")
    assert status == 0
    assert "honor_detainer is forbidden" in out and "§ 10(b) forbids it" in out
    assert "What if" not in out


def test_what_if_lists_verified_changes_smallest_first(cli: Cli) -> None:
    status, out, _ = cli("explain", ANA, "westchester", "honor_detainer", "--what-if", "--max", "2", *ROLE)
    assert status == 0
    assert ("  1. permitted, if:\n       also: request 1 is accompanied by a judicial warrant  "
            "[+ request_has(1,judicial_warrant)]\n") in out
    assert "  2. " in out and "  3. " not in out


def test_json_holds_graph_text_and_what_if(cli: Cli) -> None:
    status, out, _ = cli("explain", ANA, "westchester", "honor_detainer", "--format", "json",
                         "--what-if", "--fix", "person.convictions", *ROLE)
    data = json.loads(out)
    assert status == 0
    assert (data["ordinance"], data["action"], data["status"]) == ("westchester", "honor_detainer", "forbidden")
    assert data["graph"]["conclusion"] == "status(westchester,honor_detainer,forbidden)"
    ids = {node["id"] for node in data["graph"]["nodes"]}
    assert all(edge["from"] in ids and edge["to"] in ids for edge in data["graph"]["edges"])
    assert data["what_if"][0]["changes"] == [{"change": "add", "fact": "request_has(1,judicial_warrant)",
                                              "description": "request 1 is accompanied by a judicial warrant"}]
    assert data["what_if"][0]["case"]["requests"][0]["judicial_warrant"] is True


def test_graph_dot_needs_no_binary(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    target = tmp_path / "ana.dot"
    status, _, err = cli("explain", ANA, "westchester", "honor_detainer", "--graph", str(target))
    assert status == 0, err
    source = target.read_text()
    assert "westchester § 10(b)" in source and "westchester § 1(d)" in source
    assert "cluster_legend" in source and "style=dashed" in source


def test_svg_without_graphviz_names_the_package(rules, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    graph = explain(load_case(ANA, rules.catalog), rules, "westchester", "honor_detainer").graph
    with pytest.raises(EngineError, match="Graphviz.*apt-get install graphviz"):
        write_graph(render_derivation(graph), tmp_path / "ana.svg")


def test_unknown_graph_format_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    status, _, err = cli("explain", ANA, "westchester", "honor_detainer",
                         "--graph", str(tmp_path / "ana.gif"))
    assert status == 2 and "unknown format 'gif'" in err and "Fix:" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz binary not installed")
def test_svg_shows_section_labels_and_status_colour(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "ana.svg"
    assert cli("explain", ANA, "westchester", "honor_detainer", "--graph", str(target), "--detail", "full")[0] == 0
    root = ET.parse(target).getroot()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "westchester § 10(b)" in texts and "westchester § 1(d)" in texts
    assert "request(1,detainer)" in texts and "Legend" in texts
    fills = {p.get("fill") for p in root.iter(f"{SVG}ellipse")}
    assert "#d62728" in fills  # the forbidden conclusion


def test_bad_input_exits_2_with_a_fix(cli: Cli, cli_process: Cli, tmp_path: Path) -> None:
    status, _, err = cli_process("explain", ANA, "gotham", "honor_detainer")
    assert status == 2 and "unknown ordinance 'gotham'" in err and "Traceback" not in err
    status, _, err = cli("explain", ANA, "westchester", "honor_detainer", "--what-if",
                         "--fix", "shoe_size")
    assert status == 2 and "--fix shoe_size" in err
    status, _, err = cli("explain", ANA, "westchester", "honor_detainer", "--fix", "agency")
    assert status == 2 and "add --what-if" in err
    status, _, err = cli("explain", ANA, "westchester", "honor_detainer", "--what-if", "--max", "0")
    assert status == 2 and "--max 0" in err
    many = str(EXAMPLES / "interview-requests.yaml")
    status, _, err = cli("explain", many, "westchester", "permit_interview")
    assert status == 2 and "holds 2 cases" in err


def test_decide_explain_adds_reasons_to_non_silent_rows(cli: Cli) -> None:
    status, out, _ = cli("decide", ANA, "--ordinance", "westchester", "--format", "json", "--explain")
    rows = json.loads(out)["results"]
    assert status == 0
    for row in rows:
        assert ("reasons" in row) == (row["status"] != "silent")
    detainer = next(r for r in rows if r["action"] == "honor_detainer")
    assert "§ 10(b) forbids it" in detainer["reasons"]
    status, out, _ = cli("decide", ANA, "--ordinance", "westchester", "--explain")
    assert "Reasons" in out and "§ 10(b) forbids it" in out


def test_what_if_on_the_law_removes_cited_sections_and_re_decides(cli: Cli) -> None:
    status, out, _ = cli("explain", ANA, "westchester", "honor_detainer", "--what-if")
    assert status == 0
    assert "What if the law were different" in out and "  - without § 10(a)(2) and § 10(b): silent" in out


def test_what_if_on_the_law_removes_overlapping_sections_together(cli: Cli) -> None:
    case = str(EXAMPLES / "terrorism-task-force.yaml")
    status, out, _ = cli("explain", case, "westchester", "share_status_info", "--what-if",
                         "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert data["what_if"] == []
    assert data["what_if_sections"] == [{"without_sections": ["7(a)", "15"], "status": "silent"}]
