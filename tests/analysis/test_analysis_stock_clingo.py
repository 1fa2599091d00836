"""The analysis encodings run on stock clingo too (the wheel's and Debian's 5.4).

The commands are those documented in asp/analysis/*.lp and docs/analysis.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from tests.conftest import ROOT

SOLVERS = [pytest.param([sys.executable, "-m", "clingo"], id="python-m-clingo")]
if shutil.which("clingo"):
    SOLVERS.append(pytest.param([shutil.which("clingo")], id="clingo-binary"))
WITNESS_SEARCH = ["asp/all.lp", "asp/analysis/case_space.lp", "asp/analysis/minimal.lp",
                  "asp/analysis/reading.lp"]


def solve(command: list[str], *arguments: str) -> str:
    done = subprocess.run([*command, *arguments, "--quiet=1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert any(verdict in done.stdout for verdict in ("SATISFIABLE", "OPTIMUM FOUND")), \
        done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("command", SOLVERS)
def test_federal_conflict_witness_and_proof(command: list[str]) -> None:
    found = solve(command, *WITNESS_SEARCH, "asp/analysis/conflict_1373.lp",
                  "-c", "local=beacon", "-c", "reading=broad", "-c", "require=1")
    assert "OPTIMUM FOUND" in found and "federal_conflict(notify_release)" in found
    assert re.search(r"Optimization\s*:\s*1 0", found)
    proof = solve(command, *WITNESS_SEARCH, "asp/analysis/conflict_1373.lp",
                  "-c", "local=beacon", "-c", "require=1")
    assert "UNSATISFIABLE" in proof


@pytest.mark.parametrize("command", SOLVERS)
def test_tension_and_comparison_witnesses(command: list[str]) -> None:
    tension = solve(command, *WITNESS_SEARCH, "asp/analysis/consistency.lp",
                    "-c", "local=nyc", "-c", "require=1", "-c", "kind=tension")
    assert "OPTIMUM FOUND" in tension and "finding(tension," in tension
    differs = solve(command, *WITNESS_SEARCH, "asp/analysis/comparison.lp",
                    "-c", "first=beacon", "-c", "second=westchester", "-c", "require=1")
    assert "OPTIMUM FOUND" in differs and "differs(" in differs


@pytest.mark.parametrize("command", SOLVERS)
def test_gaps_as_brave_consequences(command: list[str]) -> None:
    out = solve(command, "asp/all.lp", "asp/analysis/case_space.lp", "asp/analysis/any_reading.lp",
                "asp/analysis/coverage.lp", "-c", "local=beacon", "--enum-mode=brave")
    assert "addressed_action(honor_detainer)" in out
    assert "addressed_action(certify_u_visa)" not in out
