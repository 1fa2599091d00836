"""Result objects: one status per (ordinance, action), as CASES.md defines them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["WordEnum", "Status", "Result", "Decision"]


class WordEnum(StrEnum):
    """A closed vocabulary of words: each member is written (JSON, text, CSV) as its word and
    compares equal to it, so outputs read as before; its repr is the word too, as results'
    reprs show it in the docs and doctests."""

    def __repr__(self) -> str:
        return repr(self.value)


class Status(WordEnum):
    """The status of an action under an ordinance, in priority order (CASES.md, "A result"),
    spelled as the rules derive it (``status(O, A, forbidden)``)."""

    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    OBLIGATED = "obligated"
    PERMITTED = "permitted"
    SILENT = "silent"


@dataclass(frozen=True)
class Result:
    """The status of one action under one ordinance, with the sections behind it."""

    ordinance: str
    action: str
    status: Status
    sections: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    tensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The solver gives the status as a word; holding it as a Status rejects any other word here.
        object.__setattr__(self, "status", Status(self.status))

    def to_dict(self) -> dict[str, Any]:
        return {"ordinance": self.ordinance, "action": self.action, "status": self.status,
                "sections": list(self.sections), "exceptions": list(self.exceptions),
                "tensions": list(self.tensions)}


@dataclass(frozen=True)
class Decision:
    """Every result for one case, ordinance by ordinance, action by action."""

    case: str
    results: tuple[Result, ...]

    def to_dict(self) -> dict[str, Any]:
        """Exactly the contract's JSON object for `ordinance decide --format json`."""
        return {"case": self.case, "results": [r.to_dict() for r in self.results]}

    def result(self, ordinance: str, action: str) -> Result:
        """The row for one (ordinance, action) pair."""
        for row in self.results:
            if row.ordinance == ordinance and row.action == action:
                return row
        raise KeyError((ordinance, action))
