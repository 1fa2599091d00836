""""Did you mean ...?" for a mistyped name, and the one error that rejects an unknown id.

Every place that checks a name the user typed (an ordinance id, an action id, a
switch and its value, a section for ``--drop``, a command or an option's value)
builds its message here, so a typo is answered the same way everywhere: what was
not known, the closest known name when one is close, and the fix.
"""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

from engine.core.catalog import Catalog
from engine.core.errors import EngineError

__all__ = ["closest", "did_you_mean", "suggestion", "require_known", "known_ordinance_id", "known_action_id"]

#: How alike a typo and a name must be (difflib's ratio, 0 to 1) to suggest the name.  difflib's
#: own default: "westchster" and "3(a)(1)" find "westchester" and "3(a)(i)", while a word that
#: is only as long as a name ("gotham", "nyc") finds nothing rather than a wrong guess.
CUTOFF = 0.6


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name most like ``word``, if one is close enough; case is ignored in the
    comparison (``Westchester`` finds ``westchester``), the name is given as known."""
    by_folded: dict[str, str] = {}
    for name in known:
        by_folded.setdefault(name.casefold(), name)
    matches = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=CUTOFF)
    return by_folded[matches[0]] if matches else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'NAME'?)`` to put after the rejected word in a message, or nothing."""
    return suggestion(closest(word, known))


def suggestion(name: str | None) -> str:
    """`` (did you mean 'NAME'?)``, or nothing for no name: for a caller that matched the
    word against part of what it suggests (a section, suggested with its ordinance)."""
    return f" (did you mean '{name}'?)" if name is not None else ""


def require_known(word: str, known: Sequence[str], what: str, fix: str | None = None) -> str:
    """``word``, if it is one of ``known``; else an `EngineError`: ``unknown WHAT 'word'``, the
    closest known name, and ``fix`` (by default: the known names)."""
    if word in known:
        return word
    advice = fix if fix is not None else f"use one of: {', '.join(known)}"
    raise EngineError(f"unknown {what} '{word}'{did_you_mean(word, known)}. Fix: {advice}.")


def known_ordinance_id(catalog: Catalog, public_id: str, what: str = "ordinance") -> str:
    """A public ordinance id, checked against the rule base's (``what`` names its role in the
    message, e.g. "federal law")."""
    return require_known(public_id, tuple(catalog.ordinances), what,
                         f"use one of: {', '.join(catalog.ordinances)} (`ordinance list`)")


def known_action_id(catalog: Catalog, action: str) -> str:
    """An action id, checked against the vocabulary's (the list is long: the fix points to it)."""
    return require_known(action, tuple(catalog.actions), "action",
                         "use an action id of the vocabulary (`ordinance list --actions` prints them)")
