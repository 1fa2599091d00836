"""The command line's conventions (docs/cli.md): --version, `-` for standard input, "did you
mean" for a mistyped name, --fail-on for CI, --switch checked everywhere, decide's CSV and
Markdown tables, an example in every command's help."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import engine
from engine.analysis.findings import Check, Comparison, SearchReport
from engine.analysis.gate import gate_checks, gate_comparison
from engine.cli import EXIT_BAD_INPUT, EXIT_FAILURE_FOUND, EXIT_OK, build_parser
from engine.commands import COMMANDS, checking
from tests.conftest import EXAMPLES, ROOT, Cli

ANA = str(EXAMPLES / "ana-detainer.yaml")
INTERVIEWS = str(EXAMPLES / "interview-requests.yaml")


# --version ---------------------------------------------------------------------------------

def test_version_is_the_installed_package_version_and_decide_does_not_read_package_metadata() -> None:
    assert engine.__version__ == version("ordinance-engine")
    done = subprocess.run([sys.executable, "-m", "engine", "--version"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"ordinance {version('ordinance-engine')}\n"
    probe = ("import sys; from engine.cli import main; status = main(['decide', %r]); "
             "print('metadata imported' if 'importlib.metadata' in sys.modules else 'not imported', status)" % ANA)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "not imported 0"


# did you mean ----------------------------------------------------------------------------

@pytest.mark.parametrize("argv, suggestion", [
    (["decid", ANA], "'decide'"),
    (["decide", ANA, "--format", "cvs"], "'csv'"),
    (["decide", ANA, "--ordinance", "westchster"], "'westchester'"),
    (["decide", ANA, "--switch", "westchster_inmate=role"], "'westchester_inmate'"),
    (["decide", ANA, "--switch", "westchester_inmate=rol"], "'role'"),
    (["facts", ANA, "--switch", "usc_1373=brod"], "'broad'"),
    (["explain", ANA, "westchster", "honor_detainer"], "'westchester'"),
    (["explain", ANA, "westchester", "honor_detainr"], "'honor_detainer'"),
    (["explain", ANA, "westchester", "honor_detainer", "--what-if", "--switch", "trust_act2b=x"], "'trust_act_2b'"),
    (["check", "westchster"], "'westchester'"),
    (["check", "beacon", "--against", "usc1373"], "'usc-1373'"),
    (["check", "beacon", "--against", "usc-1373", "--drop", "3(a)(1)"], "'3(a)(i)'"),
    (["check", "--all", "--switch", "westchester_inmat=role"], "'westchester_inmate'"),
    (["check", "beacon", "--fail-on", "conflcit"], "'conflict'"),
    (["compare", "beacon", "westchster"], "'westchester'"),
    (["compare", "beacon", "westchester", "--drop", "15a"], "'westchester:15'"),
    (["compare", "beacon", "westchester", "--drop-exceptions", "westchester:7a"], "'7(a)'"),
    (["compare", "beacon", "westchester", "--fail-on", "diference"], "'difference'"),
])
def test_a_mistyped_name_is_an_error_with_a_suggestion(cli_process: Cli, argv: list[str], suggestion: str) -> None:
    status, out, err = cli_process(*argv)
    assert status == EXIT_BAD_INPUT and out == ""
    assert f"(did you mean {suggestion}?)" in err and "Fix:" in err and "Traceback" not in err


def test_a_name_like_no_known_one_gets_no_guess(cli: Cli) -> None:
    status, _, err = cli("decide", ANA, "--ordinance", "gotham")
    assert status == EXIT_BAD_INPUT and "unknown ordinance 'gotham'" in err and "did you mean" not in err


# --switch everywhere -----------------------------------------------------------------------

@pytest.mark.parametrize("argv, words", [
    (["check", "--all", "--switch", "nosuch=x"], "no interpretive switch 'nosuch'"),
    (["check", "beacon", "--switch", "usc_1373=bogus"], "'bogus' is not a reading of usc_1373"),
    (["compare", "beacon", "nyc", "--switch", "usc_1373=bogus"], "'bogus' is not a reading of usc_1373"),
    (["facts", ANA, "--switch", "nosuch=x"], "no interpretive switch 'nosuch'"),
    (["facts", ANA, "--switch", "westchester_inmate=jail"], "'jail' is not a reading of westchester_inmate"),
    (["decide", ANA, "--reading", "broad", "--switch", "usc_1373=narrow"], "disagree"),
    (["check", "--all", "--reading", "broad"], "check --all runs every reading"),
])
def test_a_switch_is_checked_wherever_it_is_accepted(cli: Cli, argv: list[str], words: str) -> None:
    status, out, err = cli(*argv)
    assert status == EXIT_BAD_INPUT and out == "" and words in err and "Fix:" in err


def test_the_reading_is_the_usc_1373_switch(cli: Cli) -> None:
    by_switch = cli("facts", ANA, "--switch", "usc_1373=broad")
    by_reading = cli("facts", ANA, "--reading", "broad")
    assert by_switch == by_reading and "reading(usc_1373,broad)." in by_switch.out
    status, out, _ = cli("check", "westchester", "--against", "usc-1373", "--switch", "usc_1373=broad")
    assert status == EXIT_OK and "broad reading" in out.splitlines()[0]


# --fail-on ---------------------------------------------------------------------------------

def test_check_fails_on_a_named_kind_after_writing_its_whole_output(cli: Cli) -> None:
    plain = cli("check", "westchester")
    failing = cli("check", "westchester", "--fail-on", "tension")
    assert plain.status == EXIT_OK and "tension on honor_detainer" in plain.out
    assert failing.status == EXIT_FAILURE_FOUND and failing.out == plain.out
    assert failing.err.splitlines()[0] == "ordinance: --fail-on tension: 1 found"
    assert failing.err.splitlines()[1].startswith("  found: westchester (narrow reading): tension on delay_release")
    assert "tension on honor_detainer" in failing.err


def test_check_passes_when_the_named_kind_is_proved_absent(cli: Cli) -> None:
    status, out, err = cli("check", "westchester", "--against", "usc-1373", "--fail-on", "conflict")
    assert status == EXIT_OK and "none (proved" in out and err == ""


def test_a_conflict_with_federal_law_fails_a_json_check_whose_output_stays_json(cli: Cli) -> None:
    status, out, err = cli("check", "beacon", "--against", "usc-1373", "--drop", "3(a)(i)",
                           "--fail-on", "tension,conflict", "--format", "json")
    assert status == EXIT_FAILURE_FOUND
    assert [c["action"] for c in json.loads(out)["conflicts"]] == ["share_status_info"]
    assert err.splitlines() == ["ordinance: --fail-on tension,conflict: 1 found",
                                "  found: beacon (narrow reading): conflict with usc-1373 on share_status_info"]


def test_compare_fails_on_a_difference(cli: Cli) -> None:
    status, out, err = cli("compare", "beacon", "westchester", "--fail-on", "difference")
    assert status == EXIT_FAILURE_FOUND and "transfer_to_ice" in out
    assert "--fail-on difference: 1 found\n  found: beacon and westchester differ on" in err


@pytest.mark.parametrize("argv, words", [
    (["check", "beacon", "--fail-on", "difference"], "difference is for `ordinance compare`"),
    (["compare", "beacon", "nyc", "--fail-on", "conflict"], "conflict and tension are for `ordinance check`"),
    (["check", "beacon", "--fail-on", ""], "is not something this command can fail on"),
])
def test_fail_on_takes_only_what_the_command_finds(cli_process: Cli, argv: list[str], words: str) -> None:
    status, out, err = cli_process(*argv)
    assert status == EXIT_BAD_INPUT and out == "" and words in err


def _check(**fields: object) -> Check:
    base = dict(ordinance="riverton", against="usc-1373", reading="narrow", dropped=(), requests=2, timeout=1.0,
                conflicts=(), conflict_search=SearchReport(), internal=(), internal_search=SearchReport())
    return Check(**{**base, **fields})  # type: ignore[arg-type]


def test_a_search_that_timed_out_is_neither_found_nor_clean() -> None:
    open_search = SearchReport.of(("conflict on share_status_info",))
    assert gate_checks([_check()], ["conflict"]).passed
    gate = gate_checks([_check(conflict_search=open_search)], ["conflict"])
    assert not gate.passed and gate.found == ()
    assert gate.message(["conflict"]).splitlines() == [
        "--fail-on conflict: 1 not proved either way (a search timed out: raise --timeout to finish it)",
        "  not proved: riverton (narrow reading): the search for conflicts with usc-1373 timed out"]
    assert not gate_checks([_check(internal_search=open_search)], ["tension"]).passed
    comparison = Comparison("a", "b", "narrow", (), open_search, 2, 1.0)
    assert gate_comparison(comparison).unproved == ("a and b: the search for differences timed out",)
    assert gate_comparison(Comparison("a", "b", "narrow", (), SearchReport(), 2, 1.0)).passed


def test_the_command_line_fails_a_check_whose_search_timed_out(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    timed_out = _check(ordinance="westchester", conflict_search=SearchReport.of(("q",)))
    monkeypatch.setattr(checking, "check", lambda *args, **kwargs: timed_out)
    status, out, err = cli("check", "westchester", "--against", "usc-1373", "--fail-on", "conflict")
    assert status == EXIT_FAILURE_FOUND and "TIMED OUT" in out
    assert "not proved either way" in err and "found" not in err and "TIMED OUT" not in err


# standard input ---------------------------------------------------------------------------

def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


@pytest.mark.parametrize("source", ["ana-detainer.yaml", "ice-status-request.json"])
def test_a_case_on_standard_input_is_decided_as_the_file(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                         source: str) -> None:
    path = EXAMPLES / source
    from_file = cli("decide", str(path), "--format", "json")
    _stdin(monkeypatch, path.read_text(encoding="utf-8"))
    from_stdin = cli("decide", "-", "--format", "json")
    assert from_file.status == from_stdin.status == EXIT_OK
    assert json.loads(from_stdin.out) == json.loads(from_file.out)  # both files name their case


def test_standard_input_in_explain_and_facts(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (EXAMPLES / "ana-detainer.yaml").read_text(encoding="utf-8")
    for argv in (["explain", "{}", "westchester", "honor_detainer"], ["facts", "{}"]):
        from_file = cli(*(a.format(ANA) for a in argv))
        _stdin(monkeypatch, text)
        assert cli(*(a.format("-") for a in argv)) == from_file


@pytest.mark.parametrize("text, words", [
    ("agency: police\nperson: {roles: [arrestee]\n", "<stdin>:3:1: invalid YAML"),
    ('{"agency": "police", "agency": "other"}', "<stdin>: the key 'agency' appears twice"),
    ("{agency: polise}", "<stdin> (case 'stdin'): field 'agency': unknown value"),
    ("[{}, {}]", "<stdin>: holds 2 cases where one is expected"),
])
def test_standard_input_is_named_in_messages(cli: Cli, monkeypatch: pytest.MonkeyPatch, text: str,
                                             words: str) -> None:
    _stdin(monkeypatch, text)
    status, _, err = cli("explain" if text.startswith("[") else "decide", "-",
                         *(["westchester", "honor_detainer"] if text.startswith("[") else []))
    assert status == EXIT_BAD_INPUT and words in err


def test_a_list_on_standard_input_gives_numbered_ids(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "- {agency: police}\n- {agency: corrections}\n")
    status, out, _ = cli("decide", "-", "--format", "json", "--ordinance", "beacon")
    assert status == EXIT_OK and [d["case"] for d in json.loads(out)] == ["stdin-1", "stdin-2"]


# decide --format csv | markdown ---------------------------------------------------------------

COLUMNS = ["case", "ordinance", "action", "status", "sections", "exceptions", "tensions", "restrictions"]


def _json_rows(cli: Cli, *argv: str) -> list[list[str]]:
    """The rows `decide --format json` gives, in the table's columns (non-silent only)."""
    status, out, _ = cli("decide", *argv, "--format", "json")
    decisions = json.loads(out)
    return [[d["case"], r["ordinance"], r["action"], r["status"],
             *(" ".join(r.get(k, [])) for k in ("sections", "exceptions", "tensions", "restrictions"))]
            for d in (decisions if isinstance(decisions, list) else [decisions])
            for r in d["results"] if r["status"] != "silent"]


