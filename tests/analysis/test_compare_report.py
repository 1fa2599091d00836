"""`ordinance compare` and `ordinance report`, and the bound on requests.

The report is opened in a real headless browser (Debian's Chromium): the page
must load, its matrix must have a row per ordinance, and its graphs must be
laid out with a visible size.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from engine.analysis.check import check
from engine.analysis.comparison import compare
from tests.conftest import ROOT, Cli

SEEDS = ("beacon", "westchester", "nyc", "trust-act")
CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)),
                None)


def test_compare_beacon_westchester_on_detainers(rules, cli: Cli, tmp_path) -> None:
    # Beacon 2(b)(ii) lets the police chief's terrorism finding lift section 2;
    # Westchester 10(b) has no such exception, so honoring the detainer stays forbidden.
    comparison = compare(rules, "beacon", "westchester", timeout=30, requests=2)
    pairs = {(d.action, d.first.status, d.second.status): d for d in comparison.differences}
    terror = pairs[("honor_detainer", "permitted", "forbidden")]
    assert "2(b)(ii)" in terror.first.sections and "10(b)" in terror.second.sections
    witness = terror.witness.to_dict()
    assert witness["person"] == {"terrorism": True}
    # the chief's finding, for the case or for the detainer (Beacon 2(b) reads it at the
    # request the hold rests on: READING beacon-2-one-act); the two witnesses are as small
    [request] = witness["requests"]
    assert (witness.get("determinations") or request.get("determinations")) == {"police_chief_probable_cause": True}
    path = tmp_path / "witness.json"
    path.write_text(json.dumps(witness), encoding="utf-8")
    status, out, err = cli("decide", str(path), "--format", "json")
    assert status == 0, err
    rows = {(r["ordinance"], r["action"]): r["status"] for r in json.loads(out)["results"]}
    assert rows[("beacon", "honor_detainer")] == "permitted"
    assert rows[("westchester", "honor_detainer")] == "forbidden"
    assert comparison.search.status == "complete"


def test_compare_same_ordinance_is_an_error(cli: Cli) -> None:
    status, _, err = cli("compare", "beacon", "beacon")
    assert status == 2 and "two different ordinances" in err


def test_compare_text(cli: Cli) -> None:
    status, out, err = cli("compare", "trust-act", "nyc")
    assert status == 0, err
    assert re.search(r"honor_detainer: trust-act forbidden \(2\(c\)\), "
                     r"nyc silent \(no section applies\)", out)


def test_two_requests_find_what_three_find(rules) -> None:
    """The bound on requests (2) loses no finding that a third request would add."""
    def findings(requests: int, ordinance: str, reading: str):
        result = check(rules, ordinance, against="usc-1373", reading=reading, requests=requests)
        return ({c.action for c in result.conflicts}, {(f.kind, f.action) for f in result.internal},
                len(result.dead_rules), result.gap_actions, result.gap_request_kinds)

    for ordinance in SEEDS:
        for reading in ("narrow", "broad"):
            assert findings(2, ordinance, reading) == findings(3, ordinance, reading), (ordinance, reading)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (.ci/run installs it)")
def test_report_renders_in_headless_chromium(cli: Cli, tmp_path) -> None:
    """The whole command, end to end (tests/analysis/test_report_page.py checks the page's structure)."""
    target = tmp_path / "report.html"
    status, out, err = cli("report", "--out", str(target), "--requests", "1", "--compare", "beacon:westchester")
    assert status == 0, err
    assert "1 comparisons" in out
    # the summary line on stderr (no progress line: stderr is not a terminal here)
    assert re.fullmatch(r"ordinance report: 8 checks, \d+ savings trials, 1 comparisons, \d+ graphs; [\d.]+ s\n", err)
    page = target.read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org", "") and "src=" not in page
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          target.as_uri()], capture_output=True, text=True, timeout=120).stdout
    marks = dict(re.findall(r'data-([a-z-]+)="(\d+)"', dom[dom.index("<body"):dom.index(">", dom.index("<body"))]))
    assert marks["matrix-rows"] == str(len(SEEDS)), dom[:500]
    assert marks["js-errors"] == "0" and marks["broken-links"] == "0"
    assert int(marks["graphs-rendered"]) == page.count('<figure class="graph"') >= 1
    assert marks["comparison-pairs"] == "1" and int(marks["comparison-graphs"]) >= 1
    assert "westchester" in dom and "notify_release: beacon § 3(a) (broad reading)" in dom
    comparisons = dom[dom.index('id="comparisons"'):]
    # Beacon 2(b)(ii)'s terrorism exception against Westchester 10(b), as `compare` finds it.
    assert re.search(r"beacon permits it \(§ 2\(b\)\(ii\)[^;]*, while westchester forbids it \(§ 10\(b\)\)",
                     comparisons)
    assert "beacon vs westchester" in comparisons


