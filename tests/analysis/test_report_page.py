"""The HTML report as a document a reader navigates (issue 13, item 1).

One small page, rendered once: the toy ordinance's checks under both readings (a
conflict with 8 U.S.C. 1373, an internal conflict and a tension), Westchester's
savings clauses, and a comparison of the toy with a twin that keeps only its
section 3 (three differences).  The page is read back with Python's HTML parser:
every link lands on an id, one legend, every finding a <details> with the law's
words, the witness in words and as JSON that parses to the witness, a graph; the
comparison matrix links each row to its witness.  Then it is opened in headless
Chromium, whose script marks the page with what it laid out and any error.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine import load_rule_base
from engine.analysis.check import READINGS, check
from engine.analysis.comparison import compare
from engine.analysis.findings import Check, Comparison, SavingsTrial
from engine.analysis.savings import savings_analysis
from engine.render.progress import StepProgress
from engine.core.rulebase import RuleBase
from engine.render.report_html import render_report
from tests.conftest import ROOT

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)),
                None)

#: The toy ordinance's section 3 alone: it agrees with the toy on honor_detainer only.
TWIN = '''
ordinance(twin, "twin", "Twin of the toy ordinance: its section 3 alone (tests only)").
source(twin, "tests/analysis/test_report_page.py").
provision(twin, "3", "Officers shall not honor detainers").
prohibits(twin, "3", honor_detainer, Q) :- request(Q, detainer).
'''


# --- the page as a tree -------------------------------------------------------------------------

VOID = frozenset({"meta", "br", "img", "input", "hr", "link", "col", "source", "wbr", "area", "base"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        """Every element below (not this one) with the tag and class."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.attrs.get("class", "").split()):
                    found.append(child)
                found += child.all(tag, cls)
        return found


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.stack == [tree.root], "unclosed elements"
    return tree.root


def by_id(root: Node) -> dict[str, Node]:
    ids: dict[str, Node] = {}
    for node in root.all():
        if "id" in node.attrs:
            assert node.attrs["id"] not in ids, f"id {node.attrs['id']} twice"
            ids[node.attrs["id"]] = node
    return ids


# --- the page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    rules: RuleBase
    checks: list[Check]
    trials: list[SavingsTrial]
    comparison: Comparison
    page: str
    root: Node
    ids: dict[str, Node]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (.ci/run installs it)")
    twin = tmp_path_factory.mktemp("twin")
    (twin / "twin.lp").write_text(TWIN, encoding="utf-8")
    rules = load_rule_base([ROOT / "tests" / "toy_ordinance", twin], use_env=False)
    checks = [check(rules, "toy", against="usc-1373", reading=reading, requests=1) for reading in READINGS]
    trials = list(savings_analysis(rules, "westchester", "usc-1373", READINGS, timeout=30, requests=1))
    comparison = compare(rules, "toy", "twin", requests=1)
    page = render_report(rules, checks, trials, [comparison])
    root = parse(page)
    return Report(rules, checks, trials, comparison, page, root, by_id(root))


def test_the_setup_has_every_kind_of_finding(report: Report) -> None:
    kinds = {f.kind for c in report.checks for f in c.internal}
    assert kinds == {"conflict", "tension"}
    assert all(c.conflicts for c in report.checks)
    assert any(t.load_bearing for t in report.trials) and any(t.load_bearing is False for t in report.trials)
    assert len(report.comparison.differences) >= 2


def test_every_link_lands_on_an_id(report: Report) -> None:
    links = [a.attrs["href"] for a in report.root.all("a") if a.attrs.get("href", "").startswith("#")]
    assert links
    assert not [href for href in links if href[1:] not in report.ids]
    assert not [a for a in report.root.all("a") if not a.attrs.get("href", "#").startswith("#")]  # self-contained


def test_the_sidebar_links_to_every_section_and_finding(report: Report) -> None:
    [sidebar] = [n for n in report.root.all("nav") if n.attrs.get("id") == "sidebar"]
    targets = {a.attrs["href"][1:] for a in sidebar.all("a")}
    assert {"matrix", "savings", "findings", "legend", "comparisons"} <= targets
    local = {d.attrs["id"] for d in report.ids["findings"].all("details", "finding")}
    assert local and local <= targets
    assert {s.attrs["id"] for s in report.root.all("section", "pair")} <= targets
    assert {s.attrs["id"] for s in report.root.all("section", "ordinance")} <= targets
    # the matrix comes first in the page and in the sidebar
    sections = [n.attrs["id"] for n in report.root.all("section") if n.attrs.get("id") in targets]
    assert sections[0] == "matrix"


def test_one_legend_for_the_whole_page(report: Report) -> None:
    assert report.page.count(">Legend</text>") == 1
    assert "Legend" in report.ids["legend"].all("figure")[0].all("svg")[0].text()
    graphs = report.root.all("figure", "graph")
    assert graphs and not [g for g in graphs if "Legend" in g.text()]


