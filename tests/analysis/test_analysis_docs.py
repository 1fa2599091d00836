"""docs/analysis.md stays true: every `ordinance` line of its sh blocks runs and prints something."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT, Cli

DOC = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
COMMANDS = [line.split("#")[0].strip()
            for block in re.findall(r"```sh\n(.*?)```", DOC, flags=re.S)
            for line in block.splitlines() if line.startswith("ordinance ")]


def test_the_doc_has_commands() -> None:
    assert any(c.startswith("ordinance compare") for c in COMMANDS)
    assert any(c.startswith("ordinance report") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_doc_command_runs(command: str, monkeypatch, tmp_path, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)  # `report --out report.html` writes here, not into the checkout
    status, out, err = cli(*shlex.split(command)[1:])
    assert status == 0, err
    assert out
