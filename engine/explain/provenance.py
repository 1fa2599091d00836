"""Which section of which ordinance a rule encodes.

An explanation cites, for every rule instance, the section whose words the
rule encodes.  That is read from the encodings themselves, never from a table:

* a norm or a concept names its section in its head
  (``prohibits(westchester, "10(b)", ...)``, ``concept(westchester, "1(d)", ...)``);
* any other rule of an ordinance file (a helper such as
  ``westchester_detainer(Q) :- request(Q, detainer).``) is written under the
  ``provision/3`` fact of the section it encodes (STYLE.md: the quote sits
  above its rules), so it cites the nearest ``provision/3`` above it in its
  file, unless a heading (a ``%#`` line) comes between them: a rule under a
  heading of its own (``%## Helpers``) belongs to no one section;
* a rule of the vocabulary or the deontic layer cites no section.

The same reading applies to a user's own files loaded with ``--rules``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import clingo
from clingo import ast

from engine.core.catalog import Catalog, symbol_text
from engine.core.vocabulary import CONCEPT, NORMS
from engine.core.identity_cache import by_identity
from engine.explain.trace import TracedProgram

__all__ = ["Citation", "rule_citations", "head_citation"]


@dataclass(frozen=True)
class Citation:
    """A section of an encoded source, with the words its rules encode."""

    ordinance: str  # the ASP constant, e.g. westchester
    public_id: str  # the contract id, e.g. westchester
    section: str
    quote: str

    @property
    def label(self) -> str:
        return f"{self.public_id} § {self.section}"


def _cite(catalog: Catalog, ordinance: str, section: str) -> Citation | None:
    try:
        source = catalog.ordinance_by_constant(ordinance)
    except KeyError:
        return None
    if section not in source.sections:
        return None
    return Citation(ordinance, source.id, section, source.sections[section])


def head_citation(atom: clingo.Symbol, catalog: Catalog) -> Citation | None:
    """The section a norm or concept atom names, e.g. 10(b) for ``prohibits(westchester,"10(b)",...)``."""
    predicate = next((p for p in (*NORMS, CONCEPT) if p.matches(atom)), None)
    if predicate is None:
        return None
    ordinance, section = predicate.argument(atom, "ordinance"), predicate.argument(atom, "section")
    if ordinance.type != clingo.SymbolType.Function or section.type != clingo.SymbolType.String:
        return None
    return _cite(catalog, ordinance.name, section.string)


def _headings(path: str) -> list[int]:
    """The line numbers of the literate headings (``%#``, ``%##``, ...) of a rule file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [number for number, line in enumerate(lines, start=1) if line.startswith("%#")]


def _provision_lines(program: TracedProgram) -> tuple[dict[str, list[tuple[int, str, str]]],
                                                       dict[str, list[int]]]:
    """Per file, the (line, ordinance, section) of every ``provision/3`` fact, sorted by
    line, and the lines of the file's headings."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    headings: dict[str, list[int]] = {}
    for info in program.rules.values():
        rule = info.rule
        if info.file not in headings:
            headings[info.file] = _headings(rule.location.begin.filename)
        symbol = rule.head.atom.symbol
        if symbol.name != "provision" or len(symbol.arguments) != 3 or rule.body:
            continue
        ordinance, section = symbol.arguments[0], symbol.arguments[1]
        if ordinance.ast_type == ast.ASTType.SymbolicTerm and section.ast_type == ast.ASTType.SymbolicTerm:
            found.setdefault(info.file, []).append((info.line, str(ordinance.symbol), symbol_text(section.symbol)))
    for entries in found.values():
        entries.sort()
    return found, headings


@by_identity
def rule_citations(program: TracedProgram, catalog: Catalog) -> dict[int, Citation]:
    """The section each traced rule is written under (rules of the vocabulary cite none)."""
    provisions, headings = _provision_lines(program)
    citations: dict[int, Citation] = {}
    for index, info in program.rules.items():
        entries = provisions.get(info.file, [])
        at = bisect.bisect_right(entries, (info.line, "\uffff", "\uffff")) - 1
        if at >= 0:
            line, ordinance, section = entries[at]
            if any(line < heading < info.line for heading in headings.get(info.file, ())):
                continue
            citation = _cite(catalog, ordinance, section)
            if citation is not None:
                citations[index] = citation
    return citations
