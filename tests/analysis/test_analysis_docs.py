"""docs/analysis.md stays true: every `ordinance` line of its sh blocks runs and prints something."""

from __future__ import annotations

import re
import shlex

import pytest

from engine.cli import main
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
COMMANDS = [line.split("#")[0].strip()
            for block in re.findall(r"```sh\n(.*?)```", DOC, flags=re.S)
            for line in block.splitlines() if line.startswith("ordinance ")]


def test_the_doc_has_commands() -> None:
    assert any(c.startswith("ordinance compare") for c in COMMANDS)
    assert any(c.startswith("ordinance report") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_doc_command_runs(command: str, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.chdir(tmp_path)  # `report --out report.html` writes here, not into the checkout
    assert main(shlex.split(command)[1:]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out
