"""The errors a user can cause and fix.

Every problem with a user's input (a case file, a rules directory, an option)
is raised as an `EngineError` whose message names the file, the line or field,
and the fix.  The command line prints the message and exits with status 2; it
never shows a traceback for these.

A `FailureFound` is not a mistake of the user's: the command did its work and
found what the user asked it to fail on (``batch --fail-on-error``, a check's
``--fail-on``), so that a script or CI job can gate on it; the command line
exits with status 1.

A message quotes what the user wrote (a file name, an id, a key, a value), so
each is shown through `engine.core.printable`: a control character, a bidi
override or a line separator in it is printed as its escape (``\\x1b``) and
cannot act on the terminal the message is printed to.
"""

from __future__ import annotations

from engine.core.printable import printable

__all__ = ["EngineError", "CaseError", "RulesError", "FailureFound"]


class EngineError(Exception):
    """A problem with the user's input, explained well enough to fix it."""

    def __str__(self) -> str:
        # Line breaks stay: some messages list several problems, one a line.
        return printable(super().__str__(), keep="\n")


class CaseError(EngineError):
    """A case file that does not follow the contract (docs/contract.md)."""

    def __init__(self, where: str, field: str, problem: str, fix: str) -> None:
        self.where = where
        self.field = field
        self.problem = problem
        self.fix = fix
        # A value of one line (a file name, an id, a key path) shows even its line breaks escaped.
        location = f"{printable(where)}: field '{printable(field)}'" if field else printable(where)
        super().__init__(f"{location}: {problem}. Fix: {fix}")


class RulesError(EngineError):
    """An ASP rule file that cannot be loaded or breaks the vocabulary's conventions."""


class FailureFound(Exception):
    """The command ran to the end and found what the user asked it to fail on (exit 1).

    Its output has been written; the message says what was found.
    """

    def __str__(self) -> str:
        return printable(super().__str__(), keep="\n")
