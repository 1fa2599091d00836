"""The errors a user can cause and fix.

Every problem with a user's input (a case file, a rules directory, an option)
is raised as an `EngineError` whose message names the file, the line or field,
and the fix.  The command line prints the message and exits with status 2; it
never shows a traceback for these.
"""

from __future__ import annotations

__all__ = ["EngineError", "CaseError", "RulesError"]


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
