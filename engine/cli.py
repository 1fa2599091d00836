"""The `ordinance` command line: a thin layer over the Python API.

Each subcommand lives in `engine.commands`.  Exit status: 0 on success, 2 on
bad input (a case file, an option, a rules directory) or an output that cannot
be written (a missing directory, a full disk, a closed pipe), with a message
naming the file, line or field and the fix, and no traceback; 1 when the command
found what the user asked it to fail on (`FailureFound`); 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import ast
import errno
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from engine.core.errors import EngineError, FailureFound
from engine.core.printable import printable

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FAILURE_FOUND", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

EXIT_OK = 0
#: The command ran and found what --fail-on (or --fail-on-error) asked it to fail on.
EXIT_FAILURE_FOUND = 1
EXIT_BAD_INPUT = 2
#: The shell's status for a command ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


#: argparse's message for a value outside an argument's choices (a command, a --format): the
#: rejected value as Python writes it, and the choices (written as Python literals before
#: Python 3.12.8, as plain words since).
_INVALID_CHOICE = re.compile(r"invalid choice: (?P<value>'[^']*'|\"[^\"]*\") \(choose from (?P<choices>.*)\)")


def _choice_hint(message: str) -> str:
    """`` (did you mean 'decide'?)`` for argparse's "invalid choice" message, or nothing.

    argparse has no public hook for this before Python 3.14 (``suggest_on_error``),
    so the value and the choices are read back from the message it documents.
    """
    found = _INVALID_CHOICE.search(message)
    if found is None or "maybe you meant" in message:  # not a choice, or argparse suggested already
        return ""
    listed = found.group("choices")
    try:
        choices = [str(c) for c in ast.literal_eval(f"({listed},)")]
    except (SyntaxError, ValueError):  # the plain-word form
        choices = listed.split(", ")
    from engine.core.suggest import did_you_mean

    return did_you_mean(ast.literal_eval(found.group("value")), choices)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the project's bad-input status (2), a did-you-mean for a
    mistyped command or choice, and a fix hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}{_choice_hint(message)}. "
                                  f"Fix: see `{self.prog} --help`.\n")


class _VersionAction(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked for, so
    that every other command starts without reading the package metadata."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from engine import __version__

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit(EXIT_OK)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command (for help, completion and tests), or, with ``only``, of that
    command in full and the others by name and one-line help (what `main` needs: their modules
    are not imported)."""
    from engine.commands import COMMANDS, load, summary

    parser = _Parser(prog="ordinance", description=(
        "Decide cases under local immigration ordinances and 8 U.S.C. 1373, section by section."),
        epilog="Example: ordinance decide examples/ana-detainer.yaml. Exit status: 0 done, 1 a --fail-on "
               "matched (or its search did not finish), 2 bad input, 130 interrupted; see docs/cli.md.")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        if only is None or name == only:
            load(name).register(subparsers)
        else:
            subparsers.add_parser(name, help=summary(name))
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


#: What to do about an operating-system error, by its errno.
_OS_FIXES = {
    errno.ENOENT: "create the directory or correct the path",
    errno.ENOTDIR: "correct the path: a part of it is a file, not a directory",
    errno.EISDIR: "name a file, not a directory",
    errno.EACCES: "choose a location you may write to, or change its permissions",
    errno.EPERM: "choose a location you may write to, or change its permissions",
    errno.EROFS: "choose a location on a writable file system",
    errno.ENOSPC: "free disk space (or write elsewhere), then run again; `batch` can continue with --resume",
    errno.EDQUOT: "free space within your disk quota, then run again",
}


def _os_error_message(error: OSError) -> str:
    """The file, what the system said and the fix, for an error reading or writing a file."""
    where = f"{printable(str(error.filename))}: " if error.filename is not None else ""
    reason = error.strerror or str(error)
    fix = _OS_FIXES.get(error.errno, "check the path and the disk, then run again")
    return f"{where}{reason}. Fix: {fix}."


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's final flush of a closed
    pipe does not print a second error after ours."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, target)
    os.close(devnull)


