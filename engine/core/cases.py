"""Reading case files (JSON or YAML) and checking them against the contract.

A case file holds one case object or a list of them (CASES.md, "A case").
Every field is optional; unknown fields, unknown values and wrong types are
errors that name the file, the case and the field, with the allowed values.
The allowed values are not listed here: they come from the rule base's
``domain/2`` facts, so the ASP vocabulary stays the one place they are defined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.core.catalog import Catalog
from engine.core.errors import CaseError, EngineError

__all__ = ["Request", "Case", "CaseFile", "read_case_file", "load_cases", "load_case", "parse_case",
           "read_case_data", "REQUEST_FLAGS"]

#: Boolean request fields; each true one becomes request_has(Q, Field).
REQUEST_FLAGS = ("judicial_warrant", "court_order", "administrative_warrant")
CASE_FIELDS = ("id", "ordinances", "agency", "person", "requests", "determinations", "actions")
PERSON_LISTS = {"roles": "role", "convictions": "conviction"}
REQUEST_FIELDS = ("kind", "from", *REQUEST_FLAGS, "info", "purpose", "topic")


@dataclass(frozen=True)
class Request:
    """One request from federal immigration authorities (CASES.md `requests`)."""

    kind: str
    source: str = "ice"
    judicial_warrant: bool = False
    court_order: bool = False
    administrative_warrant: bool = False
    info: tuple[str, ...] = ()
    purpose: str | None = None
    topic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The request in contract form, with only the fields that say something."""
        data: dict[str, Any] = {"kind": self.kind, "from": self.source}
        for flag in REQUEST_FLAGS:
            if getattr(self, flag):
                data[flag] = True
        if self.info:
            data["info"] = list(self.info)
        if self.purpose:
            data["purpose"] = self.purpose
        if self.topic:
            data["topic"] = self.topic
        return data


