"""Reading case files (JSON or YAML) and checking them against the contract.

A case file holds one case object or a list of them (docs/contract.md, "A case").
Every field is optional; unknown fields, unknown values and wrong types are
errors that name the file, the case and the field, with the allowed values.
The allowed values are not listed here: they come from the rule base's
``domain/2`` facts, so the ASP vocabulary stays the one place they are defined.
"""

from __future__ import annotations

import json
import reprlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from engine.core.catalog import Catalog
from engine.core.errors import CaseError, EngineError
from engine.core.identity_cache import by_identity
from engine.core.vocabulary import (CASE_FORMAT, IMPLICATIONS, Container, FactField, MetaField, Shape,
                                    fact_label, fact_path, fact_rank)

__all__ = ["Fact", "Case", "CaseFile", "read_case_file", "load_cases", "load_case", "parse_case",
           "quick_case", "check_case", "read_case_data", "parse_json"]

#: One fact of a case: the predicate, the request number for a request's facts, the value;
#: e.g. ``("agency", "police")`` or ``("request_info", 1, "release_date")``.
Fact = tuple[str | int, ...]


@dataclass(frozen=True)
class Case:
    """A validated case: its id, what to decide, and the facts it states.

    The facts are those of asp/vocabulary/case.lp, in the order of the case
    format (`engine.core.vocabulary.CASE_FORMAT`): within a field, list values
    as written and flags in the domain's order; requests numbered from 1.  The
    case file form is given back by `to_dict`.
    """

    id: str
    ordinances: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    actions: tuple[str, ...] = ()

    @property
    def request_count(self) -> int:
        """How many requests the case holds (they are numbered 1 to this)."""
        return max((f[1] for f in self.facts if _numbered(f)), default=0)

    def values(self, predicate: str, request: int | None = None) -> tuple[str, ...]:
        """The values the case states with ``predicate`` (of request number ``request``)."""
        if request is None:
            return tuple(str(f[-1]) for f in self.facts if f[0] == predicate and len(f) == 2)
        return tuple(str(f[-1]) for f in self.facts if f[0] == predicate and len(f) == 3 and f[1] == request)

    def to_dict(self) -> dict[str, Any]:
        """The case in contract form (a round trip through `parse_case` gives it back)."""
        data: dict[str, Any] = {}
        for item in CASE_FORMAT.fields:
            if isinstance(item, MetaField):
                value = self.id if item.key == "id" else getattr(self, item.key)
                if item.key == "id" or value:
                    data[item.key] = value if item.key == "id" else list(value)
            else:
                _write(self, item, data, None)
        return data

    @classmethod
    def from_facts(cls, case_id: str, facts: Iterable[Fact], like: "Case | None" = None) -> "Case":
        """The case stating ``facts`` (in any order), put in the case format's order.

        List values keep the order they have in ``like`` (a case these facts were
        changed from) and follow it sorted, so that a changed case reads like its
        original; flags follow their domain's order, which is sorted.
        """
        order = {fact: index for index, fact in enumerate(like.facts)} if like else {}

        def key(fact: Fact) -> tuple:
            outer, inner = fact_rank(str(fact[0]))
            number = fact[1] if len(fact) == 3 else 0
            return (outer, number, inner, order.get(fact, len(order)), str(fact[-1]))

        return cls(case_id, like.ordinances if like else (), tuple(sorted(set(facts), key=key)),
                   like.actions if like else ())


def _numbered(fact: Fact) -> bool:
    return len(fact) == 3


def _write(case: Case, item: "FactField | Container", data: dict[str, Any], number: int | None) -> None:
    """Put what ``case`` states for ``item`` (of request ``number``) into ``data``."""
    if isinstance(item, Container):
        if item.repeated:
            elements = []
            for request in range(1, case.request_count + 1):
                element: dict[str, Any] = {}
                for inner in item.fields:
                    _write(case, inner, element, request)
                elements.append(element)
            if elements:
                data[item.key] = elements
            return
        inner_data: dict[str, Any] = {}
        for inner in item.fields:
            _write(case, inner, inner_data, number)
        if inner_data:
            data[item.key] = inner_data
        return
    if isinstance(item, MetaField):
        return
    values = case.values(item.predicate, number)
    if item.shape is Shape.FLAGS:
        data.update({value: True for value in values})
    elif item.shape is Shape.LIST:
        if values:
            data[item.key] = list(values)
    elif values:
        data[item.key] = values[0]


