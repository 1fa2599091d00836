"""Shared fixtures: the rule base (loaded once per test session), the repository's
paths, and the command line run in-process (`cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from engine import RuleBase, load_rule_base

#: The repository: tests read its examples, docs and rule files.
ROOT = Path(__file__).resolve().parent.parent
#: The example cases (``examples/*.yaml``, ``*.json``) and stock-clingo programs (``*.lp``).
EXAMPLES = ROOT / "examples"


class CliResult(NamedTuple):
    """What a command printed and how it exited."""

    status: int
    out: str
    err: str


#: Runs ``ordinance ARGS...``: ``cli("decide", path, "--format", "json")``.
Cli = Callable[..., CliResult]


@pytest.fixture(scope="session")
def rules() -> RuleBase:
    return load_rule_base(use_env=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """The `ordinance` command line run in-process, as a user would type it: its exit
    status and what it wrote to stdout and stderr (each call reads only its own output)."""
    from engine.cli import main  # here: a core test must not need every command to import

    def run(*argv: str) -> CliResult:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return CliResult(status, out, err)

    return run
