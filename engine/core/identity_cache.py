"""Caching what is derived from an immutable object, keyed by the object itself.

Rule bases, traced programs and catalogs are frozen but hold dicts and clingo
AST, so they cannot be hashed; what is derived from them (the instrumented
program, the citations of its rules, ...) is still worth computing once.  The
cache keeps each argument alive beside its value, so an ``id`` is never reused
by another object while its entry exists.
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

__all__ = ["by_identity"]

Value = TypeVar("Value")


def by_identity(function: Callable[..., Value]) -> Callable[..., Value]:
    """``function`` computed once per combination of argument objects (compared by identity)."""
    cache: dict[tuple[int, ...], tuple[tuple[object, ...], Value]] = {}

    @functools.wraps(function)
    def cached(*arguments: object) -> Value:
        key = tuple(map(id, arguments))
        hit = cache.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], arguments)):
            return hit[1]
        value = function(*arguments)
        cache[key] = (arguments, value)
        return value

    return cached
