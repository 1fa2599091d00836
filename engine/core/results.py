"""Result objects: one status per (ordinance, action), as docs/contract.md defines them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Iterable

from engine.core.catalog import section_sort_key
from engine.core.printable import printable

from engine.core.vocabulary import (DECIDED_BY, EXCEPTED_BY, ITEM_DECIDED_BY, ITEM_STATUS, RESTRICTED_BY, STATUS,
                                    TENSION)

__all__ = ["WordEnum", "Status", "ItemResult", "Result", "Decision", "result_from_values"]


class WordEnum(StrEnum):
    """A closed vocabulary of words: each member is written (JSON, text, CSV) as its word and
    compares equal to it, so outputs read as before; its repr is the word too, as results'
    reprs show it in the docs and doctests."""

    def __repr__(self) -> str:
        return repr(self.value)


class Status(WordEnum):
    """The status of an action under an ordinance, in priority order (docs/contract.md, "A result"),
    spelled as the rules derive it (``status(O, A, forbidden)``)."""

    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    OBLIGATED = "obligated"
    PERMITTED = "permitted"
    SILENT = "silent"


@dataclass(frozen=True)
class ItemResult:
    """What holds for one item of information one request asks for (``item_status/5``)."""

    request: int
    info: str
    status: Status
    sections: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request, "info": self.info, "status": self.status,
                "sections": list(self.sections)}


@dataclass(frozen=True)
class Result:
    """The status of one action under one ordinance, with the sections behind it.

    ``restrictions`` names the sections that let the act be done only under a
    condition (restricts/5); ``items`` says, item by item, what holds for the
    information the case's requests ask for.  Both are additions to the v1
    contract, written in JSON only when the row has them.
    """

    ordinance: str
    action: str
    status: Status
    sections: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    tensions: tuple[str, ...] = ()
    restrictions: tuple[str, ...] = ()
    items: tuple[ItemResult, ...] = ()

    def __post_init__(self) -> None:
        # The solver gives the status as a word; holding it as a Status rejects any other word here.
        object.__setattr__(self, "status", Status(self.status))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ordinance": self.ordinance, "action": self.action, "status": self.status,
                                "sections": list(self.sections), "exceptions": list(self.exceptions),
                                "tensions": list(self.tensions)}
        if self.restrictions:
            data["restrictions"] = list(self.restrictions)
        if self.items:
            data["items"] = [item.to_dict() for item in self.items]
        return data


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

    def summary(self) -> str:
        """How many pairs have each status, over how many ordinances: "59 forbidden, 4 obligated,
        10 permitted, 79 silent over 4 ordinances" (statuses in priority order, none left out)."""
        counts = [f"{sum(r.status is status for r in self.results)} {status}" for status in Status
                  if any(r.status is status for r in self.results)]
        ordinances = len({r.ordinance for r in self.results})
        return f"{', '.join(counts) or 'no pairs'} over {ordinances} ordinance{'s' if ordinances != 1 else ''}"

    def __repr__(self) -> str:
        """Short, as a console or a notebook shows a bare ``decision``: the rows are ``results``
        (and `to_dict`), a few hundred of them for a case under every ordinance."""
        return f"<Decision {printable(self.case)}: {self.summary()}>"

    def _repr_html_(self) -> str:
        """The decision as a notebook shows it: a table of the non-silent rows."""
        from engine.render.notebook import decision_html

        return decision_html(self)

    def to_pandas(self):
        """A pandas DataFrame, one row per (ordinance, action) with the contract JSON's fields
        (`engine.render.frames`); needs the ``notebook`` extra."""
        from engine.render.frames import decision_frame

        return decision_frame(self)


def result_from_values(ordinance: str, action: str, values: Iterable[tuple[str, tuple[str, ...]]]) -> Result:
    """The result of one pair from its shown conclusions, each given as the predicate's name
    and its arguments after the ordinance and the action (``("decided_by", ("10(b)",))``,
    ``("item_status", ("1", "confidential", "forbidden"))``); no conclusion: silent.

    The one place a result is assembled, for `decide` and for `batch` alike.
    """
    status = Status.SILENT
    sections: dict[str, set[str]] = {p.name: set() for p in (DECIDED_BY, EXCEPTED_BY, TENSION, RESTRICTED_BY)}
    item_status: dict[tuple[int, str], str] = {}
    item_sections: dict[tuple[int, str], set[str]] = {}
    for name, rest in values:
        if name == STATUS.name:
            status = Status(rest[0])
        elif name == ITEM_STATUS.name:
            item_status[(int(rest[0]), rest[1])] = rest[2]
        elif name == ITEM_DECIDED_BY.name:
            item_sections.setdefault((int(rest[0]), rest[1]), set()).add(rest[2])
        else:
            sections[name].add(rest[0])

    def ordered(found: set[str]) -> tuple[str, ...]:
        return tuple(sorted(found, key=section_sort_key))

    items = tuple(ItemResult(request, info, Status(word), ordered(item_sections.get((request, info), set())))
                  for (request, info), word in sorted(item_status.items()))
    return Result(ordinance, action, status, ordered(sections[DECIDED_BY.name]),
                  ordered(sections[EXCEPTED_BY.name]), ordered(sections[TENSION.name]),
                  ordered(sections[RESTRICTED_BY.name]), items)
