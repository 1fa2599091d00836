"""The Python API as a notebook uses it (issue 13, item 3): short reprs, HTML tables with every user
text escaped, DataFrames, load_case with the built-in catalog, check and compare without a rule
base, counterfactuals in the vocabulary's words.  examples/notebook.ipynb itself is run by
tests/cli/test_notebook.py."""

from __future__ import annotations

import json
import shutil
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import clingo
import pytest

import engine
from engine import (Check, Comparison, RuleBase, check, compare, counterfactuals, decide, explain, load_case,
                    load_rule_base, parse_case)
from engine.analysis.findings import DeadRule, SearchReport, SearchStatus
from engine.core.errors import EngineError
from engine.explain.whatif import Change, Counterfactual, Counterfactuals
from engine.render.notebook import NO_DOT_NOTE
from tests.conftest import EXAMPLES, Cli

ANA = EXAMPLES / "ana-detainer.yaml"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz binary not installed")
#: A case id holding markup, a bidi override and a line break: none of it may act in the page.
HOSTILE_ID = "<script>alert(1)</script>\u202eevil\nline"
#: An ordinance whose section label and words hold markup (a --rules file a user wrote).
HOSTILE_RULES = '''
ordinance(evil, "evil", "Evil <b>ordinance</b>").
source(evil, "nowhere").
provision(evil, "1<i>", "<script>alert(2)</script> officers shall not honor detainers").
prohibits(evil, "1<i>", honor_detainer, Q) :- request(Q, detainer).
'''