def _markdown_rows(text: str) -> list[list[str]]:
    """The cells of a pipe table, split at unescaped pipes and unescaped again."""
    rows = []
    for line in text.splitlines():
        cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
        rows.append([re.sub(r"\\(.)", r"\1", c.strip()).replace("<br>", "\n").replace("&lt;", "<")
                     .replace("&gt;", ">").replace("&amp;", "&") for c in cells])
    return rows


def test_csv_has_the_rows_of_the_json(cli: Cli) -> None:
    status, out, _ = cli("decide", INTERVIEWS, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert status == EXIT_OK and rows[0] == COLUMNS
    assert rows[1:] == _json_rows(cli, INTERVIEWS) and len({r[0] for r in rows[1:]}) == 2


def test_markdown_is_a_pipe_table_of_the_same_rows(cli: Cli) -> None:
    status, out, _ = cli("decide", INTERVIEWS, "--format", "markdown", "--all")
    rows = _markdown_rows(out)
    assert status == EXIT_OK and rows[0] == COLUMNS and set(rows[1]) == {"---"}
    assert len(rows[2:]) == 2 * 4 * 38  # --all: every case x ordinance x action, silent ones too
    assert [r for r in rows[2:] if r[3] != "silent"] == _json_rows(cli, INTERVIEWS)


def test_explain_adds_a_reasons_column(cli: Cli) -> None:
    status, out, _ = cli("decide", ANA, "--ordinance", "westchester", "--format", "csv", "--explain")
    rows = list(csv.DictReader(io.StringIO(out)))
    honor = next(r for r in rows if r["action"] == "honor_detainer")
    assert status == EXIT_OK and honor["reasons"].startswith("Under westchester") and "\n§ 10(b)" in honor["reasons"]


def test_user_text_cannot_break_a_row_or_inject_markup(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "odd.json"
    case.write_text(json.dumps({"id": "a|b\nc <img src=x> [l](javascript:x) `d` \x1b[31mred",
                                "requests": [{"kind": "detainer"}]}))
    status, out, _ = cli("decide", str(case), "--format", "markdown", "--ordinance", "westchester")
    lines = out.splitlines()
    assert status == EXIT_OK and all(len(_markdown_rows(line)[0]) == len(COLUMNS) for line in lines)
    assert "<img" not in out and "\x1b" not in out and "](" not in out.replace("\\](", "")
    assert _markdown_rows(lines[2])[0][0] == "a|b\nc <img src=x> [l](javascript:x) `d` \\x1b[31mred"
    status, out, _ = cli("decide", str(case), "--format", "csv", "--ordinance", "westchester")
    rows = list(csv.reader(io.StringIO(out)))
    assert "\x1b" not in out and {r[0] for r in rows[1:]} == {
        "a|b\nc <img src=x> [l](javascript:x) `d` \\x1b[31mred"}


# help -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_help_with_examples_that_parse(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    epilog = capsys.readouterr().out.partition("\nExample")[2]
    examples = re.findall(r"ordinance (.+?)(?:[;#|>]|&&|$)", epilog, re.MULTILINE)
    assert examples, f"`ordinance {command} --help` shows no example"
    for example in examples:
        args = build_parser().parse_args(shlex.split(example))
        assert args.command == command


# shell completion (docs/cli.md) --------------------------------------------------------------

def test_the_completion_recipe_completes_commands_options_and_values(tmp_path: Path) -> None:
    pytest.importorskip("shtab")
    script = subprocess.run([sys.executable, "-m", "shtab", "--shell=bash", "-u", "engine.cli.build_parser"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True).stdout
    function = re.search(r"^complete .* -F (\S+) ordinance$", script, re.MULTILINE).group(1)
    (tmp_path / "ordinance.bash").write_text(script)
    probe = (f"source ordinance.bash; t() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); {function}; "
             "echo \"${COMPREPLY[*]}\"; }; t ordinance dec; t ordinance decide case.yaml --format ''; "
             "t ordinance check --fa")
    done = subprocess.run(["bash", "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["decide", "text json csv markdown", "--fail-on"]