@dataclass
class _Checker:
    """Validates one case object, remembering where it came from for messages."""

    where: str
    catalog: Catalog

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
                name = key if isinstance(key, str) else _shown(key)
                self.fail(f"{path}.{name}" if path else name, "unknown field",
                          f"remove it or use one of: {', '.join(allowed)}")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {_shown(value)}", "write true or false")
        return value

    def choice(self, value: Any, path: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"unknown value {_shown(value)}", f"use one of: {', '.join(allowed)}")
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

    def keys(self, container: Container) -> tuple[str, ...]:
        """The keys an object of ``container`` may hold, in the format's order."""
        keys: list[str] = []
        for item in container.fields:
            if isinstance(item, FactField) and item.shape is Shape.FLAGS:
                keys += self.domain(item.domain)
            else:
                keys.append(item.key)
        return tuple(keys)

    def facts(self, container: Container, data: dict[str, Any], path: str, number: int | None) -> list[Fact]:
        """The facts an object of ``container`` states, checked field by field."""
        prefix: tuple[int, ...] = () if number is None else (number,)
        facts: list[Fact] = []
        for item in container.fields:
            if isinstance(item, MetaField):
                continue
            if isinstance(item, Container):
                inner_path = f"{path}.{item.key}" if path else item.key
                facts += self.container(item, data.get(item.key), inner_path, number)
                continue
            allowed = self.domain(item.domain)
            if item.shape is Shape.FLAGS:
                facts += [(item.predicate, *prefix, value) for value in allowed
                          if self.boolean(data.get(value), f"{path}.{value}" if path else value)]
                continue
            field_path = f"{path}.{item.key}" if path else item.key
            if item.shape is Shape.LIST:
                facts += [(item.predicate, *prefix, v) for v in self.choices(data.get(item.key), field_path, allowed)]
                continue
            value = data.get(item.key)
            if value is None and item.required:
                self.fail(field_path, "missing", f"say {item.help}, e.g. {item.key}: {item.example} "
                          f"(one of: {', '.join(allowed)})")
            value = item.default if value is None else value
            if value is not None:
                facts.append((item.predicate, *prefix, self.choice(value, field_path, allowed)))
        return facts

    def container(self, container: Container, value: Any, path: str, number: int | None) -> list[Fact]:
        """The facts of an object (or, for a repeated one, a list of objects) at ``path``."""
        if not container.repeated:
            return self.facts(container, self.mapping(value, path, self.keys(container)), path, number)
        if value is not None and not isinstance(value, list):
            required = next((i.key for i in container.fields if isinstance(i, FactField) and i.required), None)
            self.fail(path, f"expected a list, got {_kind(value)}",
                      f"write {container.key} as a list of objects" + (f", each with a {required}" if required else ""))
        facts: list[Fact] = []
        for index, element in enumerate(value or []):
            element_path = f"{path}[{index}]"
            facts += self.facts(container, self.mapping(element, element_path, self.keys(container)),
                                element_path, index + 1)
        return facts


