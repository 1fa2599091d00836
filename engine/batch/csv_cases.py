"""The flat CSV form of a case (docs/batch.md, "CSV columns").

A column is named by the case field's dotted path in the contract: ``id``,
``agency``, ``person.consent``, ``person.convictions``, ``requests.1.kind``,
``requests.1.info``, ``determinations.required_by_law``.  List fields are
``;``-separated cells, booleans are ``true``/``false`` (also ``1``/``0``,
``yes``/``no``), an empty cell means the field is absent.  Spaces around a value
are no part of it, except in the id, which is text kept exactly as written.  A cell that is not
what its column expects is passed on as written, so case validation names the
field and the allowed values (the batch then writes an error row).
"""

from __future__ import annotations

from typing import Any

from engine.core.catalog import Catalog
from engine.core.vocabulary import CASE_FORMAT, Container, FactField, MetaField, Shape

__all__ = ["unflatten_case", "flatten_case", "case_columns"]

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
#: Fields written as ``;``-separated lists besides the format's LIST fields.
_META_LISTS = {"ordinances", "actions"}


def _child(container: Container, key: str) -> "Container | FactField | MetaField | None":
    return next((item for item in container.fields if item.key == key), None)


def _field(parts: list[str], container: Container = CASE_FORMAT) -> "FactField | MetaField | None":
    """The field a column names (request numbers skipped); a flag's FLAGS field."""
    item = _child(container, parts[0])
    rest = parts[1:]
    if isinstance(item, Container):
        if item.repeated:
            rest = rest[1:]
        return _field(rest, item) if rest else None
    if item is None and len(parts) == 1:
        return next((i for i in container.fields if isinstance(i, FactField) and i.shape is Shape.FLAGS), None)
    return item if not rest else None


def _is_text(path: str) -> bool:
    """Whether a column holds free text (the id), kept exactly as written, spaces and all."""
    return isinstance(_field(path.split(".")), MetaField) and path not in _META_LISTS


def _cell(path: str, text: str) -> Any:
    if _is_text(path):
        return text
    item = _field(path.split("."))
    if path in _META_LISTS or (isinstance(item, FactField) and item.shape is Shape.LIST):
        return [value.strip() for value in text.split(";") if value.strip()]
    if isinstance(item, FactField) and item.shape is Shape.FLAGS:
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    return text.strip()


def _place(target: dict[str, Any], parts: list[str], value: Any, container: Container = CASE_FORMAT) -> None:
    """Put a cell's value where its column's path says, in nested objects; a repeated
    object's elements are keyed by their number until `_listed` orders them."""
    item = _child(container, parts[0])
    if isinstance(item, Container) and item.repeated and len(parts) >= 3:
        number: int | str = int(parts[1]) if parts[1].isdigit() else parts[1]
        _place(target.setdefault(parts[0], {}).setdefault(number, {}), parts[2:], value, item)
    elif isinstance(item, Container) and not item.repeated and len(parts) >= 2:
        _place(target.setdefault(parts[0], {}), parts[1:], value, item)
    else:
        target[".".join(parts)] = value  # a field, or a path validation will name as unknown


def _listed(data: dict[str, Any], container: Container = CASE_FORMAT) -> dict[str, Any]:
    """``data`` with each repeated object's numbered elements turned into a list, in number order."""
    for item in container.fields:
        if not isinstance(item, Container) or not isinstance(data.get(item.key), dict):
            continue
        if item.repeated:
            numbered = data[item.key]
            data[item.key] = [_listed(numbered[n], item) for n in
                              sorted(numbered, key=lambda n: (isinstance(n, str), str(n).zfill(9)))]
        else:
            _listed(data[item.key], item)
    return data


def unflatten_case(row: dict[str, str | None]) -> dict[str, Any]:
    """A CSV row (column -> cell) as a contract case object; empty cells are absent.

    ``requests.N.*`` columns become the N-th request, in the order of N.

    >>> unflatten_case({"id": "a", "person.convictions": "felony;misdemeanor",
    ...                 "requests.1.kind": "detainer", "person.consent": "true", "agency": ""})
    {'id': 'a', 'person': {'convictions': ['felony', 'misdemeanor'], 'consent': True}, 'requests': [{'kind': 'detainer'}]}
    """
    case: dict[str, Any] = {}
    for column, text in row.items():
        if column is None or not text or (not text.strip() and not _is_text(column)):
            continue
        _place(case, column.split("."), _cell(column, text))
    return _listed(case)


def _flat(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, inner, out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for number, element in enumerate(value, start=1):
            _flat(f"{prefix}.{number}", element, out)
    elif isinstance(value, list):
        out[prefix] = ";".join(str(v) for v in value)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)


def flatten_case(case: dict[str, Any]) -> dict[str, str]:
    """A contract case object as CSV cells (the inverse of `unflatten_case`)."""
    out: dict[str, str] = {}
    _flat("", case, out)
    return out


def _columns(container: Container, prefix: str, catalog: Catalog, request_count: int) -> list[str]:
    columns: list[str] = []
    for item in container.fields:
        if isinstance(item, FactField) and item.shape is Shape.FLAGS:
            columns += [f"{prefix}{value}" for value in catalog.domains[item.domain]]
        elif isinstance(item, Container) and item.repeated:
            for number in range(1, request_count + 1):
                columns += _columns(item, f"{prefix}{item.key}.{number}.", catalog, request_count)
        elif isinstance(item, Container):
            columns += _columns(item, f"{prefix}{item.key}.", catalog, request_count)
        else:
            columns.append(f"{prefix}{item.key}")
    return columns


def case_columns(catalog: Catalog, request_count: int) -> list[str]:
    """Every column a case can use, in the case format's order, for up to ``request_count`` requests."""
    return _columns(CASE_FORMAT, "", catalog, request_count)
