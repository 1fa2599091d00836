"""Everything a user wrote is escaped wherever it is written: DOT, SVG, HTML, terminal (issue 12, item 5).

The hostile texts are a case id and the strings of a ``--rules`` file (title,
section labels, section words): a line break that would end the DOT comment
and start a graph of the user's own, a backslash that would escape the DOT
string's closing quote, HTML markup, and terminal escape sequences.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine import load_rule_base
from engine.analysis.check import READINGS, check
from engine.core.errors import CaseError, EngineError
from engine.core.printable import printable
from engine.render.json_text import json_line, json_text
from engine.render.report_html import finding_graph_svg, render_report
from engine.render.table import format_table
from tests.conftest import EXAMPLES, Cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz binary not installed")
SVG = "{http://www.w3.org/2000/svg}"

#: A case id that, written raw after the DOT comment's ``//``, is a graph of its own with a link.
INJECTING_ID = 'x\ndigraph { a [label=pwned URL="javascript:alert(1)"] }'
#: A case id with what a terminal acts on: colour codes (ESC, and the C1 CSI), a bidi override,
#: a line separator and a line break.
TERMINAL_ID = "a\x1b[31mRED\x1b[0m\u202eevil\u2028\x9b2J\nz"
#: An ordinance whose texts end in a backslash and hold markup and an ESC; section 2 conflicts
#: with 8 U.S.C. 1373 (a police agency may not share status information), so the report draws it.
HOSTILE_RULES = r'''
ordinance(evil, "evil", "Evil <script>alert(1)</script> \x1b[31m title\\").
source(evil, "nowhere\\").
provision(evil, "1\\", "<script>alert(2)</script> officers shall not honor detainers\\").
prohibits(evil, "1\\", honor_detainer, Q) :- request(Q, detainer).
provision(evil, "2", "<a href=\"javascript:alert(3)\">police</a> shall not share status\\").
prohibits(evil, "2", share_status_info, case) :- agency(police).
'''.replace("\\x1b", "\x1b")


def _case(tmp_path: Path, case_id: str) -> Path:
    """The Ana example (a detainer; decided by every seed ordinance) under another id."""
    import yaml

    data = {**yaml.safe_load((EXAMPLES / "ana-detainer.yaml").read_text(encoding="utf-8")), "id": case_id}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    (directory / "evil.lp").write_text(HOSTILE_RULES, encoding="utf-8")
    return directory


def _svg_texts(path: Path) -> str:
    """The text an SVG shows (it must be well-formed XML), one line per <text>."""
    return "\n".join(t.text or "" for t in ET.parse(path).iter(f"{SVG}text"))


def _graphs_and_nodes(dot_source: str) -> tuple[int, int]:
    """How many graphs and nodes Graphviz reads in a DOT source (its `plain` output)."""
    plain = subprocess.run(["dot", "-Tplain"], input=dot_source, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    return (sum(line.startswith("graph ") for line in plain), sum(line.startswith("node ") for line in plain))


# --- the helpers, one per output kind -----------------------------------------------------------


def test_printable_shows_what_a_terminal_would_act_on() -> None:
    assert printable(TERMINAL_ID) == "a\\x1b[31mRED\\x1b[0m\\u202eevil\\u2028\\x9b2J\\nz"
    assert printable("\ud800\t\u200b\U000e0001\x7f") == "\\ud800\\t\\u200b\\U000e0001\\x7f"
    # letters, accents, emoji, other spaces and backslashes are written as they are
    assert printable("Zoë § 3(a) 🙂 a\u00a0b c\\d") == "Zoë § 3(a) 🙂 a\u00a0b c\\d"
    assert printable("one\ntwo\x1b", keep="\n") == "one\ntwo\\x1b"


def test_json_escapes_hidden_characters_and_reads_back_the_same() -> None:
    data = {"case": TERMINAL_ID + "\ud800\U000e0001", "words": "Zoë 🙂"}
    for text in (json_text(data), json_line(data)):
        assert json.loads(text) == data
        assert all(line.isprintable() for line in text.splitlines())
    assert "Zoë 🙂" in json_line(data)


def test_table_cells_are_one_line_and_aligned() -> None:
    table = format_table(("id", "status"), [("a\nb\x1b", "x"), ("c", "y")])
    assert table.splitlines() == ["id        status", "--------  ------", "a\\nb\\x1b  x", "c         y"]


def test_error_messages_escape_what_the_user_wrote() -> None:
    error = CaseError("cases.json (case 'a\nb')", "requests[0].k\x1bind", "unknown field", "remove it")
    assert str(error) == ("cases.json (case 'a\\nb'): field 'requests[0].k\\x1bind': unknown field. "
                          "Fix: remove it")
    assert error.where == "cases.json (case 'a\nb')"  # the values themselves are kept as given
    assert str(EngineError("two problems:\n  \u202ex\n  y")) == "two problems:\n  \\u202ex\n  y"


@needs_dot
@pytest.mark.parametrize("text", ["\\", "ends in a backslash\\", "\\N \\G \\l \\n", "<b>not html</b>",
                                  "<<b>x</b>>", '"', '\\"', 'a"\\', "node", "\x1b[31mred", "x\u2028y"])
def test_dot_text_is_drawn_as_written(text: str, tmp_path: Path) -> None:
    import graphviz

    from visualize.dot_text import dot_text

    dot = graphviz.Digraph()
    dot.node("n", dot_text(text))
    assert _graphs_and_nodes(dot.source) == (1, 1)
    svg = tmp_path / "n.svg"
    svg.write_bytes(dot.pipe(format="svg"))
    assert _svg_texts(svg) == printable(text)


# --- DOT and SVG --------------------------------------------------------------------------------


@needs_dot
def test_a_line_break_in_the_id_cannot_add_a_graph(cli: Cli, tmp_path: Path) -> None:
    plain, hostile = tmp_path / "plain.dot", tmp_path / "hostile.dot"
    assert cli("decide", str(_case(tmp_path, "plain")), "--graph", str(plain)).status == 0
    assert cli("decide", str(_case(tmp_path, INJECTING_ID)), "--graph", str(hostile)).status == 0
    assert _graphs_and_nodes(hostile.read_text()) == _graphs_and_nodes(plain.read_text())
    assert hostile.read_text().splitlines()[0] == "// case x\\ndigraph { a [label=pwned URL=\"javascript:alert(1)\"] }"
    svg = tmp_path / "hostile.svg"
    status, _, err = cli("decide", str(_case(tmp_path, INJECTING_ID)), "--graph", str(svg))
    assert status == 0, err
    drawn = svg.read_text()
    assert drawn.count("<svg") == 1 and "pwned" not in drawn and "javascript:" not in drawn


@needs_dot
def test_a_final_backslash_in_rule_texts_renders(cli: Cli, tmp_path: Path, hostile_dir: Path) -> None:
    decision, derivation = tmp_path / "decision.svg", tmp_path / "derivation.svg"
    case = str(_case(tmp_path, "plain\\"))
    status, _, err = cli("decide", case, "--rules", str(hostile_dir), "--ordinance", "evil",
                         "--graph", str(decision))
    assert status == 0, err
    assert "evil 1\\" in _svg_texts(decision).splitlines()
    for detail in ("lawyer", "full"):
        status, _, err = cli("explain", case, "evil", "honor_detainer", "--rules", str(hostile_dir),
                             "--graph", str(derivation), "--detail", detail)
        assert status == 0, err
        shown = _svg_texts(derivation).splitlines()
        # the section's label and words, each line as written (a backslash neither lost nor joining lines)
        assert "evil 1\\" in shown and any(line.endswith('honor detainers\\"') for line in shown), detail
        assert any(line.startswith('"<script>alert(2)</script> officers shall not') for line in shown), detail
        assert not list(ET.parse(derivation).iter(f"{SVG}script"))


# --- HTML ---------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@needs_dot
def test_the_report_has_no_markup_from_rule_files(hostile_dir: Path) -> None:
    rules = load_rule_base([hostile_dir], use_env=False)
    checks = [check(rules, "evil", against="usc-1373", reading=reading, requests=1) for reading in READINGS]
    assert [c.action for c in checks[0].conflicts] == ["share_status_info"]  # so the page draws its graph
    page = render_report(rules, checks, [])
    tags = _Tags()
    tags.feed(page)
    assert [tag for tag, _ in tags.tags].count("script") == 1  # the page's own self-check
    assert not [(tag, attrs) for tag, attrs in tags.tags if tag == "a" and any(
        "javascript" in (value or "") for _, value in attrs)]
    assert "&lt;a href=&quot;javascript:alert(3)&quot;&gt;police&lt;/a&gt;" in page  # shown as text


def test_a_graphviz_failure_is_not_reported_as_a_missing_install(monkeypatch, rules) -> None:
    import graphviz

    from engine import load_case

    case = load_case(EXAMPLES / "ana-detainer.yaml", rules.catalog)

    def fail(*_args, **_kwargs):
        raise graphviz.CalledProcessError(1, ["dot"], stderr=b"Error: syntax error in line 2")

    monkeypatch.setattr(graphviz.Digraph, "pipe", fail)
    with pytest.raises(EngineError) as failed:
        finding_graph_svg(rules, case, ("westchester",), "honor_detainer", "narrow")
    assert "could not draw" in str(failed.value) and "install" not in str(failed.value)

    def missing(*_args, **_kwargs):
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    with pytest.raises(EngineError, match="not installed. Fix: install the Graphviz package"):
        finding_graph_svg(rules, case, ("westchester",), "honor_detainer", "narrow")


# --- terminal -----------------------------------------------------------------------------------


def test_decide_text_prints_no_terminal_escapes(cli: Cli, tmp_path: Path) -> None:
    status, out, err = cli("decide", str(_case(tmp_path, TERMINAL_ID)), "--explain")
    assert status == 0, err
    assert out.splitlines()[0] == "Case " + printable(TERMINAL_ID)
    assert not {"\x1b", "\x9b", "\u202e", "\u2028"} & set(out)


def test_explain_check_and_list_print_no_terminal_escapes(cli: Cli, tmp_path: Path, hostile_dir: Path) -> None:
    case = str(_case(tmp_path, TERMINAL_ID))
    for argv in (("explain", case, "evil", "honor_detainer", "--what-if"), ("list",),
                 ("check", "evil", "--against", "usc-1373", "--requests", "1"),
                 ("compare", "evil", "beacon", "--requests", "1")):
        status, out, err = cli(*argv, "--rules", str(hostile_dir))
        assert status == 0, (argv, err)
        assert "\x1b" not in out + err, argv
    assert "Evil <script>alert(1)</script> \\x1b[31m title\\" in cli("list", "--rules", str(hostile_dir)).out


def test_json_output_keeps_the_id_and_prints_no_terminal_escapes(cli: Cli, tmp_path: Path) -> None:
    status, out, err = cli("decide", str(_case(tmp_path, TERMINAL_ID)), "--format", "json")
    assert status == 0, err
    assert json.loads(out)["case"] == TERMINAL_ID
    assert not {"\x1b", "\x9b", "\u202e", "\u2028"} & set(out)


def test_error_for_a_bad_case_prints_no_terminal_escapes(cli_process: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"id": TERMINAL_ID, "agency": "police\x1b[2J"}), encoding="utf-8")
    status, out, err = cli_process("decide", str(path))
    assert status == 2 and "Traceback" not in err
    assert "\x1b" not in err and "\u202e" not in err and len(err.splitlines()) == 1, err