@dataclass(frozen=True)
class Case:
    """A validated case: what a user wrote, normalised (absent means false/empty)."""

    id: str
    ordinances: tuple[str, ...] = ()
    agency: str | None = None
    person: frozenset[str] = frozenset()
    roles: tuple[str, ...] = ()
    convictions: tuple[str, ...] = ()
    requests: tuple[Request, ...] = ()
    determinations: frozenset[str] = frozenset()
    actions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The case in contract form (a round trip through `parse_case` gives it back)."""
        data: dict[str, Any] = {"id": self.id}
        if self.ordinances:
            data["ordinances"] = list(self.ordinances)
        if self.agency:
            data["agency"] = self.agency
        person: dict[str, Any] = {flag: True for flag in sorted(self.person)}
        if self.roles:
            person["roles"] = list(self.roles)
        if self.convictions:
            person["convictions"] = list(self.convictions)
        if person:
            data["person"] = person
        if self.requests:
            data["requests"] = [r.to_dict() for r in self.requests]
        if self.determinations:
            data["determinations"] = {d: True for d in sorted(self.determinations)}
        if self.actions:
            data["actions"] = list(self.actions)
        return data


@dataclass
class _Checker:
    """Validates one case object, remembering where it came from for messages."""

    where: str
    catalog: Catalog
    problems: list[str] = field(default_factory=list)

    def fail(self, path: str, problem: str, fix: str) -> None:
        raise CaseError(self.where, path, problem, fix)

    def mapping(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_kind(value)}",
                      f"write '{path}' as a mapping of field: value")
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), "unknown field",
                          f"remove it or use one of: {', '.join(allowed)}")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {value!r}", "write true or false")
        return value

    def choice(self, value: Any, path: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"unknown value {value!r}", f"use one of: {', '.join(allowed)}")
        return value

    def choices(self, value: Any, path: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {_kind(value)}",
                      f"write a list such as [{allowed[0]}]")
        items = tuple(self.choice(v, f"{path}[{i}]", allowed) for i, v in enumerate(value))
        duplicates = sorted({v for v in items if items.count(v) > 1})
        if duplicates:
            self.fail(path, f"lists {', '.join(duplicates)} more than once", "list each value once")
        return items

    def domain(self, name: str) -> tuple[str, ...]:
        return self.catalog.domains[name]


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


def parse_case(data: Any, catalog: Catalog, where: str, default_id: str) -> Case:
    """Validate one case object (already read from JSON/YAML) and normalise it."""
    check = _Checker(where, catalog)
    if not isinstance(data, dict):
        check.fail("", f"a case must be an object, got {_kind(data)}",
                   "write the case as a mapping of field: value (CASES.md), or {} for an empty case")
    top = check.mapping(data, "", CASE_FIELDS)
    case_id = top.get("id", default_id)
    if not isinstance(case_id, (str, int)) or isinstance(case_id, bool):
        check.fail("id", f"expected a string, got {_kind(case_id)}", "write the id as text")
    case_id = str(case_id)
    check.where = f"{where} (case '{case_id}')"

    ordinances = check.choices(top.get("ordinances"), "ordinances", tuple(catalog.ordinances))
    agency = top.get("agency")
    if agency is not None:
        agency = check.choice(agency, "agency", check.domain("agency"))

    person_flags = check.domain("person")
    person = check.mapping(top.get("person"), "person", (*person_flags, *PERSON_LISTS))
    flags = frozenset(f for f in person_flags if check.boolean(person.get(f), f"person.{f}"))
    roles = check.choices(person.get("roles"), "person.roles", check.domain("role"))
    convictions = check.choices(person.get("convictions"), "person.convictions",
                                check.domain("conviction"))

    raw_requests = top.get("requests")
    if raw_requests is not None and not isinstance(raw_requests, list):
        check.fail("requests", f"expected a list, got {_kind(raw_requests)}",
                   "write requests as a list of objects, each with a kind")
    requests = tuple(_parse_request(check, r, f"requests[{i}]")
                     for i, r in enumerate(raw_requests or []))

    determination_names = check.domain("determination")
    raw_determinations = check.mapping(top.get("determinations"), "determinations",
                                       determination_names)
    determinations = frozenset(d for d in determination_names
                               if check.boolean(raw_determinations.get(d), f"determinations.{d}"))
    actions = check.choices(top.get("actions"), "actions", tuple(catalog.actions))
    return Case(case_id, ordinances, agency, flags, roles, convictions, requests,
                determinations, actions)


def _parse_request(check: _Checker, data: Any, path: str) -> Request:
    request = check.mapping(data, path, REQUEST_FIELDS)
    if "kind" not in request:
        check.fail(f"{path}.kind", "missing", "say what was asked for, e.g. kind: detainer "
                   f"(one of: {', '.join(check.domain('request_kind'))})")
    return Request(
        kind=check.choice(request["kind"], f"{path}.kind", check.domain("request_kind")),
        source=check.choice(request.get("from", "ice"), f"{path}.from", check.domain("request_from")),
        judicial_warrant=check.boolean(request.get("judicial_warrant"), f"{path}.judicial_warrant"),
        court_order=check.boolean(request.get("court_order"), f"{path}.court_order"),
        administrative_warrant=check.boolean(request.get("administrative_warrant"),
                                             f"{path}.administrative_warrant"),
        info=check.choices(request.get("info"), f"{path}.info", check.domain("request_info")),
        purpose=(check.choice(request["purpose"], f"{path}.purpose", check.domain("request_purpose"))
                 if request.get("purpose") is not None else None),
        topic=(check.choice(request["topic"], f"{path}.topic", check.domain("request_topic"))
               if request.get("topic") is not None else None),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key given twice instead of keeping the last one."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_unique_mapping)


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EngineError(f"{path}: no such file. Fix: check the path.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EngineError(f"{path}: cannot read it ({error}). Fix: give a UTF-8 JSON or YAML file.") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_unique_json_object)
        except json.JSONDecodeError as error:
            raise EngineError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}. "
                              "Fix: correct the JSON syntax there.") from None
        except ValueError as error:
            raise EngineError(f"{path}: {error}. Fix: give each key once.") from None
    if suffix in (".yaml", ".yml"):
        try:
            return yaml.load(text, Loader=_UniqueKeyLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise EngineError(f"{path}{line}: invalid YAML: {problem}. "
                              "Fix: correct the YAML there.") from None
    raise EngineError(f"{path}: unknown file type '{suffix}'. Fix: name case files *.json, *.yaml or *.yml.")


def read_case_data(path: str | Path) -> Any:
    """The raw data of a JSON/YAML case file, not yet validated (for batch readers,
    which validate case by case so that one bad case does not stop the rest)."""
    return _read(Path(path))


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict:
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"the key '{duplicates[0]}' appears twice")
    return dict(pairs)


@dataclass(frozen=True)
class CaseFile:
    """The cases of one file, and whether the file held a list (answered with a JSON array)."""

    cases: tuple[Case, ...]
    is_list: bool


def read_case_file(path: str | Path, catalog: Catalog) -> CaseFile:
    """All cases of a JSON/YAML file, in file order.

    A file holding one object gives one case whose default id is the file's
    stem; a list gives cases whose default ids are ``stem-1``, ``stem-2``, ...
    """
    path = Path(path)
    data = _read(path)
    if isinstance(data, list):
        if not data:
            raise EngineError(f"{path}: the list of cases is empty. Fix: add at least one case.")
        return CaseFile(tuple(parse_case(item, catalog, f"{path}[{i + 1}]", f"{path.stem}-{i + 1}")
                              for i, item in enumerate(data)), True)
    return CaseFile((parse_case(data, catalog, str(path), path.stem),), False)


def load_cases(path: str | Path, catalog: Catalog) -> list[Case]:
    """All cases of a JSON/YAML file, in file order (see `read_case_file`)."""
    return list(read_case_file(path, catalog).cases)


def load_case(path: str | Path, catalog: Catalog) -> Case:
    """The single case of a file (an error if the file holds a list of several)."""
    cases = load_cases(path, catalog)
    if len(cases) != 1:
        raise EngineError(f"{path}: holds {len(cases)} cases where one is expected. "
                          "Fix: put the case you want in a file of its own.")
    return cases[0]
