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

__all__ = ["generate_cases", "MAX_REQUESTS"]

#: Chance that a case states a given boolean or list value; requests per case are 0-3.
_RATE = 0.2
MAX_REQUESTS = 3


def _subset(rng: random.Random, values: tuple[str, ...], cycled: str | None) -> list[str]:
    return [v for v in values if v == cycled or rng.random() < _RATE]


def _cycled(values: tuple[str, ...], index: int, cover: int) -> str | None:
    return values[index % len(values)] if index < cover else None


def _request(rng: random.Random, catalog: Catalog, index: int, cover: int) -> dict[str, Any]:
    domains = catalog.domains
    request: dict[str, Any] = {
        "kind": _cycled(domains["request_kind"], index, cover) or rng.choice(domains["request_kind"]),
        "from": _cycled(domains["request_from"], index, cover) or rng.choice(domains["request_from"]),
    }
    for flag in domains["request_has"]:
        if flag == _cycled(domains["request_has"], index, cover) or rng.random() < _RATE:
            request[flag] = True
    info = _subset(rng, domains["request_info"], _cycled(domains["request_info"], index, cover))
    if info:
        request["info"] = info
    for field in ("purpose", "topic"):
        values = domains[f"request_{field}"]
        value = _cycled(values, index, cover) or (rng.choice(values) if rng.random() < 0.5 else None)
        if value:
            request[field] = value
    return request


def _case(rng: random.Random, catalog: Catalog, index: int, cover: int) -> dict[str, Any]:
    domains = catalog.domains
    case: dict[str, Any] = {"id": f"case-{index + 1}"}
    agency = _cycled(domains["agency"], index, cover) or (
        rng.choice(domains["agency"]) if rng.random() < 0.8 else None)
    if agency:
        case["agency"] = agency
    person: dict[str, Any] = {f: True for f in _subset(rng, domains["person"],
                                                       _cycled(domains["person"], index, cover))}
    for field, domain in (("roles", "role"), ("convictions", "conviction")):
        values = _subset(rng, domains[domain], _cycled(domains[domain], index, cover))
        if values:
            person[field] = values
    if person:
        case["person"] = person
    count = 1 if index < cover else rng.randint(0, MAX_REQUESTS)
    if count:
        case["requests"] = [_request(rng, catalog, index, cover) for _ in range(count)]
    determinations = _subset(rng, domains["determination"],
                             _cycled(domains["determination"], index, cover))
    if determinations:
        case["determinations"] = {d: True for d in determinations}
    return case


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
        yield _case(rng, catalog, index, cover)