class _Quoting(reprlib.Repr):
    """How a value a user wrote is quoted in a message: escaped like `repr`, and short whatever
    its size or depth.  Python's own `repr` fails on an integer of over 4,300 digits and on a
    list nested a few thousand deep, values the Python API (`parse_case`, a Dask partition)
    can be given even though no case file can hold them."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = 60
        self.maxlevel = 3

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > _MAX_BITS:
            return f"<a number of more than {_MAX_DIGITS} digits>"
        return super().repr_int(x, level)


def _shown(value: Any) -> str:
    """``value`` as a message quotes it (see `_Quoting`)."""
    return _QUOTING.repr(value)


def _kind(value: Any) -> str:
    for kind, words in ((dict, "an object"), (list, "a list"), (str, "a string"), (bool, "a boolean"),
                        (int, "a number"), (float, "a number"), (type(None), "nothing")):
        if isinstance(value, kind):  # a SourceInt is "a number" too
            return words
    return type(value).__name__


#: A container of the case format unrolled for one catalog (`_plan`): the keys an object may hold,
#: and per field in the format's order ``("flags", predicate, values)``, ``("list", key, predicate,
#: allowed)``, ``("one", key, predicate, allowed, required, default)`` or ``("object", key,
#: repeated, plan)``.
_Plan = tuple[frozenset, tuple[tuple[Any, ...], ...]]


def _container_plan(container: Container, catalog: Catalog) -> _Plan:
    entries: list[tuple[Any, ...]] = []
    for item in container.fields:
        if isinstance(item, Container):
            entries.append(("object", item.key, item.repeated, _container_plan(item, catalog)))
        elif isinstance(item, FactField):
            allowed = catalog.domains[item.domain]
            if item.shape is Shape.FLAGS:
                entries.append(("flags", item.predicate, allowed))
            elif item.shape is Shape.LIST:
                entries.append(("list", item.key, item.predicate, frozenset(allowed)))
            else:
                entries.append(("one", item.key, item.predicate, frozenset(allowed), item.required, item.default))
    return frozenset(_Checker("", catalog).keys(container)), tuple(entries)


@by_identity
def _plan(catalog: Catalog) -> tuple[_Plan, frozenset, frozenset]:
    """The case format's plan for a catalog, and its ordinances and actions as sets."""
    return _container_plan(CASE_FORMAT, catalog), frozenset(catalog.ordinances), frozenset(catalog.actions)


def _quick_list(value: Any, allowed: frozenset) -> tuple[str, ...] | None:
    """A list of allowed strings, each once (``()`` for no list); None: not that."""
    if value is None:
        return ()
    if type(value) is not list or not all(type(v) is str and v in allowed for v in value) \
            or len(set(value)) != len(value):
        return None
    return tuple(value)


def _quick_facts(plan: _Plan, data: dict, prefix: tuple[int, ...], facts: list[Fact]) -> bool:
    """Append the facts of a valid object of ``plan`` (`_Checker.facts` in one pass); False when
    anything is not plainly valid, for the full check to say what."""
    keys, entries = plan
    for key in data:
        if key not in keys:
            return False
    for entry in entries:
        kind = entry[0]
        if kind == "flags":
            predicate = entry[1]
            for value in [v for v in entry[2] if v in data] if data else ():
                flag = data[value]
                if flag is True:
                    facts.append((predicate, *prefix, value))
                elif flag is not None and flag is not False:
                    return False
        elif kind == "list":
            values = _quick_list(data.get(entry[1]), entry[3])
            if values is None:
                return False
            facts += [(entry[2], *prefix, v) for v in values]
        elif kind == "one":
            _, key, predicate, allowed, required, default = entry
            value = data.get(key)
            if value is None:
                if required:
                    return False
                value = default
            if value is not None:
                if type(value) is not str or value not in allowed:
                    return False
                facts.append((predicate, *prefix, value))
        else:
            _, key, repeated, inner = entry
            value = data.get(key)
            if not repeated:
                value = {} if value is None else value
                if type(value) is not dict or not _quick_facts(inner, value, prefix, facts):
                    return False
                continue
            if value is None:
                continue
            if type(value) is not list:
                return False
            for number, element in enumerate(value, start=1):
                element = {} if element is None else element
                if type(element) is not dict or not _quick_facts(inner, element, (number,), facts):
                    return False
    return True


