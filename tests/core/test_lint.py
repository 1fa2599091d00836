"""A user's rule files are checked before use: each mistake is named with its file, line and fix.

One test per defect of issue 11 ("a typo in a user's ordinance proves 'no
conflict'"): each would otherwise load silently (or crash) and change what the
engine says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

HEADER = 'ordinance(mytown, "mytown", "My Town").\nprovision(mytown, "1", "No detainers").\n'
NORM = "prohibits(mytown, \"1\", honor_detainer, Q) :- request(Q, detainer).\n"


def rules_dir(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    (directory / "mytown.lp").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("text, line, needle", [
    (HEADER + 'prohibit(mytown, "1", honor_detainer, Q) :- request(Q, detainer).\n', 3,
     "'prohibit/4' is defined but nothing reads it. Fix: did you mean 'prohibits'?"),
    (HEADER + NORM + 'provision(mytown, "2", "unless").\n'
     'exception(mytown, "1", honor_detainer, "2") :- person(consent).\n', 5,
     "'exception' takes 5 arguments (ordinance, lifts, action, occasion, section), not 4"),
    (HEADER, 1, "ordinance mytown states no norm"),
    (HEADER + NORM + "westchester_clea :- agency(other).\n", 4,
     "'westchester_clea/0' is also defined by the built-in rules"),
    (HEADER + NORM + "#count { 1 : person(consent) } >= 1.\n", 4, "states the case fact 'person'"),
    (HEADER + NORM + "#sum { 1 : status(westchester, honor_detainer, permitted) } >= 1.\n", 4,
     "defines 'status', which only the deontic layer derives"),
    (HEADER + NORM + 'exception(westchester, "10(b)", honor_detainer, Q, "10(b)") :- request(Q, _).\n', 4,
     "speaks of the built-in ordinance westchester: this amends the enacted text"),
    (HEADER + NORM + "#show person/1.\n", 4, "#show changes which atoms the engine reads"),
    (HEADER + NORM + "#program extra.\nmore.\n", 4, "#program extra: the engine grounds only the base program"),
    (HEADER + NORM + '#script (python)\nimport os\n#end.\n', 4, "#script runs code"),
    (HEADER + NORM + '#include "/etc/passwd".\n', 4, "#include is not allowed"),
    (HEADER + 'prohibits(mytown, "1", honor_detainer, Q) :- reqest(Q, detainer).\n', 3,
     "'reqest/2' is used but defined nowhere (it is never true, so this rule never fires). "
     "Fix: did you mean 'request'?"),
    (HEADER + 'prohibits(mytown, "1", honor_detainer, Q) :- request(Q).\n', 3,
     "the case predicate 'request' has 2 argument(s), not 1"),
])
def test_each_mistake_is_an_error_naming_file_line_and_fix(tmp_path: Path, cli: Cli, text: str, line: int,
                                                            needle: str) -> None:
    directory = rules_dir(tmp_path, text)
    status, out, err = cli("list", "--rules", str(directory))
    assert status == 2 and out == ""
    assert f"{directory / 'mytown.lp'}:{line}: error:" in err and needle in err, err
    assert "Traceback" not in err and "root:" not in err  # nothing of /etc/passwd is shown


def test_an_exception_lifting_a_section_without_a_norm_is_a_warning(tmp_path: Path, cli: Cli) -> None:
    directory = rules_dir(tmp_path, HEADER + NORM + 'provision(mytown, "2", "unless consent").\n'
                                   'exception(mytown, "2", honor_detainer, Q, "2") :- '
                                   'prohibits(mytown, "1", honor_detainer, Q), person(consent).\n')
    status, out, err = cli("decide", "examples/ana-detainer.yaml", "--rules", str(directory))
    assert status == 0 and "warning: the exception lifts § 2 of mytown, which prohibits" in err
    status, out, _ = cli("lint", "--rules", str(directory))
    assert status == 0 and "lifts § 2 of mytown" in out and "1 warning(s)" in out
    status, _, err = cli("lint", "--rules", str(directory), "--strict")
    assert status == 2 and "Fix: mend the warnings" in err


def test_lint_finds_a_rule_that_fires_in_no_possible_case(tmp_path: Path, cli: Cli) -> None:
    directory = rules_dir(tmp_path, HEADER + NORM + 'provision(mytown, "2", "never").\n'
                                   'exception(mytown, "1", honor_detainer, Q, "2") :- '
                                   'prohibits(mytown, "1", honor_detainer, Q), person(release_eligible), '
                                   'not person(in_custody).\n')
    status, out, _ = cli("lint", "--rules", str(directory))
    assert status == 0 and f"{directory / 'mytown.lp'}:5: warning: this rule of mytown (§ 2) fires in no possible case" \
        in out


def test_a_clean_ordinance_lints_clean(cli: Cli) -> None:
    status, out, _ = cli("lint", "--rules", "docs/own-ordinance", "--strict")
    assert status == 0 and out == "no problems found in 1 rule file(s)\n"


def test_amending_a_built_in_ordinance_takes_amend_and_every_output_says_so(tmp_path: Path, cli: Cli) -> None:
    directory = rules_dir(tmp_path, 'provision(westchester, "99", "Local amendment: holds allowed on consent").\n'
                                   'exception(westchester, "10(b)", honor_detainer, Q, "99") :- '
                                   'prohibits(westchester, "10(b)", honor_detainer, Q), person(consent).\n')
    status, _, err = cli("list", "--rules", str(directory))
    assert status == 2 and "--amend" in err
    case = tmp_path / "case.yaml"
    case.write_text("person: {in_custody: true, consent: true}\nrequests: [{kind: detainer}]\n", encoding="utf-8")
    status, out, err = cli("explain", str(case), "westchester", "honor_detainer", "--rules", str(directory), "--amend")
    assert status == 0 and "westchester amended by your --rules files" in err
    assert "[AMENDED by --rules]" in out
    status, out, err = cli("decide", str(case), "--ordinance", "westchester", "--format", "json",
                           "--rules", str(directory), "--amend")
    row = next(r for r in json.loads(out)["results"] if r["action"] == "honor_detainer")
    assert status == 0 and "99" in row["exceptions"] and "westchester amended" in err


def test_a_runaway_rule_is_refused_within_the_grounding_bound(tmp_path: Path, cli: Cli, monkeypatch) -> None:
    import engine.core.grounding

    monkeypatch.setattr(engine.core.grounding, "GROUNDING_SECONDS", 2.0)
    directory = rules_dir(tmp_path, HEADER + "mytown_n(0).\nmytown_n(X + 1) :- mytown_n(X).\n"
                                   'prohibits(mytown, "1", honor_detainer, Q) :- request(Q, detainer), mytown_n(1).\n')
    status, _, err = cli("list", "--rules", str(directory))
    assert status == 2 and "did not finish within 2 s" in err and "p(X+1) :- p(X)" in err


def test_ctrl_c_ends_a_long_search_within_seconds_with_exit_130(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "engine", "check", "--all", "--requests", "12",
                                "--timeout", "120"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted (Ctrl-C)" in err and "Traceback" not in err
    assert time.monotonic() - sent < 5


def test_lint_finds_a_vacuous_norm_and_a_redundant_one(tmp_path: Path, cli: Cli) -> None:
    directory = rules_dir(tmp_path, HEADER + NORM +
                          'provision(mytown, "2", "No one shall honor a detainer on a Tuesday or any other day").\n'
                          'prohibits(mytown, "2", honor_detainer, Q) :- request(Q, detainer).\n'
                          'provision(mytown, "3", "No transfers").\n'
                          'provision(mytown, "4", "unless anything at all").\n'
                          'prohibits(mytown, "3", transfer_to_ice, Q) :- request(Q, transfer).\n'
                          'exception(mytown, "3", transfer_to_ice, Q, "4") :- prohibits(mytown, "3", transfer_to_ice, Q).\n')
    status, out, _ = cli("lint", "--rules", str(directory))
    assert status == 0
    assert "mytown § 3: warning: its prohibits on transfer_to_ice never binds" in out
    assert "mytown § 1: warning: its prohibits on honor_detainer never stands alone" in out
    assert "mytown § 2: warning: its prohibits on honor_detainer never stands alone" in out


def test_two_ordinances_may_not_share_a_helper(tmp_path: Path, cli: Cli) -> None:
    directory = rules_dir(tmp_path, HEADER + "shared(Q) :- request(Q, detainer).\n"
                                   'prohibits(mytown, "1", honor_detainer, Q) :- shared(Q).\n')
    (directory / "other.lp").write_text('ordinance(other, "other", "Other").\nprovision(other, "1", "x").\n'
                                        "shared(Q) :- request(Q, transfer).\n"
                                        'prohibits(other, "1", transfer_to_ice, Q) :- shared(Q).\n', encoding="utf-8")
    status, _, err = cli("list", "--rules", str(directory))
    assert status == 2 and "'shared/1' is defined in 2 rule files" in err and "prefix each ordinance's helpers" in err


def test_a_users_own_ordinance_may_declare_a_savings_clause(tmp_path) -> None:
    """prevails/2 about the user's own ordinance is no amendment (docs/own-ordinances.md tells
    users to write it); about a built-in one it is."""
    from engine.core.errors import RulesError
    from engine.core.rulebase import load_rule_base

    own = tmp_path / "own"
    own.mkdir()
    (own / "town.lp").write_text(
        'ordinance(town, "town", "Town policy").\n'
        'provision(town, "1", "shall not honor a detainer").\n'
        'provision(town, "2", "Nothing in this policy prohibits sending status information").\n'
        'prohibits(town, "1", honor_detainer, case).\n'
        'allows(town, "2", share_status_info, case).\n'
        'prevails(town, "2").\n')
    assert "town" in load_rule_base([own], use_env=False).own
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "beacon_more.lp").write_text('prevails(beacon, "2").\n')
    with pytest.raises(RulesError, match="speaks of the built-in ordinance beacon"):
        load_rule_base([builtin], use_env=False)


def test_two_own_ordinances_in_two_files_may_each_declare_a_savings_clause(tmp_path) -> None:
    """prevails/2 states something of one ordinance, as a norm does: two files stating it for
    their own ordinances share no helper (it was refused as one)."""
    from engine.core.rulebase import load_rule_base

    own = tmp_path / "own"
    own.mkdir()
    for town in ("northtown", "southtown"):
        (own / f"{town}.lp").write_text(
            f'ordinance({town}, "{town}", "{town.title()} policy").\n'
            f'provision({town}, "1", "shall not honor a detainer").\n'
            f'provision({town}, "2", "Nothing in this policy prohibits sending status information").\n'
            f'prohibits({town}, "1", honor_detainer, case).\n'
            f'allows({town}, "2", share_status_info, case).\n'
            f'prevails({town}, "2").\n')
    assert set(load_rule_base([own], use_env=False).own) == {"northtown", "southtown"}
