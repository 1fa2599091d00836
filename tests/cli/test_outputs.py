"""Outputs that cannot be written and options that make no sense end with a clear error and
exit 2, never a traceback (issue 12, item 4): a missing directory, a directory, a full disk,
a closed pipe, a time limit of nan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, Cli, press_ctrl_c

ANA = str(EXAMPLES / "ana-detainer.yaml")
BATCH_CSV = str(EXAMPLES / "batch" / "cases.csv")


def _clear_error(result, *words: str) -> None:
    assert result.status == 2, result
    assert "Traceback" not in result.err, result.err
    assert result.err.startswith("ordinance: error: ") and "Fix:" in result.err, result.err
    for word in words:
        assert word in result.err, result.err


@pytest.mark.parametrize("argv", [
    ("decide", ANA, "--graph", "{missing}/graph.svg"),
    ("decide", ANA, "--graph", "{missing}/graph.dot"),
    ("explain", ANA, "westchester", "honor_detainer", "--graph", "{missing}/graph.svg"),
    ("batch", BATCH_CSV, "--quiet", "--out", "{missing}/rows.jsonl"),
    ("report", "--requests", "1", "--out", "{missing}/report.html"),
])
def test_a_missing_output_directory_is_named_with_the_fix(cli_process: Cli, tmp_path: Path, argv) -> None:
    missing = tmp_path / "no-such-dir"
    result = cli_process(*(a.format(missing=missing) for a in argv))
    _clear_error(result, str(missing))


def test_a_directory_as_output_file_is_refused(cli_process: Cli, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.mkdir()
    _clear_error(cli_process("batch", BATCH_CSV, "--quiet", "--out", str(rows)), str(rows), "not a directory")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_disk_is_named_with_the_fix(cli_process: Cli) -> None:
    _clear_error(cli_process("batch", BATCH_CSV, "--quiet", "--out", "/dev/full"),
                 "/dev/full", "No space left on device", "--resume")


def test_a_closed_pipe_ends_with_one_clear_line(tmp_path: Path) -> None:
    """`ordinance generate | head -1`: the reader goes away; one message, exit 2, no traceback."""
    process = subprocess.Popen([sys.executable, "-m", "engine", "generate", "--n", "20000"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 2
    assert "Traceback" not in err and err.count("\n") == 1 and "closed" in err, err


@pytest.mark.parametrize("argv", [
    ("batch", BATCH_CSV, "--time-limit", "nan"),
    ("batch", BATCH_CSV, "--time-limit", "0"),
    ("check", "beacon", "--timeout", "inf"),
    ("explain", ANA, "westchester", "honor_detainer", "--what-if", "--timeout", "-1"),
    ("lint", "--timeout", "nan"),
])
def test_a_time_limit_must_be_a_finite_positive_number(cli: Cli, argv) -> None:
    with pytest.raises(SystemExit) as stop:
        cli(*argv)
    assert stop.value.code == 2


@pytest.mark.parametrize("argv", [("check", "--all", "--requests", "12"),
                                  ("report", "--out", "{tmp}/report.html", "--compare", "all")])
def test_ctrl_c_ends_a_long_command_at_once_with_one_line(tmp_path: Path, argv) -> None:
    """Ctrl-C goes to the terminal's whole process group (here: a session of its own)."""
    import time

    process = subprocess.Popen([sys.executable, "-m", "engine", *(a.format(tmp=tmp_path) for a in argv)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(2.5)
    assert process.poll() is None, "the command ended before it could be interrupted"
    seconds, err = press_ctrl_c(process)
    assert process.returncode == 130 and seconds < 2
    assert err == "ordinance: interrupted (Ctrl-C)\n"


def test_a_path_with_terminal_escapes_is_printed_escaped(cli_process: Cli, tmp_path: Path) -> None:
    result = cli_process("decide", ANA, "--graph", str(tmp_path / "no\x1b]0;owned\x07such" / "x.svg"))
    _clear_error(result, "\\x1b]0;owned\\x07such")
    assert "\x1b" not in result.err and "\x07" not in result.err


def test_a_ctrl_c_lost_in_a_destructor_is_raised_again(monkeypatch) -> None:
    """Python drops a KeyboardInterrupt raised inside a ``__del__``: the handler raises it
    again until the command has handled one, and no "Exception ignored" traceback is shown."""
    import signal
    import time

    from engine import cli as command_line

    def a_command_that_loses_the_first_ctrl_c(argv, ctrl_c) -> int:
        class Dropping:
            def __del__(self) -> None:
                signal.raise_signal(signal.SIGINT)  # the KeyboardInterrupt is raised here, and lost

        Dropping()
        try:
            time.sleep(5)  # still running: the handler raises again within half a second
        except KeyboardInterrupt:
            ctrl_c.handled.set()
            return command_line.EXIT_INTERRUPTED
        return command_line.EXIT_OK

    monkeypatch.setattr(command_line, "_run", a_command_that_loses_the_first_ctrl_c)
    before = signal.getsignal(signal.SIGINT)
    started = time.monotonic()
    assert command_line.main([]) == command_line.EXIT_INTERRUPTED
    assert time.monotonic() - started < 2
    assert signal.getsignal(signal.SIGINT) is before  # put back for whoever runs main in-process