def quick_case(data: Any, catalog: Catalog, default_id: str) -> Case | None:
    """The case of a plainly valid case object, checked in one pass over it; None when the
    object needs `parse_case`'s full check (something is wrong with it, or it is unusual: an
    id that is a number, a value of a subclass of str), which then names the field and the fix.

    Why: the full check, field by field through the case format with the path of each kept for
    its messages, was most of a batch's validation (~50 µs a case); a batch of valid cases now
    pays for it only on the cases that need it.  Gives exactly what `parse_case` gives, whenever
    it gives a case (tests/properties/test_quick_case.py).
    """
    if type(data) is not dict:
        return None
    case_id = data.get("id", default_id)
    if type(case_id) is not str:
        return None
    plan, ordinances, actions = _plan(catalog)
    chosen = _quick_list(data.get("ordinances"), ordinances)
    wanted = _quick_list(data.get("actions"), actions)
    facts: list[Fact] = []
    if chosen is None or wanted is None or not _quick_facts(plan, data, (), facts):
        return None
    if IMPLICATIONS:
        stated = set(facts)
        if any(rule.fact in stated and rule.needs not in stated for rule in IMPLICATIONS):
            return None
    return Case(case_id, chosen, tuple(facts), wanted)


def parse_case(data: Any, catalog: Catalog, where: str, default_id: str) -> Case:
    """Validate one case object (already read from JSON/YAML) and turn it into its facts.

    A plainly valid object is read in one pass (`quick_case`); any other gets the full check
    (`check_case`), whose error names the field and the fix."""
    quick = quick_case(data, catalog, default_id)
    return quick if quick is not None else check_case(data, catalog, where, default_id)


def check_case(data: Any, catalog: Catalog, where: str, default_id: str) -> Case:
    """`parse_case` by the full check alone: field by field through the case format, each
    error naming ``where``, the field's dotted path and the fix."""
    check = _Checker(where, catalog)
    if not isinstance(data, dict):
        check.fail("", f"a case must be an object, got {_kind(data)}",
                   "write the case as a mapping of field: value (docs/contract.md), or {} for an empty case")
    top = check.mapping(data, "", check.keys(CASE_FORMAT))
    case_id = top.get("id", default_id)
    if not isinstance(case_id, (str, int)) or isinstance(case_id, bool):
        check.fail("id", f"expected a string, got {_kind(case_id)}", "write the id as text")
    if isinstance(case_id, int) and case_id.bit_length() > _MAX_BITS:
        check.fail("id", f"a number of more than {_MAX_DIGITS} digits", "write the id as text (quote it)")
    if isinstance(case_id, SourceInt) and case_id.text != str(int(case_id)):
        check.fail("id", f"{case_id.language} reads {case_id.text} as the number {int(case_id)}",
                   f'quote it, as text: {case_id.quoted()}')
    case_id = str(case_id)
    check.where = f"{where} (case '{case_id}')"
    ordinances = check.choices(top.get("ordinances"), "ordinances", tuple(catalog.ordinances))
    facts = check.facts(CASE_FORMAT, top, "", None)
    for rule in IMPLICATIONS:
        if rule.fact in facts and rule.needs not in facts:
            check.fail(fact_path(*rule.fact), f"{rule.fact[1]} needs {fact_label(*rule.needs)}: {rule.why}",
                       f"state {fact_label(*rule.needs)} too, or remove {rule.fact[1]}")
    actions = check.choices(top.get("actions"), "actions", tuple(catalog.actions))
    return Case(case_id, ordinances, tuple(facts), actions)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key given twice instead of keeping the last one, and
    reports a value PyYAML cannot build as a YAML error at its line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """The value of ``node``; a scalar YAML reads as a date, number or boolean that is not
        one (``2020-02-30``, ``!!int abc``, ``!!bool maybe``) or a tag on the wrong kind of
        node (``!!map [1]``) makes PyYAML's constructors raise Python's own exceptions, which
        would end the command with a traceback."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as error:
            tag = node.tag.rsplit(":", 1)[-1]
            if isinstance(node, yaml.ScalarNode):
                detail = f" ({error})" if type(error) is ValueError else ""
                problem = f"{_shown(node.value)} is not a valid {tag}{detail}; quote it if it is text"
            else:
                problem = f"the tag !!{tag} does not fit this {node.id}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


class SourceInt(int):
    """An integer of a case file that remembers how it was written, so an id such as ``02134``
    (which YAML 1.1 reads as the octal number 1116) or ``-0`` (0 to JSON) is caught instead of
    silently changed."""

    text: str
    language: str

    @classmethod
    def read(cls, value: int, text: str, language: str) -> "SourceInt":
        """``value``, read by ``language`` (JSON or YAML) from ``text``."""
        number = cls(value)
        number.text, number.language = text, language
        return number

    def quoted(self) -> str:
        """The id as text, written in its file's language."""
        return f'id: "{self.text}"' if self.language == "YAML" else f'"id": "{self.text}"'


