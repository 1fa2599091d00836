"""A search that runs out of time is never shown as a proof, in any output.

Every solve is made to run out of time (and no question is settled by the
grounder), so no claim of any analysis is proved.  Each command and format
must then say "timed out" and never "proved", "none", "not load-bearing" or
"no difference" as a finding.  A mutation that renders any timed-out search
as a proof makes one of these tests fail.
"""

from __future__ import annotations

import importlib
import json
import re

import pytest

from engine.analysis.findings import SearchStatus
from engine.analysis.search import CaseSearch
from tests.conftest import Cli

PROOF_WORDS = re.compile(r"\bproved\b|\bnone\b|not load-bearing|no difference|no conflict", re.IGNORECASE)
#: Words about the settings of a search, not about what it found.
SETTINGS = re.compile(r"dropped sections: none|\"None \(proved\)\" means.*")


def claims_of_proof(text: str) -> list[str]:
    """The lines that claim a finding or a proof without saying the search timed out."""
    return [line.strip() for line in text.splitlines()
            if PROOF_WORDS.search(SETTINGS.sub("", line)) and "timed out" not in line.lower()]


@pytest.fixture
def nothing_finishes(monkeypatch) -> None:
    """Every solve runs out of time before it finds anything; the grounder settles nothing."""
    monkeypatch.setattr(CaseSearch, "_solve", lambda self, timeout, on_model, assumptions=(): (
        None, SearchStatus.TIMED_OUT))
    monkeypatch.setattr(CaseSearch, "derivable", lambda self, atom: True)


def _statuses(data) -> list[str]:
    """Every search status anywhere in a JSON document."""
    found = []
    if isinstance(data, dict):
        if set(data) >= {"status", "open"}:
            found.append(data["status"])
        for value in data.values():
            found += _statuses(value)
    elif isinstance(data, list):
        for value in data:
            found += _statuses(value)
    return found


@pytest.mark.usefixtures("nothing_finishes")
@pytest.mark.parametrize("argv", [
    ["check", "westchester", "--against", "usc-1373"],
    ["check", "nyc"],
    ["compare", "beacon", "westchester"],
])
def test_text_never_claims_a_proof(cli: Cli, argv: list[str]) -> None:
    status, out, err = cli(*argv)
    assert status == 0, err
    assert "timed out" in out.lower()
    assert not claims_of_proof(out), claims_of_proof(out)


@pytest.mark.usefixtures("nothing_finishes")
@pytest.mark.parametrize("argv", [
    ["check", "westchester", "--against", "usc-1373"],
    ["compare", "beacon", "westchester"],
])
def test_json_marks_every_search_timed_out(cli: Cli, argv: list[str]) -> None:
    status, out, err = cli(*argv, "--format", "json")
    assert status == 0, err
    statuses = _statuses(json.loads(out))
    assert statuses and set(statuses) == {"timed out"}


@pytest.mark.usefixtures("nothing_finishes")
def test_the_matrix_says_timed_out_where_the_search_did(cli: Cli) -> None:
    """Where the grounder alone proves there is no conflict (no candidate action) the cell may
    say proved; every search that ran out of time says so, in the matrix and the savings table."""
    status, out, err = cli("check", "--all", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    timed_out = {(c["ordinance"], c["reading"]) for c in data["checks"]
                 if c["search"]["conflicts"]["status"] == SearchStatus.TIMED_OUT}
    assert timed_out
    assert all(t["load_bearing"] is None for t in data["savings"] if t["search"]["status"] == "timed out")
    status, out, err = cli("check", "--all")
    matrix = out.split("\n\n")[0].splitlines()[3:]
    readings = ("narrow", "broad")
    for line in matrix:
        ordinance, cells = line.split()[0], re.split(r"\s{2,}", line.strip())[1:3]
        for reading, cell in zip(readings, cells, strict=True):
            if (ordinance, reading) in timed_out:
                assert "TIMED OUT" in cell and "proved" not in cell.replace("nothing proved", ""), line
    savings = out.split("Savings clauses", 1)[1].split("\n\n")[0]
    assert "TIMED OUT" in savings and "not load-bearing" not in savings


@pytest.mark.usefixtures("nothing_finishes")
def test_the_report_never_claims_a_proof(cli: Cli, tmp_path) -> None:
    target = tmp_path / "report.html"
    status, _, err = cli("report", "--out", str(target))
    assert status == 0, err
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", target.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "\n", page)
    status, out, _ = cli("check", "--all", "--format", "json")
    grounded = sum(1 for c in json.loads(out)["checks"]  # proved by the grounder alone: no candidate action
                   if c["search"]["conflicts"]["status"] == "complete" and not c["conflicts"])
    claims = claims_of_proof(text)
    assert claims.count("No conflict with usc-1373: proved by the solver (no possible case has one).") == grounded
    assert claims.count("none (proved)") == grounded  # the same proofs, in the matrix
    assert len(claims) == 2 * grounded, claims


def test_a_what_if_search_that_runs_out_of_time_says_so(cli: Cli, monkeypatch) -> None:
    whatif = importlib.import_module("engine.explain.whatif")  # engine.explain is also a function

    monkeypatch.setattr(whatif, "_optimal_changes", lambda rule_base, setting, deadline: ([], False))
    argv = ("explain", "examples/ana-detainer.yaml", "westchester", "different_procedures", "--what-if")
    status, out, err = cli(*argv)
    assert status == 0, err
    assert "What if: the search TIMED OUT before finding a change (not a proof that none exists)." in out
    assert "no change to the case's facts" not in out
    status, out, _ = cli(*argv, "--format", "json")
    assert json.loads(out)["what_if_search"] == "timed out"
