"""The flat CSV form of a case (docs/batch.md, "CSV columns").

A column is named by the case field's dotted path in the contract: ``id``,
``agency``, ``person.consent``, ``person.convictions``, ``requests.1.kind``,
``requests.1.info``, ``determinations.required_by_law``.  List fields are
``;``-separated cells, booleans are ``true``/``false`` (also ``1``/``0``,
``yes``/``no``), an empty cell means the field is absent.  A cell that is not
what its column expects is passed on as written, so case validation names the
field and the allowed values (the batch then writes an error row).
"""

from __future__ import annotations

from typing import Any

from engine.core.cases import REQUEST_FLAGS
from engine.core.catalog import Catalog

__all__ = ["unflatten_case", "flatten_case", "case_columns"]

_LIST_FIELDS = {"ordinances", "actions", "person.roles", "person.convictions"}
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _is_list(path: str) -> bool:
    return path in _LIST_FIELDS or (path.startswith("requests.") and path.endswith(".info"))


def _is_boolean(path: str, catalog: Catalog) -> bool:
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "person":
        return parts[1] in catalog.domains["person"]
    if len(parts) == 2 and parts[0] == "determinations":
        return True
    return len(parts) == 3 and parts[0] == "requests" and parts[2] in REQUEST_FLAGS


def _cell(path: str, text: str, catalog: Catalog) -> Any:
    if _is_list(path):
        return [item.strip() for item in text.split(";") if item.strip()]
    if _is_boolean(path, catalog):
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    return text.strip()


def unflatten_case(row: dict[str, str | None], catalog: Catalog) -> dict[str, Any]:
    """A CSV row (column -> cell) as a contract case object; empty cells are absent.

    ``requests.N.*`` columns become the N-th request, in the order of N.

    >>> from engine import load_rule_base
    >>> unflatten_case({"id": "a", "person.convictions": "felony;misdemeanor",
    ...                 "requests.1.kind": "detainer", "person.consent": "true",
    ...                 "agency": ""}, load_rule_base().catalog)
    {'id': 'a', 'person': {'convictions': ['felony', 'misdemeanor'], 'consent': True}, 'requests': [{'kind': 'detainer'}]}
    """
    case: dict[str, Any] = {}
    requests: dict[int | str, dict[str, Any]] = {}
    for column, text in row.items():
        if column is None or text is None or not text.strip():
            continue
        value = _cell(column, text, catalog)
        parts = column.split(".")
        if parts[0] == "requests" and len(parts) == 3:
            number: int | str = int(parts[1]) if parts[1].isdigit() else parts[1]
            requests.setdefault(number, {})[parts[2]] = value
        elif len(parts) == 2:
            case.setdefault(parts[0], {})[parts[1]] = value
        else:
            case[column] = value
    if requests:
        case["requests"] = [requests[n] for n in sorted(requests, key=lambda n: (isinstance(n, str), str(n).zfill(9)))]
    return case


def _flat(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, inner, out)
    elif isinstance(value, list):
        out[prefix] = ";".join(str(v) for v in value)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)


def flatten_case(case: dict[str, Any]) -> dict[str, str]:
    """A contract case object as CSV cells (the inverse of `unflatten_case`)."""
    out: dict[str, str] = {}
    for key, value in case.items():
        if key == "requests":
            for number, request in enumerate(value, start=1):
                _flat(f"requests.{number}", request, out)
        else:
            _flat(key, value, out)
    return out


def case_columns(catalog: Catalog, request_count: int) -> list[str]:
    """Every column a case can use, in a fixed order, for up to ``request_count`` requests."""
    columns = ["id", "ordinances", "agency", "actions"]
    columns += [f"person.{flag}" for flag in catalog.domains["person"]]
    columns += ["person.roles", "person.convictions"]
    for number in range(1, request_count + 1):
        columns += [f"requests.{number}.{field}" for field in
                    ("kind", "from", *REQUEST_FLAGS, "info", "purpose", "topic")]
    columns += [f"determinations.{d}" for d in catalog.domains["determination"]]
    return columns