def _construct_source_int(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > _MAX_DIGITS:
        raise yaml.constructor.ConstructorError(None, None, f"a number of {len(node.value)} digits",
                                                node.start_mark)
    return SourceInt.read(loader.construct_yaml_int(node), node.value, "YAML")


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain word, not {_kind(key)}", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_unique_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_source_int)
#: The longest number a case file may hold (Python refuses to convert longer ones), and the
#: deepest nesting: far beyond any case, small enough to answer with a clear error.
_MAX_DIGITS = 100
_MAX_DEPTH = 50
#: Any integer of more bits has more than `_MAX_DIGITS` digits (2**333 > 10**100).
_MAX_BITS = 333
_QUOTING = _Quoting()


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is no part of the case
    except FileNotFoundError:
        raise EngineError(f"{path}: no such file. Fix: check the path.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EngineError(f"{path}: cannot read it ({error}). Fix: give a UTF-8 JSON or YAML file.") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json(text, str(path))
    if suffix in (".yaml", ".yml"):
        return _parse_yaml(text, str(path))
    raise EngineError(f"{path}: unknown file type '{suffix}'. Fix: name case files *.json, *.yaml or *.yml.")


def _parse_yaml(text: str, where: str) -> Any:
    """YAML text as data, or an `EngineError` naming ``where:LINE:COLUMN`` and the fix."""
    try:
        return _shallow(where, yaml.load(text, Loader=_UniqueKeyLoader))
    except RecursionError:
        raise EngineError(f"{where}: nested too deeply to read. Fix: a case nests objects "
                          f"at most a few levels deep.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EngineError(f"{where}{line}: invalid YAML: {problem}. "
                          "Fix: correct the YAML there.") from None


#: The case-file name that means standard input (`ordinance decide -`), as in most tools;
#: a file really called ``-`` is ``./-``.
STDIN = "-"
#: What messages and default case ids call standard input (``<stdin>:3:1: invalid YAML``).
STDIN_NAME = "<stdin>"
STDIN_STEM = "stdin"


def _source_names(path: Path) -> tuple[str, str]:
    """How messages name a case source, and the stem of its cases' default ids."""
    return (STDIN_NAME, STDIN_STEM) if str(path) == STDIN else (str(path), path.stem)


def _read_stdin() -> Any:
    """The case data piped to standard input, read as files are but with no suffix to go by:
    JSON when the text is JSON, YAML otherwise (YAML also reads JSON-like flow mappings
    such as ``{agency: police}``)."""
    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EngineError(f"{STDIN_NAME}: cannot read it ({error}). Fix: pipe UTF-8 JSON or YAML.") from None
    try:
        json.loads(text)
    except ValueError:  # not JSON (or a number too long for any case, which the YAML reader names)
        return _parse_yaml(text, STDIN_NAME)
    except RecursionError:  # JSON nested too deep: parse_json says so
        pass
    return parse_json(text, STDIN_NAME)


def parse_json(text: str, where: str, line: bool = False,
               syntax_fix: str = "correct the JSON syntax there") -> Any:
    """JSON text (a case file, or with ``line`` one line of a JSON Lines file) as data, or an
    `EngineError` naming ``where`` (file, or file:line) and the fix: bad syntax, a key given
    twice, a number too long to be a case's, nesting deeper than any case's."""
    try:
        if text.startswith("\ufeff"):  # as json.loads says it (the decoder alone would not)
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        data = _DECODER.decode(text)
        # Fewer brackets than the limit cannot nest deeper than it: the walk is then not needed.
        return data if text.count("{") + text.count("[") <= _MAX_DEPTH else _shallow(where, data)
    except json.JSONDecodeError as error:
        position = f":{error.colno}" if line else f":{error.lineno}:{error.colno}"
        raise EngineError(f"{where}{position}: invalid JSON: {error.msg}. Fix: {syntax_fix}.") from None
    except _TooLong as error:
        raise EngineError(f"{where}: {error}. Fix: write numbers of at most {_MAX_DIGITS} digits "
                          "(an id is text: quote it).") from None
    except ValueError as error:
        raise EngineError(f"{where}: {error}. Fix: give each key once.") from None
    except RecursionError:
        raise EngineError(f"{where}: nested too deeply to read. Fix: a case nests objects "
                          "at most a few levels deep.") from None


class _TooLong(ValueError):
    """A number with more digits than a case can need."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _TooLong(f"a number of {len(text)} digits")
    return SourceInt.read(int(text), text, "JSON")


def _shallow(path: Path | str, data: Any, depth: int = 0) -> Any:
    """``data`` unchanged, or an error if it nests deeper than any case does."""
    if depth > _MAX_DEPTH:
        raise EngineError(f"{path}: nested more than {_MAX_DEPTH} levels deep. Fix: a case nests "
                          "objects at most a few levels deep.")
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        _shallow(path, child, depth + 1)
    return data


def read_case_data(path: str | Path) -> Any:
    """The raw data of a JSON/YAML case file, not yet validated (for batch readers,
    which validate case by case so that one bad case does not stop the rest)."""
    return _read(Path(path))


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):  # a key given twice: the rare case pays for naming it
        keys = [k for k, _ in pairs]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"the key '{duplicates[0]}' appears twice")
    return found


#: One decoder for every JSON text: `json.loads` with these hooks builds a new one per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_json_object, parse_int=_bounded_int)


@dataclass(frozen=True)
class CaseFile:
    """The cases of one file, and whether the file held a list (answered with a JSON array)."""

    cases: tuple[Case, ...]
    is_list: bool


def read_case_file(path: str | Path, catalog: Catalog) -> CaseFile:
    """All cases of a JSON/YAML file, in file order.

    A file holding one object gives one case whose default id is the file's
    stem; a list gives cases whose default ids are ``stem-1``, ``stem-2``, ...
    ``-`` reads standard input (ids ``stdin``, ``stdin-1``, ...; see `_read_stdin`).
    """
    path = Path(path)
    where, stem = _source_names(path)
    data = _read_stdin() if where == STDIN_NAME else _read(path)
    if isinstance(data, list):
        if not data:
            raise EngineError(f"{where}: the list of cases is empty. Fix: add at least one case.")
        return CaseFile(tuple(parse_case(item, catalog, f"{where}[{i + 1}]", f"{stem}-{i + 1}")
                              for i, item in enumerate(data)), True)
    return CaseFile((parse_case(data, catalog, where, stem),), False)


def load_cases(path: str | Path, catalog: Catalog) -> list[Case]:
    """All cases of a JSON/YAML file, in file order (see `read_case_file`)."""
    return list(read_case_file(path, catalog).cases)


def load_case(path: str | Path, catalog: Catalog | None = None) -> Case:
    """The single case of a file (an error if the file holds a list of several), checked
    against ``catalog``: by default the built-in rules' with ``ORDINANCE_RULES`` (`load_rule_base`,
    parsed once per process), the ordinances and actions `decide` uses by default."""
    if catalog is None:
        from engine.core.rulebase import load_rule_base  # here: only this default needs the rules

        catalog = load_rule_base().catalog
    cases = load_cases(path, catalog)
    if len(cases) != 1:
        raise EngineError(f"{_source_names(Path(path))[0]}: holds {len(cases)} cases where one is expected. "
                          "Fix: put the case you want in a file of its own.")
    return cases[0]
