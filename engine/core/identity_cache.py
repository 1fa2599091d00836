"""Caching what is derived from an immutable object, for as long as the object lives.

Rule bases, traced programs and catalogs are frozen but hold dicts and clingo
AST, so they cannot be hashed; what is derived from them (the instrumented
program, the citations of its rules, ...) is still worth computing once.  The
cache is keyed by the arguments' identities and holds them only weakly: an entry
goes when any of its arguments is collected, so a report that restricts the rule
base hundreds of times does not keep every restricted copy alive (and a new
object at a reused ``id`` never meets a stale entry).
"""

from __future__ import annotations

import functools
import weakref
from typing import Callable, Generic, TypeVar

__all__ = ["by_identity", "IdentityCached"]

Value = TypeVar("Value")


class IdentityCached(Generic[Value]):
    """``function`` computed once per combination of argument objects (compared by
    identity), each result kept while all of its arguments are alive.

    Arguments must accept weak references (instances of ordinary classes do).
    """

    def __init__(self, function: Callable[..., Value]) -> None:
        functools.update_wrapper(self, function)
        self.function = function
        self.entries: dict[tuple[int, ...], tuple[tuple[weakref.ref, ...], Value]] = {}

    def __call__(self, *arguments: object) -> Value:
        key = tuple(map(id, arguments))
        hit = self.entries.get(key)
        if hit is not None and all(ref() is argument for ref, argument in zip(hit[0], arguments)):
            return hit[1]
        value = self.function(*arguments)
        entries = self.entries
        entry: tuple[tuple[weakref.ref, ...], Value] | None = None

        def forget(_: weakref.ref) -> None:
            # Called as an argument is collected, before its id can be reused; leaves
            # alone an entry that has since replaced this one.
            if entries.get(key) is entry:
                entries.pop(key, None)

        entry = (tuple(weakref.ref(argument, forget) for argument in arguments), value)
        self.entries[key] = entry
        return value

    def cache_clear(self) -> None:
        """Forget every entry (e.g. in a forked worker that must rebuild its own)."""
        self.entries.clear()


def by_identity(function: Callable[..., Value]) -> IdentityCached[Value]:
    """Decorator: ``function`` cached per argument objects, weakly (`IdentityCached`)."""
    return IdentityCached(function)
