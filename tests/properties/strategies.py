"""Hypothesis strategies for cases, drawn from the vocabulary table itself.

Every case object is built by walking `engine.core.vocabulary.CASE_FORMAT` and
taking values from the rule base's ``domain/2`` facts (the catalog), as the
validator does; so a field added to the vocabulary is generated, mutated and
written in every format without a change here.  What is written here by hand
is only what the vocabulary does not say: what a *wrong* value looks like, and
which catalog lists the meta fields ``ordinances`` and ``actions`` draw from.

Three kinds of example:

* `cases`: valid case objects in the form `Case.to_dict` writes (the canonical
  form), impossible facts (`IMPLICATIONS`) completed;
* `rewrites`: the same case written differently (false flags, empty lists,
  nulls, the default request source left out), which must mean the same case;
* `mutations`: a valid case with one thing wrong, and the dotted path
  (``requests[0].info[1]``) the error must name.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, Callable

import yaml
from hypothesis import settings
from hypothesis import strategies as st

from engine import RuleBase, load_rule_base
from engine.batch.generate import fact_holds, state_fact, with_implied_facts
from engine.core.catalog import Catalog
from engine.core.vocabulary import CASE_FORMAT, IMPLICATIONS, Container, FactField, MetaField, Shape, fact_path

#: The built-in rule base (the same object the session fixture ``rules`` holds: `load_rule_base`
#: is cached) and its catalog, read at import because strategies are built at import.
RULES: RuleBase = load_rule_base(use_env=False)
CATALOG: Catalog = RULES.catalog

#: At most this many requests a case: enough for numbering, request-level findings and
#: items to matter, few enough to keep a decision fast.
MAX_REQUESTS = 3


def budget(share: float) -> int:
    """A share of the profile's examples, for a property that costs more per example
    (a solve per case): the profile stays the one knob for the whole suite."""
    return max(1, round(settings.default.max_examples * share))


def meta_values(key: str, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """The values a list-valued meta field allows (the vocabulary names no domain for them)."""
    return {"ordinances": tuple(catalog.ordinances), "actions": tuple(catalog.actions)}[key]


def object_keys(container: Container, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """The keys an object of ``container`` may hold: its fields, and each flag's value."""
    keys: list[str] = []
    for item in container.fields:
        if isinstance(item, FactField) and item.shape is Shape.FLAGS:
            keys += catalog.domains[item.domain]
        else:
            keys.append(item.key)
    return tuple(keys)


# Ids: any text, and the kinds that readers have changed or split before (issue 12).
TRICKY_IDS = ("02134", "0x1F", "1:30", "-0", "007", "1_000", "+5", "1e3", "0o17", ".5", "yes", "no",
              "null", "~", "true", "2024-01-01", "\u2028", "\u2029", "\x85", "a\nb", "a\r\nb", "\r",
              " padded ", "\t", "\ufeffid", "\x1b[31mred", "\x00", "a;b", 'say "hi"', "a,b", "#1",
              "% comment", "'", "\\", "- a", "[x]", "{x}", "*", "é", "\U0001f600", "1" * 120)


def ids() -> st.SearchStrategy[str]:
    """Case ids as a user may write them (never empty: an empty CSV cell means "no id")."""
    return st.one_of(st.sampled_from(TRICKY_IDS),
                     st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
                     st.from_regex(r"0[0-9]{1,8}", fullmatch=True))