def test_report_needs_html_name(cli: Cli, tmp_path) -> None:
    status, _, err = cli("report", "--out", str(tmp_path / "report.pdf"))
    assert status == 2 and "end the name in .html" in err


def test_report_graph_is_the_witness_derivation_on_both_sides(rules) -> None:
    """A conflict's graph shows the local section, the federal one, and the facts they rest on."""
    from engine import parse_case
    from engine.render.report_html import finding_graph_svg

    witness = parse_case({"requests": [{"kind": "notification"}]}, rules.catalog, "witness", "witness")
    svg = finding_graph_svg(rules, witness, ["beacon", "usc-1373"], "notify_release", "broad")
    labels = set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert {"beacon § 3(a)", "usc&#45;1373 § 1373(a)", "request 1 asks to be notified of the release",
            "the broad reading of 8 U.S.C. 1373 is chosen"} <= labels  # the lawyer's view: in words
    assert {"beacon § 3(a) forbids it:", "usc&#45;1373 § 1373(a) and § 1373(b)(1) permit it:"} <= labels
    assert not [label for label in labels if "westchester" in label or "trust" in label]


def test_report_without_compare_says_how_to_add_comparisons(rules) -> None:
    from engine.render.report_html import render_report

    page = render_report(rules, [], [], [])
    assert 'id="comparisons"' in page and "--compare A:B" in page


def test_compare_pairs_are_checked(rules, cli: Cli, tmp_path) -> None:
    from engine.analysis.comparison import comparison_pairs

    assert comparison_pairs(rules, []) == []
    assert comparison_pairs(rules, ["nyc:beacon", "nyc:beacon"]) == [("nyc", "beacon")]
    every = comparison_pairs(rules, ["all"])
    assert len(every) == 6 and ("beacon", "westchester") in every
    target = str(tmp_path / "report.html")
    for value, message in (("beacon", "joined by ':'"), ("beacon:nowhere", "unknown ordinance 'nowhere'"),
                           ("nyc:nyc", "two different ordinances")):
        status, _, err = cli("report", "--out", target, "--compare", value)
        assert status == 2 and message in err, err


def test_compare_all_includes_user_ordinances() -> None:
    from engine.analysis.comparison import comparison_pairs
    from engine.core.rulebase import load_rule_base

    toy = load_rule_base([ROOT / "tests" / "toy_ordinance"], use_env=False)
    every = comparison_pairs(toy, ["all"])
    assert len(every) == 10 and ("beacon", "toy") in every and ("toy", "westchester") in every


def test_report_graphs_touch_clingo_in_one_thread_only(rules, monkeypatch) -> None:
    """The solves and drawings behind the report's graphs run in the calling thread: the rule
    bases share clingo AST nodes, which clingo does not guard against two threads (a full test
    run crashed in clingo's unpool when graphs were solved in a pool); Graphviz runs may use others."""
    import threading

    from engine import parse_case
    from engine.render import report_html

    seen: list[threading.Thread] = []
    drawing = report_html._finding_drawing

    def recorded(*arguments):
        seen.append(threading.current_thread())
        return drawing(*arguments)

    monkeypatch.setattr(report_html, "_finding_drawing", recorded)
    cases = [parse_case({"requests": [{"kind": kind}]}, rules.catalog, kind, kind)
             for kind in ("notification", "detainer", "transfer")]
    jobs = [(case, ("beacon", "usc-1373"), "notify_release", "broad") for case in cases]
    drawn = report_html._draw_all(rules, jobs)
    assert len(drawn) == 3 and all(svg.startswith("<svg") for svg in drawn.values())
    assert seen and set(seen) == {threading.current_thread()}
