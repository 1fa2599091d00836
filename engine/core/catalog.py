"""What the rule base declares: ordinances, their sections, actions and value domains.

The rule files are the single source of truth for these lists.  The catalog is
read from the ground facts of the rule base (`ordinance/3`, `provision/3`,
`action/2`, `domain/2`, `switch/3`, ...), so an ordinance a user adds under
``--rules`` is listed, validated against and decided without touching Python.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import clingo

from engine.core.vocabulary import (ACTION, DESCRIBES, DOMAIN, FEDERAL, ORDINANCE, PROVISION, SOURCE, SWITCH,
                                    Predicate)

__all__ = ["Ordinance", "Catalog", "section_sort_key", "section_ref", "catalog_from_symbols", "symbol_text"]


#: A section label that is a number of law (10(b), 3(a)(iv), 1373(b)(1)), not a name such as "citywide-policy".
_SECTION_NUMBER = re.compile(r"\d+(?:[.-]\d+)*[A-Za-z]?(?:\([0-9A-Za-z]+\))*")


def section_ref(section: str) -> str:
    """How a section label is cited: ``§ 10(b)`` for a section number, the bare label otherwise
    (a press release's "citywide-policy" is no section of law).

    >>> section_ref("10(b)"), section_ref("citywide-policy")
    ('§ 10(b)', 'citywide-policy')
    """
    return f"§ {section}" if _SECTION_NUMBER.fullmatch(section) else section


def section_sort_key(section: str) -> tuple:
    """Order section labels as a reader expects: 2 < 2(a) < 2(b)(1) < 10(a).

    >>> sorted(["10(b)", "2(b)", "2", "1(c)"], key=section_sort_key)
    ['1(c)', '2', '2(b)', '10(b)']
    """
    parts = re.findall(r"\d+|[A-Za-z]+|[^\dA-Za-z]", section)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


@dataclass(frozen=True)
class Ordinance:
    """One encoded source: its ASP constant, public id, title and sections."""

    constant: str
    id: str
    title: str
    source: str
    federal: bool
    sections: dict[str, str] = field(default_factory=dict)

    def sorted_sections(self) -> list[str]:
        return sorted(self.sections, key=section_sort_key)


@dataclass(frozen=True)
class Catalog:
    """Everything the rule base declares, keyed for validation and output."""

    ordinances: dict[str, Ordinance]
    actions: dict[str, str]
    domains: dict[str, tuple[str, ...]]
    switches: dict[str, tuple[str, tuple[str, ...]]]
    #: The vocabulary's words for each case-fact value (``describes(Field, Value, Text)``).
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)

    def ordinance_by_constant(self, constant: str) -> Ordinance:
        for ordinance in self.ordinances.values():
            if ordinance.constant == constant:
                return ordinance
        raise KeyError(constant)

    def local_ids(self) -> list[str]:
        """The ordinances applied when a case names none: every non-federal one."""
        return [o.id for o in self.ordinances.values() if not o.federal]


def symbol_text(symbol: clingo.Symbol) -> str:
    """A constant as a reader sees it: a string's contents, else the symbol as written."""
    return symbol.string if symbol.type == clingo.SymbolType.String else str(symbol)


def catalog_from_symbols(atoms: Iterable[clingo.Symbol]) -> Catalog:
    """Build the catalog from the declaration facts of a grounded rule base."""
    declared: dict[str, tuple[str, str]] = {}
    sources: dict[str, str] = {}
    federal: set[str] = set()
    sections: dict[str, dict[str, str]] = defaultdict(dict)
    actions: dict[str, str] = {}
    domains: dict[str, list[str]] = defaultdict(list)
    switches: dict[str, tuple[str, list[str]]] = {}
    descriptions: dict[tuple[str, str], str] = {}
    for atom in atoms:
        def arg(role: str, predicate: Predicate) -> str:
            return str(predicate.argument(atom, role))

        def text(role: str, predicate: Predicate) -> str:
            return symbol_text(predicate.argument(atom, role))

        if ORDINANCE.matches(atom):
            declared[arg("ordinance", ORDINANCE)] = (text("id", ORDINANCE), text("title", ORDINANCE))
        elif SOURCE.matches(atom):
            sources[arg("ordinance", SOURCE)] = text("text", SOURCE)
        elif FEDERAL.matches(atom):
            federal.add(arg("ordinance", FEDERAL))
        elif PROVISION.matches(atom):
            sections[arg("ordinance", PROVISION)][text("section", PROVISION)] = text("quote", PROVISION)
        elif ACTION.matches(atom):
            actions[arg("action", ACTION)] = text("text", ACTION)
        elif DOMAIN.matches(atom):
            domains[arg("field", DOMAIN)].append(arg("value", DOMAIN))
        elif SWITCH.matches(atom):
            law = arg("law", SWITCH)
            default, values = switches.get(law, (arg("default", SWITCH), []))
            values.append(arg("value", SWITCH))
            switches[law] = (default, values)
        elif DESCRIBES.matches(atom):
            descriptions[(arg("field", DESCRIBES), arg("value", DESCRIBES))] = text("text", DESCRIBES)
    ordinances = {
        public_id: Ordinance(
            constant=constant,
            id=public_id,
            title=title,
            source=sources.get(constant, ""),
            federal=constant in federal,
            sections=dict(sections.get(constant, {})),
        )
        for constant, (public_id, title) in sorted(declared.items(), key=lambda kv: kv[1][0])
    }
    return Catalog(
        ordinances=ordinances,
        actions=dict(sorted(actions.items())),
        domains={k: tuple(sorted(v)) for k, v in domains.items()},
        switches={k: (d, tuple(sorted(v))) for k, (d, v) in switches.items()},
        descriptions=descriptions,
    )