class _Tags(HTMLParser):
    """The tags of an HTML fragment, to tell markup the module wrote from text a user wrote."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)


@pytest.fixture(scope="module")
def ana(rules: RuleBase):
    return load_case(ANA, rules.catalog)


@pytest.fixture(scope="module")
def hostile_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleBase:
    directory = tmp_path_factory.mktemp("hostile")
    (directory / "evil.lp").write_text(HOSTILE_RULES, encoding="utf-8")
    return load_rule_base([directory], use_env=False)


# --- load_case, check and compare with their defaults ------------------------------------------


def test_load_case_reads_against_the_built_in_catalog_by_default(rules: RuleBase) -> None:
    assert load_case(ANA) == load_case(ANA, rules.catalog)
    with pytest.raises(EngineError, match="holds 2 cases where one is expected"):
        load_case(EXAMPLES / "interview-requests.yaml")


def test_check_and_compare_are_exported_with_the_rule_base_optional(rules: RuleBase) -> None:
    assert engine.check is check and engine.compare is compare and "check" in engine.__all__
    without = check("westchester", against="usc-1373", requests=1, internal=False)
    given = check(rules, "westchester", against="usc-1373", requests=1, internal=False)
    assert isinstance(without, Check) and without.to_dict() == given.to_dict()
    assert without.timeout == 30.0  # the command line's default, as `ordinance check` has it
    with pytest.raises(TypeError, match=r"compare\(\) takes first and second"):
        compare("beacon")
    with pytest.raises(TypeError, match=r"check\(\) takes ordinance"):
        check(rules)


def test_compare_runs_with_the_command_lines_defaults(rules: RuleBase) -> None:
    found = compare(rules, "trust-act", "nyc", requests=1)
    assert isinstance(found, Comparison) and found.search.complete
    assert compare("trust-act", "nyc", requests=1).to_dict() == found.to_dict()
    assert (found.requests, found.timeout, found.reading) == (1, 30.0, "narrow")


def test_a_comparison_shows_the_relation_on_each_action(rules: RuleBase) -> None:
    found = compare(rules, "trust-act", "nyc", requests=1)
    overall = found.overall[0]
    assert repr(found).endswith(f"; over all actions: {overall}>")
    shown = found._repr_html_()
    assert "<th style=\"text-align:left\">relation</th>" in shown and "Every action at once: " in shown
    for relation in found.relations:  # one row per action, with its relation in words
        assert f"<td style=\"text-align:left\">{relation.action}</td>" in shown


# --- reprs ----------------------------------------------------------------------------------------


def test_a_decision_repr_is_one_short_line_of_counts(rules: RuleBase, ana) -> None:
    decision = decide(ana, rules)
    text = repr(decision)
    counts = {status: sum(r.status == status for r in decision.results) for status in ("forbidden", "silent")}
    assert text.startswith("<Decision ana-detainer: ") and text.endswith(" over 4 ordinances>")
    assert f"{counts['forbidden']} forbidden" in text and f"{counts['silent']} silent" in text
    assert len(text) < 120 and "\n" not in text
    assert repr(decide(parse_case({}, rules.catalog, "t", HOSTILE_ID), rules)).startswith(
        "<Decision <script>alert(1)</script>\\u202eevil\\nline: ")  # one line, what the id holds shown


def test_explanation_check_and_comparison_reprs_are_short(rules: RuleBase, ana) -> None:
    why = explain(ana, rules, "westchester", "honor_detainer")
    assert repr(why) == ("<Explanation ana-detainer: honor_detainer is forbidden under westchester; "
                         ".text for the reasons>")
    found = check(rules, "beacon", against="usc-1373", reading="broad", requests=1, internal=False)
    assert repr(found) == "<Check beacon against usc-1373, broad reading: 2 conflicts>"
    timed_out = SearchReport(SearchStatus.TIMED_OUT, ("notify_release",))
    comparison = Comparison("a", "b", "narrow", (), timed_out, 1, 1.0)
    assert repr(comparison) == "<Comparison a vs b, narrow reading: 0 differences; the search TIMED OUT>"


def test_counterfactuals_print_in_the_vocabularys_words(rules: RuleBase) -> None:
    case = parse_case({"requests": [{"kind": "detainer"}]}, rules.catalog, "doc", "doc")
    found = counterfactuals(case, rules, "westchester", "honor_detainer", limit=1)
    assert str(found[0]) == "permitted if also: request 1 is accompanied by a judicial warrant"
    assert repr(found) == "[<Counterfactual permitted if also: request 1 is accompanied by a judicial warrant>]"
    # Without the words of a rule base, a fact is named as a case file names it.
    bare = Counterfactual((Change(True, clingo.parse_term("request_has(1,judicial_warrant)")),
                           Change(False, clingo.parse_term("agency(police)"))), case, "permitted")
    assert str(bare) == "permitted if also: requests.judicial_warrant (request 1); no longer: agency: police"


# --- HTML -----------------------------------------------------------------------------------------


def test_a_decision_shows_as_a_table_of_its_non_silent_rows(rules: RuleBase, ana) -> None:
    decision = decide(ana, rules, ordinances=["westchester"])
    html = decision._repr_html_()
    assert html.startswith('<div class="ordinance-engine decision">')
    assert "<td style=\"text-align:left\">honor_detainer</td>" in html and "10(a)(2) 10(b)" in html
    assert ">forbidden</span>" in html and ">obligated</span>" in html
    silent = sum(r.status == "silent" for r in decision.results)
    assert f"{silent} silent pairs not shown" in html and "certify_u_visa" not in html  # a silent row
    assert "restrictions" in html  # notify_release is restricted by 11(b)


def test_user_text_is_escaped_in_every_table(rules: RuleBase, hostile_rules: RuleBase) -> None:
    case = parse_case({"id": HOSTILE_ID, "requests": [{"kind": "detainer"}]}, hostile_rules.catalog, "t", "t")
    decision = decide(case, hostile_rules, ordinances=["evil"])
    html = decision._repr_html_()
    assert _Tags(html).tags <= {"div", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "span", "em"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\u202eevil\\nline" in html and "1&lt;i&gt;" in html
    dead = DeadRule(("2<b>",), "evil.lp:3", "prohibits(evil, \"2<b>\", x, case) :- <script>.")
    found = Check("evil<i>", None, "narrow", (), 1, 1.0, None, None, (), SearchReport(), (dead,), (), (),
                  SearchReport())
    page = found._repr_html_()
    assert "script" not in _Tags(page).tags and "b" not in _Tags(page).tags and "i" not in _Tags(page).tags
    assert "Check of evil&lt;i&gt;" in page and ":- &lt;script&gt;." in page


@needs_dot
def test_an_explanation_shows_its_reasons_and_its_graph(rules: RuleBase, ana) -> None:
    html = explain(ana, rules, "westchester", "honor_detainer")._repr_html_()
    assert "Why honor_detainer is forbidden under westchester" in html
    assert "§ 10(b) forbids it" in html and "&quot;shall not Detain or Transfer" in html  # the reasons, quoting
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "westchester § 10(b)" in svg and "<?xml" not in html and "<!--" not in html


@needs_dot
def test_an_explanation_of_hostile_rules_draws_no_markup_of_theirs(hostile_rules: RuleBase) -> None:
    case = parse_case({"id": HOSTILE_ID, "requests": [{"kind": "detainer"}]}, hostile_rules.catalog, "t", "t")
    html = explain(case, hostile_rules, "evil", "honor_detainer")._repr_html_()
    tags = _Tags(html).tags
    assert "script" not in tags and "i" not in tags and "b" not in tags
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # the section's words, shown as written


def test_without_graphviz_an_explanation_says_why_there_is_no_graph(rules: RuleBase, ana, monkeypatch) -> None:
    import graphviz

    def missing(*_args, **_kwargs):
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    html = explain(ana, rules, "westchester", "honor_detainer")._repr_html_()
    assert "<svg" not in html and "§ 10(b) forbids it" in html
    assert escape(NO_DOT_NOTE) in html and "not installed" in NO_DOT_NOTE


def test_a_check_shows_each_finding_with_its_witness(rules: RuleBase) -> None:
    html = check(rules, "beacon", against="usc-1373", reading="broad", requests=1)._repr_html_()
    assert "Check of beacon against usc-1373" in html and "broad reading of 8 U.S.C. 1373" in html
    assert "share_nonpublic_info" in html and "forbidden by 3(a); protected by 1373(a)" in html
    assert "&quot;kind&quot;: &quot;notification&quot;" in html and "minimal, 1 fact" in html  # the witness JSON
    assert "No conflicts or tensions: proved" in html and "Dead rules" in html


def test_a_comparison_shows_both_sides_of_each_difference(rules: RuleBase) -> None:
    found = compare(rules, "trust-act", "nyc", requests=1)
    html = found._repr_html_()
    assert f"trust-act vs nyc: {len(found.differences)} differences" in html
    first = found.differences[0]
    assert f"<td style=\"text-align:left\">{first.action}</td>" in html
    assert "<th style=\"text-align:left\">nyc sections</th>" in html and "no section applies" in html


def test_counterfactuals_show_as_a_numbered_table(rules: RuleBase) -> None:
    case = parse_case({"requests": [{"kind": "detainer"}]}, rules.catalog, "doc", "doc")
    html = counterfactuals(case, rules, "westchester", "honor_detainer", limit=1)._repr_html_()
    assert ">permitted</span>" in html and "also: request 1 is accompanied by a judicial warrant" in html
    assert "TIMED OUT" in Counterfactuals([], complete=False)._repr_html_()
    assert "No change to the case" in Counterfactuals([])._repr_html_()


# --- DataFrames -----------------------------------------------------------------------------------


def test_a_decision_as_a_dataframe_has_the_jsons_fields(rules: RuleBase, ana) -> None:
    pytest.importorskip("pandas")
    decision = decide(ana, rules)
    frame = decision.to_pandas()
    assert list(frame.columns) == ["case", "ordinance", "action", "status", "sections", "exceptions", "tensions",
                                   "restrictions", "items"]
    assert len(frame) == len(decision.results)
    row = frame[(frame.ordinance == "westchester") & (frame.action == "honor_detainer")].iloc[0]
    assert (row.case, row.status, list(row.sections)) == ("ana-detainer", "forbidden", ["10(a)(2)", "10(b)"])
    assert type(row.status) is str  # a plain word, not the Status enum


def test_without_pandas_a_dataframe_names_the_extra(rules: RuleBase, ana, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ModuleNotFoundError, match=r"Fix: pip install 'ordinance-engine\[notebook\]'"):
        decide(ana, rules, ordinances=["westchester"]).to_pandas()
    from engine.batch import rows_to_pandas

    with pytest.raises(ModuleNotFoundError, match="notebook"):
        rows_to_pandas([])


def test_batch_output_reads_back_the_same_from_json_lines_and_csv(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from engine.batch import read_rows

    inputs = str(EXAMPLES / "batch" / "with-errors.jsonl")
    for name in ("rows.jsonl", "rows.csv"):
        assert cli("batch", inputs, "--ordinance", "westchester", "--out", str(tmp_path / name), "--quiet").status == 0
    lines, table = read_rows(tmp_path / "rows.jsonl"), read_rows(tmp_path / "rows.csv")
    shared = ["case", "ordinance", "action", "status", "sections", "exceptions", "tensions", "error"]
    assert list(table.columns) == shared and list(lines.columns) == [*shared[:7], "restrictions", "items", "error"]
    assert lines[shared].astype(str).values.tolist() == table.astype(str).values.tolist()
    typo = lines[lines.case == "typo"].iloc[0]
    assert typo.status == "error" and "field 'person.convictions[0]': unknown value 'jaywalking'" in typo.error
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(len(r.get("results", [None])) for r in rows) == len(lines)


def test_batch_rows_in_memory_keep_silent_cases_and_derivations(rules: RuleBase) -> None:
    pytest.importorskip("pandas")
    from engine.batch import BatchOptions, decide_partition, rows_to_pandas

    rows = decide_partition([{"id": "ana", "requests": [{"kind": "detainer"}]}],
                            BatchOptions(ordinances=("westchester",), explain=True))
    frame = rows_to_pandas([*rows, {"case": "quiet", "results": []}])
    assert "derivation" in frame.columns
    honor = frame[frame.action == "honor_detainer"].iloc[0]
    assert 'decided_by(westchester,honor_detainer,"10(b)")' in [firing["head"] for firing in honor.derivation]
    quiet = frame[frame.case == "quiet"]
    assert len(quiet) == 1 and quiet.iloc[0].status == "silent"


def test_read_rows_refuses_what_batch_did_not_write(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from engine.batch import read_rows

    with pytest.raises(EngineError, match=r"cases.jsonl:1: not a row of `ordinance batch`"):
        read_rows(EXAMPLES / "batch" / "cases.jsonl")
    with pytest.raises(EngineError, match=r"cases.csv:1: not the header of `ordinance batch --format csv`"):
        read_rows(EXAMPLES / "batch" / "cases.csv")
    with pytest.raises(EngineError, match="unknown output type '.yaml'"):
        read_rows(ANA)
    cut = tmp_path / "cut.jsonl"
    cut.write_text('{"case":"a","results":[]}\n{"case":"b","res', encoding="utf-8")
    with pytest.raises(EngineError, match=r"cut.jsonl:2: not JSON .*--resume"):
        read_rows(cut)
