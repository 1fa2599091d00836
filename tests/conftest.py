"""Shared fixtures: the rule base (loaded once per test session), the repository's
paths, and the command line run in-process (`cli`)."""

from __future__ import annotations

import atexit
import os
from pathlib import Path
import shutil
import subprocess
import tempfile
from typing import Callable, NamedTuple

import pytest

from engine import RuleBase, load_rule_base

# The catalog cache (engine/core/catalog_cache.py) of this test run, here rather than in the
# user's home; commands the tests start in other processes inherit it.
if "ORDINANCE_CACHE" not in os.environ:
    os.environ["ORDINANCE_CACHE"] = tempfile.mkdtemp(prefix="ordinance-test-cache-")
    atexit.register(shutil.rmtree, os.environ["ORDINANCE_CACHE"], ignore_errors=True)

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


@pytest.fixture
def cli_process() -> Cli:
    """The `ordinance` command line in a process of its own, as a shell runs it: where the
    point is what a user sees on stderr (no traceback), which an in-process run cannot show
    (an exception would reach the test instead of the stream)."""
    import subprocess
    import sys

    def run(*argv: str) -> CliResult:
        done = subprocess.run([sys.executable, "-m", "engine", *argv], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


def press_ctrl_c(process: "subprocess.Popen[bytes]", timeout: float = 60) -> tuple[float, str]:
    """Ctrl-C as a terminal sends it, to the whole process group of ``process`` (started with
    ``start_new_session=True``): how many seconds it took to end, and its standard error."""
    import os
    import signal
    import time

    os.killpg(process.pid, signal.SIGINT)
    pressed = time.monotonic()
    _, err = process.communicate(timeout=timeout)
    return time.monotonic() - pressed, err.decode()
