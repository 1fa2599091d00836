"""Result objects: one status per (ordinance, action), as CASES.md defines them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["STATUSES", "Result", "Decision"]

#: Statuses in priority order (CASES.md, "A result").
STATUSES = ("conflict", "forbidden", "obligated", "permitted", "silent")


@dataclass(frozen=True)
class Result:
    """The status of one action under one ordinance, with the sections behind it."""

    ordinance: str
    action: str
    status: str
    sections: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    tensions: tuple[str, ...] = ()

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
