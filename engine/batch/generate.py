"""Synthetic cases that cover the case vocabulary, for benchmarks and property tests.

Values are drawn from the rule base's ``domain/2`` facts (the same lists case
validation uses), so the generator covers whatever the vocabulary declares.
The first cases of every run cycle through each domain, so every value of
every field appears once ``n`` reaches the size of the largest domain (11);
the rest are random with moderate rates, like a mixed caseload.  The same
seed gives the same cases.
"""

from __future__ import annotations

import random
from typing import Any, Iterator

from engine.core.catalog import Catalog
from engine.core.vocabulary import CASE_FORMAT, IMPLICATIONS, Container, FactField, Shape, fact_field, fact_path

__all__ = ["generate_cases", "MAX_REQUESTS", "fact_holds", "state_fact", "with_implied_facts"]

#: Chance that a case states a given boolean or list value, and an optional single value.
_RATE = 0.2
_ONE_RATE = 0.5
#: Requests (elements of a repeated object) per case: 0-3.
MAX_REQUESTS = 3


class _Draw:
    """Random values for one case; while ``index < cover`` every field also takes the
    ``index``-th value of its domain, so that the first cases show every value."""

    def __init__(self, rng: random.Random, catalog: Catalog, index: int, cover: int) -> None:
        self.rng, self.catalog, self.index, self.cover = rng, catalog, index, cover

    def cycled(self, values: tuple[str, ...]) -> str | None:
        return values[self.index % len(values)] if self.index < self.cover else None

    def subset(self, values: tuple[str, ...]) -> list[str]:
        cycled = self.cycled(values)
        return [v for v in values if v == cycled or self.rng.random() < _RATE]

    def one(self, item: FactField) -> str | None:
        values = self.catalog.domains[item.domain]
        always = item.required or item.default is not None
        return self.cycled(values) or (
            self.rng.choice(values) if always or self.rng.random() < _ONE_RATE else None)

    def count(self) -> int:
        """How many elements a repeated object (requests) gets."""
        return 1 if self.index < self.cover else self.rng.randint(0, MAX_REQUESTS)

    def fill(self, container: Container) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for item in container.fields:
            value: Any
            if isinstance(item, Container):
                value = [self.fill(item) for _ in range(self.count())] if item.repeated else self.fill(item)
            elif not isinstance(item, FactField):
                continue
            elif item.shape is Shape.FLAGS:
                data.update({v: True for v in self.subset(self.catalog.domains[item.domain])})
                continue
            elif item.shape is Shape.LIST:
                value = self.subset(self.catalog.domains[item.domain])
            else:
                value = self.one(item)
            if value:
                data[item.key] = value
        return data


def fact_holds(data: dict[str, Any], fact: tuple[str, str]) -> bool:
    """Whether a case-level fact is stated in the case object ``data``."""
    *objects, key = fact_path(*fact).split(".")
    for name in objects:
        data = data.get(name, {})
    value = data.get(key)
    return value is True or (isinstance(value, list) and fact[1] in value) or value == fact[1]


def state_fact(data: dict[str, Any], fact: tuple[str, str]) -> None:
    """Add a case-level fact to the case object ``data``."""
    *objects, key = fact_path(*fact).split(".")
    for name in objects:
        data = data.setdefault(name, {})
    shape = fact_field(fact[0]).shape
    if shape is Shape.FLAGS:
        data[key] = True
    elif shape is Shape.LIST:
        data.setdefault(key, []).append(fact[1])
    else:
        data[key] = fact[1]


def with_implied_facts(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with what each stated fact needs (`IMPLICATIONS`) stated too."""
    for rule in IMPLICATIONS:
        if fact_holds(data, rule.fact) and not fact_holds(data, rule.needs):
            state_fact(data, rule.needs)
    return data


def generate_cases(catalog: Catalog, n: int, seed: int) -> Iterator[dict[str, Any]]:
    """``n`` valid case objects (contract form), deterministic for ``seed``.

    >>> from engine import load_rule_base
    >>> cases = list(generate_cases(load_rule_base().catalog, 3, seed=7))
    >>> [c["id"] for c in cases], cases == list(generate_cases(load_rule_base().catalog, 3, seed=7))
    (['case-1', 'case-2', 'case-3'], True)
    """
    rng = random.Random(seed)
    cover = max(len(values) for values in catalog.domains.values())
    for index in range(n):
        yield {"id": f"case-{index + 1}", **with_implied_facts(_Draw(rng, catalog, index, cover).fill(CASE_FORMAT))}
