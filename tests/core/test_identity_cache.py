"""`by_identity`: one computation per argument object, dropped when the object is."""

from __future__ import annotations

import gc

from engine.core.identity_cache import by_identity


class Frozen:
    """An argument that cannot be hashed, like a rule base (it holds dicts)."""

    __hash__ = None  # type: ignore[assignment]


def test_a_value_is_computed_once_per_object_and_goes_with_it() -> None:
    calls: list[tuple[object, object]] = []

    @by_identity
    def derived(first: Frozen, second: Frozen) -> list[int]:
        calls.append((first, second))
        return [len(calls)]

    a, b = Frozen(), Frozen()
    value = derived(a, b)
    assert derived(a, b) is value and len(calls) == 1
    assert derived(b, a) is not value and len(calls) == 2
    calls.clear()  # the test's own record must not keep the arguments alive
    del a
    gc.collect()
    assert list(derived.entries) == []  # both entries held the collected object
    c = Frozen()
    assert derived(c, b) == [1] and len(derived.entries) == 1
    derived.cache_clear()
    assert not derived.entries
