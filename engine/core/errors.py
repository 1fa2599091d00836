"""The errors a user can cause and fix.

Every problem with a user's input (a case file, a rules directory, an option)
is raised as an `EngineError` whose message names the file, the line or field,
and the fix.  The command line prints the message and exits with status 2; it
never shows a traceback for these.

A `FailureFound` is not a mistake of the user's: the command did its work and
found what the user asked it to fail on (``batch --fail-on-error``, a check's
``--fail-on``), so that a script or CI job can gate on it; the command line
exits with status 1.
"""

from __future__ import annotations

__all__ = ["EngineError", "CaseError", "RulesError", "FailureFound"]


class EngineError(Exception):
    """A problem with the user's input, explained well enough to fix it."""


class CaseError(EngineError):
    """A case file that does not follow the contract (CASES.md)."""

    def __init__(self, where: str, field: str, problem: str, fix: str) -> None:
        self.where = where
        self.field = field
        self.problem = problem
        self.fix = fix
        location = f"{where}: field '{field}'" if field else where
        super().__init__(f"{location}: {problem}. Fix: {fix}")


class RulesError(EngineError):
    """An ASP rule file that cannot be loaded or breaks the vocabulary's conventions."""


class FailureFound(Exception):
    """The command ran to the end and found what the user asked it to fail on (exit 1).

    Its output has been written; the message says what was found.
    """