def test_every_finding_is_a_details_with_the_law_the_witness_and_its_graph(report: Report) -> None:
    catalog = report.rules.catalog
    findings = report.root.all("details", "finding")
    witnesses = ([c.witness for ch in report.checks for c in ch.conflicts or ()]
                 + [f.witness for ch in report.checks for f in ch.internal]
                 + [d.witness for d in report.comparison.differences])
    # the same internal finding under both readings is shown once
    internal = {(f.kind, f.action, f.witness) for ch in report.checks for f in ch.internal}
    assert len(findings) == (sum(len(ch.conflicts or ()) for ch in report.checks) + len(internal)
                             + len(report.comparison.differences))
    shown = []
    for details in findings:
        assert details.all("summary")
        quotes = details.all("blockquote")
        assert quotes, details.attrs["id"]
        for quote in quotes:
            label = quote.all("cite")[0].text()
            ordinance, section = label.split(" ", 1)
            words = catalog.ordinances[ordinance].sections[section.removeprefix("§ ")]
            assert quote.all("p")[0].text() == words
        [pre] = details.all("pre")
        witness = json.loads(pre.text())
        shown.append(witness)
        assert details.all("ul", "facts") or "states no facts" in details.text()
        [figure] = details.all("figure", "graph")
        assert figure.all("svg") and figure.all("a")  # the graph, and the links to open or zoom it
    assert len(shown) == len(findings)
    assert set(map(json.dumps, shown)) == {json.dumps(w.to_dict()) for w in witnesses}


def test_a_finding_states_it_in_words_with_the_witness_in_the_vocabulary_words(report: Report) -> None:
    [conflict] = [d for d in report.root.all("details", "k-federal") if "narrow" in d.all("summary")[0].text()]
    statement = conflict.all("p", "statement")[0].text()
    assert statement == ("In the witness case below, toy forbids it (§ 6), while usc-1373 protects it "
                         "(§ 1373(a), § 1373(b)(1)). Under the narrow reading of usc-1373 this is a conflict.")
    facts = [li.text() for li in conflict.all("ul", "facts")[0].all("li")]
    assert facts == [report.rules.catalog.descriptions[("agency", "police")]]
    assert report.rules.catalog.actions["share_status_info"] in conflict.all("p", "act")[0].text()
    [tension] = report.root.all("details", "k-tension")
    assert "under the narrow and broad readings" in tension.all("p", "statement")[0].text()


def test_the_matrix_links_each_conflict_to_its_finding(report: Report) -> None:
    [row] = report.ids["matrix"].all("tbody")[0].all("tr")
    cells = row.all("td")
    for reading, cell in zip(READINGS, cells):
        [link] = cell.all("a")
        target = report.ids[link.attrs["href"][1:]]
        assert target.tag == "details" and link.text() == "share_status_info"
        assert f"({reading} reading)" in target.all("summary")[0].text()
    internal = {a.text(): report.ids[a.attrs["href"][1:]] for a in cells[-1].all("a")}
    assert set(internal) == {"conflict: report_request", "tension: honor_detainer"}


def test_savings_show_load_bearing_first_and_group_the_rest(report: Report) -> None:
    rows = report.ids["savings"].all("tbody")[0].all("tr")
    verdicts = [[td.text() for td in row.all("td")[2:]] for row in rows]
    assert verdicts and all(any(v.startswith("load-bearing") for v in row) for row in verdicts)
    bearing = {t.removed for t in report.trials if t.load_bearing}
    quiet = {t.removed for t in report.trials} - bearing
    assert len(rows) == len(bearing)
    [group] = report.ids["savings"].all("details", "quiet")
    assert group.all("summary")[0].text() == f"{len(quiet)} more, not load-bearing under either reading"
    listed = group.all("li")[0].text()
    assert all(" + ".join(removed) in listed for removed in quiet)


def test_the_comparison_matrix_links_each_difference_to_its_witness(report: Report) -> None:
    [pair] = report.root.all("section", "pair")
    [table] = pair.all("table", "statuses")
    rows = table.all("tbody")[0].all("tr")
    assert len(rows) == len(report.comparison.differences)
    for row, difference in zip(rows, report.comparison.differences):
        first, second = row.all("td")[:2]
        link = first.all("a")[0]
        assert link.text() == difference.first.status and second.all("a")[0].text() == difference.second.status
        target = report.ids[link.attrs["href"][1:]]
        assert "k-difference" in target.attrs["class"]
        assert json.loads(target.all("pre")[0].text()) == difference.witness.to_dict()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_the_page_renders_in_headless_chromium_without_script_errors(report: Report, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text(report.page, encoding="utf-8")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                           target.as_uri()], capture_output=True, text=True, timeout=120)
    dom = done.stdout
    marks = dict(re.findall(r'data-([a-z-]+)="(\d+)"', dom[dom.index("<body"):dom.index(">", dom.index("<body"))]))
    assert marks.get("js-errors") == "0", (marks, done.stderr[-2000:])
    assert marks["broken-links"] == "0"
    assert int(marks["graphs-rendered"]) == len(report.root.all("figure", "graph"))
    assert int(marks["comparison-graphs"]) == len(report.comparison.differences)
    assert marks["matrix-rows"] == "1" and marks["comparison-pairs"] == "1"
    # the findings are closed again once measured
    assert "<details open" not in dom and "open=\"\"" not in dom


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_drawn_in_place_and_cleared() -> None:
    stream = _Terminal()
    progress = StepProgress(stream, enabled=True, interval=0.0)
    progress("graphs", 1, 4)
    progress("graphs", 4, 4)
    progress.clear()
    text = stream.getvalue()
    assert text.startswith("\rordinance report: graphs 1/4") and "left for graphs" in text
    assert "graphs 4/4" in text and text.endswith("\r\033[K") and "\n" not in text
    assert progress.totals == {"graphs": 4}
    quiet = io.StringIO()
    silent = StepProgress(quiet, enabled=False)
    silent("checks", 1, 8)
    silent.clear()
    assert quiet.getvalue() == "" and silent.totals == {"checks": 8}