def _merged(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {key: value for part in parts for key, value in part.items()}


def _keyed(key: str) -> Callable[[Any], dict[str, Any]]:
    """``value`` under ``key``, or nothing for an empty value (`Case.to_dict` leaves it out)."""
    return lambda value: {key: value} if value not in ([], {}) else {}


def _field(item: "FactField | MetaField | Container", catalog: Catalog) -> st.SearchStrategy[dict[str, Any]]:
    """What one field of an object adds to the object's canonical form."""
    if isinstance(item, MetaField):
        if item.key == "id":
            return ids().map(_keyed("id"))
        return st.lists(st.sampled_from(meta_values(item.key, catalog)), unique=True, max_size=3).map(_keyed(item.key))
    if isinstance(item, Container):
        if item.repeated:
            return st.lists(_object(item, catalog), max_size=MAX_REQUESTS).map(_keyed(item.key))
        return _object(item, catalog).map(_keyed(item.key))
    values = catalog.domains[item.domain]
    if item.shape is Shape.FLAGS:
        return st.sets(st.sampled_from(values), max_size=4).map(lambda chosen: {value: True for value in chosen})
    if item.shape is Shape.LIST:
        return st.lists(st.sampled_from(values), unique=True, max_size=4).map(_keyed(item.key))
    one = st.sampled_from(values).map(_keyed(item.key))
    return one if item.required or item.default is not None else st.one_of(st.just({}), one)


def _object(container: Container, catalog: Catalog) -> st.SearchStrategy[dict[str, Any]]:
    """A canonical object of ``container``: what `Case.to_dict` writes for it."""
    return st.tuples(*(_field(item, catalog) for item in container.fields)).map(_merged)


def _unstate(data: dict[str, Any], fact: tuple[str, str]) -> None:
    *objects, key = fact_path(*fact).split(".")
    for name in objects:
        data = data.setdefault(name, {})
    if isinstance(data.get(key), list):
        data[key] = [v for v in data[key] if v != fact[1]]
        if not data[key]:
            del data[key]
    else:
        data.pop(key, None)


def cases(catalog: Catalog = CATALOG) -> st.SearchStrategy[dict[str, Any]]:
    """Valid case objects in canonical form (``parse_case(c).to_dict() == c``)."""
    return _object(CASE_FORMAT, catalog).map(with_implied_facts)


@st.composite
def rewrites(draw: st.DrawFn, data: dict[str, Any], catalog: Catalog = CATALOG) -> dict[str, Any]:
    """``data`` written another way that means the same: unset flags written ``false`` or
    ``null``, absent lists and objects written empty or ``null``, a request's default
    source left out."""
    return _rewrite(draw, CASE_FORMAT, copy.deepcopy(data), catalog)


def _rewrite(draw: st.DrawFn, container: Container, data: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    for item in container.fields:
        if isinstance(item, MetaField):
            if item.key != "id" and item.key not in data and draw(st.booleans()):
                data[item.key] = draw(st.sampled_from([[], None]))
        elif isinstance(item, Container):
            if item.key in data:
                inner = data[item.key]
                data[item.key] = ([_rewrite(draw, item, element, catalog) for element in inner]
                                  if item.repeated else _rewrite(draw, item, inner, catalog))
            elif draw(st.booleans()):
                data[item.key] = draw(st.sampled_from([[] if item.repeated else {}, None]))
        elif item.shape is Shape.FLAGS:
            for value in catalog.domains[item.domain]:
                if value not in data and draw(st.integers(0, 3)) == 0:
                    data[value] = draw(st.sampled_from([False, None]))
        elif item.key not in data:
            if draw(st.integers(0, 3)) == 0 and not item.required:
                data[item.key] = [] if item.shape is Shape.LIST and draw(st.booleans()) else None
        elif item.default is not None and data[item.key] == item.default and draw(st.booleans()):
            del data[item.key]
    return data


# -- mutations -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """An object of a case where a mutation can be made: its dotted path as errors name it
    (``requests[0].determinations``), its container, and the keys leading to it in the data."""

    path: str
    container: Container
    keys: tuple[str | int, ...]

    def at(self, key: str) -> str:
        """The dotted path of a field of this object."""
        return f"{self.path}.{key}" if self.path else key


def sites(data: dict[str, Any], container: Container = CASE_FORMAT, path: str = "",
          keys: tuple[str | int, ...] = ()) -> list[Site]:
    """Every object of the case format in ``data`` (absent non-repeated ones too: a
    mutation creates them), in format order."""
    found = [Site(path, container, keys)]
    for item in container.fields:
        if not isinstance(item, Container):
            continue
        inner_path = f"{path}.{item.key}" if path else item.key
        value = data.get(item.key) if isinstance(data, dict) else None
        if item.repeated:
            for index, element in enumerate(value or []):
                found += sites(element, item, f"{inner_path}[{index}]", (*keys, item.key, index))
        else:
            found += sites(value or {}, item, inner_path, (*keys, item.key))
    return found


def _reach(data: dict[str, Any], keys: tuple[str | int, ...]) -> dict[str, Any]:
    """The object at ``keys`` in ``data``, creating absent non-repeated objects."""
    for key in keys:
        if isinstance(key, str) and data.get(key) is None:
            data[key] = {}
        data = data[key]
    return data


def typos(word: str) -> st.SearchStrategy[str]:
    """Ways a word of the vocabulary gets mistyped: a letter dropped or doubled, another case,
    spaces for underscores, a plural, a space around it."""
    return st.sampled_from([word[:-1], word + word[-1], word.upper(), word.title(), word.replace("_", " "),
                            word.replace("_", "-"), word + "s", f" {word}", f"{word} ", word.replace("_", "")])


def not_in(values: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Text that is none of ``values``: a typo, an empty string, a value of another field."""
    others = sorted({v for domain in CATALOG.domains.values() for v in domain} - set(values))
    return st.one_of(st.sampled_from(values).flatmap(typos), st.sampled_from(others),
                     st.text(max_size=12)).filter(lambda s: s not in values)


def json_like() -> st.SearchStrategy[Any]:
    """Any small JSON value."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                        max_leaves=6)


def wrong_type(accepts: Callable[[Any], bool]) -> st.SearchStrategy[Any]:
    """A JSON value of a type the field does not take (``accepts`` says which it takes)."""
    return json_like().filter(lambda v: v is not None and not accepts(v))


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


_PYTHON_ONLY: dict[str, Callable[[], Any]] = {
    "10**5000": lambda: 10 ** 5000, "-10**5000": lambda: -(10 ** 5000), "nested 5000": lambda: _nested(5000),
    "object nested 3000": lambda: {"k": _nested(3000)}, "bytes": lambda: b"bytes", "set": lambda: {"a", "b"},
    "tuple": lambda: ("tuple",), "complex": lambda: 1j, "nan": lambda: float("nan"), "inf": lambda: float("inf")}
#: Values no file format can hold but the Python API (`parse_case`, `decide_partition`) can be
#: given, to be refused like any other wrong value; built when drawn, by name, so that Hypothesis
#: never quotes them (`repr` fails on them too).
PYTHON_ONLY = st.sampled_from(sorted(_PYTHON_ONLY)).map(lambda name: _PYTHON_ONLY[name]())


@st.composite
def mutations(draw: st.DrawFn, data: dict[str, Any], python_values: bool = False,
              catalog: Catalog = CATALOG) -> tuple[dict[str, Any], str]:
    """``data`` (a valid canonical case) with one thing wrong, and the dotted path of the
    field the error must name.  ``python_values`` also draws values only Python can hold."""
    data = copy.deepcopy(data)
    odd = st.one_of(PYTHON_ONLY, json_like()) if python_values else json_like()
    site = draw(st.sampled_from(sites(data)))
    target = _reach(data, site.keys)
    fields = list(site.container.fields)
    kinds = [f"field {index}" for index in range(len(fields))]
    if site.path == "":
        kinds += [f"implication {index}" for index in range(len(IMPLICATIONS))]
    kinds.append("unknown field")
    kind = draw(st.sampled_from(kinds))
    if kind == "unknown field":
        known = object_keys(site.container, catalog)
        key = draw(st.one_of(st.sampled_from(known).flatmap(typos), st.text(min_size=1, max_size=12))
                   .filter(lambda k: k not in known))
        target[key] = draw(odd)
        return data, site.at(key)
    if kind.startswith("implication"):
        rule = IMPLICATIONS[int(kind.split()[1])]
        _unstate(target, rule.needs)
        if not fact_holds(target, rule.fact):
            state_fact(target, rule.fact)
        first = next(r for r in IMPLICATIONS if fact_holds(target, r.fact) and not fact_holds(target, r.needs))
        return data, fact_path(*first.fact)
    item = fields[int(kind.split()[1])]
    if isinstance(item, MetaField):
        if item.key == "id":
            target["id"] = draw(st.one_of(
                wrong_type(lambda v: isinstance(v, (str, int)) and not isinstance(v, bool)),
                *([PYTHON_ONLY] if python_values else [])))  # 10**5000 too: an id of 5,000 digits
            return data, "id"
        return _bad_list(draw, data, target, site.at(item.key), meta_values(item.key, catalog), odd)
    if isinstance(item, Container):
        path = site.at(item.key)
        if item.repeated and target.get(item.key) and draw(st.booleans()):
            index = draw(st.integers(0, len(target[item.key]) - 1))
            target[item.key][index] = draw(st.one_of(wrong_type(lambda v: isinstance(v, dict)),
                                                     *([PYTHON_ONLY] if python_values else [])))
            return data, f"{path}[{index}]"
        accepts = (lambda v: isinstance(v, list)) if item.repeated else (lambda v: isinstance(v, dict))
        target[item.key] = draw(wrong_type(accepts) if not python_values else
                                st.one_of(wrong_type(accepts), PYTHON_ONLY.filter(lambda v: not accepts(v))))
        return data, path
    values = catalog.domains[item.domain]
    if item.shape is Shape.FLAGS:
        flag = draw(st.sampled_from(values))
        target[flag] = draw(st.one_of(wrong_type(lambda v: isinstance(v, bool)), st.text(max_size=5),
                                      *([PYTHON_ONLY] if python_values else [])))
        return data, site.at(flag)
    if item.shape is Shape.LIST:
        return _bad_list(draw, data, target, site.at(item.key), values, odd)
    path = site.at(item.key)
    if item.required and draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            target.pop(item.key, None)
        else:
            target[item.key] = None
        return data, path
    target[item.key] = draw(st.one_of(not_in(values), wrong_type(lambda v: v in values),
                                      *([PYTHON_ONLY] if python_values else [])))
    return data, path


def mutated(python_values: bool = False) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """A valid case with one thing wrong (`mutations`), and the path the error must name."""
    return cases().flatmap(lambda case: mutations(case, python_values=python_values))


def _bad_list(draw: st.DrawFn, data: dict[str, Any], target: dict[str, Any], path: str,
              values: tuple[str, ...], odd: st.SearchStrategy[Any]) -> tuple[dict[str, Any], str]:
    """A list field made wrong: not a list, a wrong element, or a value listed twice."""
    key = path.rsplit(".", 1)[-1]
    listed = list(target.get(key) or [])
    how = draw(st.sampled_from(["type", "element", "twice"]))
    if how == "type":
        target[key] = draw(st.one_of(wrong_type(lambda v: isinstance(v, list)), st.sampled_from(values)))
        return data, path
    if how == "twice":
        value = draw(st.sampled_from(values))
        target[key] = listed + [value] if value in listed else listed + [value, value]
        return data, path
    index = draw(st.integers(0, len(listed)))
    target[key] = listed[:index] + [draw(st.one_of(not_in(values), odd.filter(lambda v: not isinstance(v, str))))] \
        + listed[index:]
    return data, f"{path}[{index}]"


# -- writing a case in each format ---------------------------------------------------------------

def yaml_text(data: Any, style: str | None, unicode: bool) -> str:
    """``data`` as YAML: block style (``style`` None) or every scalar double-quoted."""
    return yaml.safe_dump(data, allow_unicode=unicode, default_style=style, sort_keys=False)


def yaml_writes(data: Any, style: str | None, unicode: bool) -> bool:
    """Whether PyYAML's *emitter* writes ``data`` so that it reads back: it writes U+0085 (NEL)
    raw in a plain or single-quoted scalar, where YAML reads it as a line break (a bug of
    the test's writer, not of the engine's reader)."""
    return not (style is None and unicode and "\x85" in json.dumps(data, ensure_ascii=False))
