"""The rule files run on stock clingo, without Python, and agree with the engine.

For every example case, `clingo asp/all.lp examples/<case>.lp` must print the
same non-silent statuses and sections as `ordinance decide`.  Both the clingo
of the Python wheel (`python -m clingo`) and, when installed, a distribution's
`clingo` binary (Debian's 5.4 in CI) are run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine import case_to_lp, decide, load_cases
from tests.conftest import ROOT

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.lp"))
SOLVERS = [pytest.param([sys.executable, "-m", "clingo"], id="python-m-clingo")]
if shutil.which("clingo"):
    SOLVERS.append(pytest.param([shutil.which("clingo")], id="clingo-binary"))
ATOM = re.compile(r'(status|decided_by|excepted_by|tension)\(([a-z_0-9]+),([a-z_0-9]+),("[^"]*"|[a-z_]+)\)')


def _case_source(lp: Path) -> Path:
    return next(p for p in (lp.with_suffix(".yaml"), lp.with_suffix(".json")) if p.exists())


def _solve_stock(command: list[str], lp: Path) -> set[tuple[str, ...]]:
    done = subprocess.run([*command, "asp/all.lp", str(lp)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert "SATISFIABLE" in done.stdout and "UNSATISFIABLE" not in done.stdout, done.stderr
    answer = done.stdout.split("Answer: 1", 1)[1].split("SATISFIABLE", 1)[0]
    return {(m[0], m[1], m[2], m[3].strip('"')) for m in ATOM.findall(answer)}


def _expected(rules, case) -> set[tuple[str, ...]]:
    atoms = set()
    for row in decide(case, rules, ordinances=list(rules.catalog.ordinances)).results:
        constant = rules.catalog.ordinances[row.ordinance].constant
        if row.status != "silent":
            atoms.add(("status", constant, row.action, row.status))
        for name, values in (("decided_by", row.sections), ("excepted_by", row.exceptions),
                             ("tension", row.tensions)):
            atoms.update((name, constant, row.action, v) for v in values)
    return atoms


def test_there_are_stock_clingo_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("lp", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_facts_match_their_case_file(rules, lp: Path) -> None:
    """examples/*.lp are `ordinance facts` of the case files beside them, kept in sync."""
    case = load_cases(_case_source(lp), rules.catalog)[0]
    assert lp.read_text() == case_to_lp(case), "regenerate with `ordinance facts`"


@pytest.mark.parametrize("command", SOLVERS)
@pytest.mark.parametrize("lp", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_stock_clingo_agrees_with_engine(rules, command: list[str], lp: Path) -> None:
    case = load_cases(_case_source(lp), rules.catalog)[0]
    stock = {atom for atom in _solve_stock(command, lp) if not case.actions or atom[2] in case.actions}
    assert stock == _expected(rules, case)