class _CtrlC:
    """Ctrl-C that cannot be lost.  Python turns it into a KeyboardInterrupt wherever the main
    thread is, and one raised inside a ``__del__`` (clingo's Control has one) is printed as
    "Exception ignored" and dropped: the command then ran on to the end and exited 0.  After a
    press, this handler raises again every half second until `main` has handled one."""

    def __init__(self) -> None:
        self.handled = threading.Event()
        self._pressed = False

    def __call__(self, signum: int, frame: object) -> None:
        if not self._pressed:
            self._pressed = True
            threading.Thread(target=self._repeat, daemon=True).start()
        raise KeyboardInterrupt

    def _repeat(self) -> None:
        main_thread = threading.main_thread().ident
        while not self.handled.wait(0.5):
            # Sent to the main thread itself, so that a wait there (a sleep, a solve's slice)
            # is interrupted and __call__ runs at once; raise_signal where threads cannot be named.
            if hasattr(signal, "pthread_kill") and main_thread is not None:
                signal.pthread_kill(main_thread, signal.SIGINT)
            else:
                signal.raise_signal(signal.SIGINT)


@contextmanager
def _ctrl_c_kept() -> Iterator[_CtrlC | None]:
    """The `_CtrlC` handler while a command runs (where this thread may install one: the main
    thread), and no traceback for a KeyboardInterrupt lost in a ``__del__`` (the handler raises
    it again); both put back afterwards, for a caller running `main` in its own process."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    handler, default_hook = _CtrlC(), sys.unraisablehook

    def drop_lost_ctrl_c(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            default_hook(unraisable)

    previous = signal.signal(signal.SIGINT, handler)
    sys.unraisablehook = drop_lost_ctrl_c
    try:
        yield handler
    finally:
        handler.handled.set()  # ends the repeating thread
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = default_hook


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Everything past the standard library is imported in here, inside the handlers: a Ctrl-C
    while the engine is still loading then ends with the same one line as any other.
    """
    with _ctrl_c_kept() as ctrl_c:
        return _run(argv, ctrl_c)


def _run(argv: Sequence[str] | None, ctrl_c: _CtrlC | None) -> int:
    """`main`'s work, each way it can end turned into an exit status."""
    try:
        from engine.commands import load
        from engine.core.rulebase import load_rule_base

        words = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(only=_command_named(words)).parse_args(words)
        command = load(args.command)
        rules = load_rule_base(args.rules, amend=args.amend)
        if not getattr(command, "REPORTS_WARNINGS", False):
            for warning in rules.warnings:
                sys.stderr.write(f"ordinance: {printable(str(warning), keep=chr(10))}\n")
        if rules.amended:
            sys.stderr.write(f"ordinance: note: {', '.join(rules.amended)} amended by your --rules files "
                             "(--amend): results for them are those of the amended text, not the enacted one\n")
        sys.stdout.write(command.run(rules, args))
        sys.stdout.flush()  # a closed pipe shows here, where it is caught, not at exit
    except EngineError as error:
        sys.stderr.write(f"ordinance: error: {error}\n")
        return EXIT_BAD_INPUT
    except FailureFound as failure:
        sys.stderr.write(f"ordinance: {failure}\n")
        return EXIT_FAILURE_FOUND
    except BrokenPipeError:
        _silence_stdout()
        sys.stderr.write("ordinance: error: the output was closed before everything was written "
                         "(a closed pipe, e.g. `| head`). Fix: let the reader take the whole output, "
                         "or write it to a file.\n")
        return EXIT_BAD_INPUT
    except OSError as error:
        sys.stderr.write(f"ordinance: error: {_os_error_message(error)}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as interruption:
        if ctrl_c is not None:
            ctrl_c.handled.set()
        detail = f": {interruption}" if str(interruption) else ""
        sys.stderr.write(f"ordinance: interrupted (Ctrl-C){detail}\n")
        return EXIT_INTERRUPTED
    return EXIT_OK
