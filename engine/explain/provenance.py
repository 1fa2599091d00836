"""Which section of which ordinance a rule encodes.

An explanation cites, for every rule instance, the section whose words the
rule encodes.  That is read from what the encodings state, never from where a
rule sits in its file:

* a norm names its section in its head (``prohibits(westchester, "10(b)", ...)``);
* a helper predicate is declared the term of one section by a ``concept/3``
  fact (``concept(westchester, "1(d)", westchester_detainer).``), and every
  rule deriving it cites that section;
* a helper with no declaration belongs to no one section (Westchester's
  "Helpers", used by several sections), nor does a rule of the vocabulary or
  the deontic layer: they cite none, and the explanation shows the rule itself.

The same reading applies to a user's own files loaded with ``--rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import clingo
from clingo import ast

from engine.core.ast_terms import constant
from engine.core.catalog import Catalog, section_ref
from engine.core.identity_cache import by_identity
from engine.core.vocabulary import CONCEPT, NORMS
from engine.explain.trace import TracedProgram

__all__ = ["Citation", "rule_citations", "head_citation", "declared_concepts"]


@dataclass(frozen=True)
class Citation:
    """A section of an encoded source, with the words its rules encode."""

    ordinance: str  # the ASP constant, e.g. westchester
    public_id: str  # the contract id, e.g. westchester
    section: str
    quote: str

    @property
    def label(self) -> str:
        return f"{self.public_id} {section_ref(self.section)}"


def _cite(catalog: Catalog, ordinance: str, section: str) -> Citation | None:
    try:
        source = catalog.ordinance_by_constant(ordinance)
    except KeyError:
        return None
    if section not in source.sections:
        return None
    return Citation(ordinance, source.id, section, source.sections[section])


def head_citation(atom: clingo.Symbol, catalog: Catalog) -> Citation | None:
    """The section a norm atom names, e.g. 10(b) for ``prohibits(westchester,"10(b)",...)``."""
    predicate = next((p for p in NORMS if p.matches(atom)), None)
    if predicate is None:
        return None
    ordinance, section = predicate.argument(atom, "ordinance"), predicate.argument(atom, "section")
    if ordinance.type != clingo.SymbolType.Function or section.type != clingo.SymbolType.String:
        return None
    return _cite(catalog, ordinance.name, section.string)


def declared_concepts(statements: Iterable[ast.AST]) -> dict[str, set[tuple[str, str]]]:
    """Per helper predicate name, the (ordinance, section) pairs its ``concept/3`` facts declare.

    Read off the (unpooled) AST, so a declaration counts whether or not any
    case makes its helper true; a ``concept/3`` with a body or with a variable
    declares nothing.  Shared with the test that every helper of the shipped
    rule files is declared.
    """
    declared: dict[str, set[tuple[str, str]]] = {}
    for statement in statements:
        if statement.ast_type != ast.ASTType.Rule or statement.body:
            continue
        head = statement.head
        if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        symbol = head.atom.symbol
        if symbol.ast_type != ast.ASTType.Function or symbol.name != CONCEPT.name \
                or len(symbol.arguments) != CONCEPT.arity:
            continue
        ordinance, section, helper = (constant(symbol.arguments[CONCEPT.position(role)])
                                      for role in ("ordinance", "section", "concept"))
        if ordinance is not None and section is not None and helper is not None:
            declared.setdefault(helper, set()).add((ordinance, section))
    return declared


@by_identity
def rule_citations(program: TracedProgram, catalog: Catalog) -> dict[int, Citation]:
    """The section each traced rule cites through its head predicate's ``concept/3``
    declaration.  A predicate declared for two different sections belongs to no
    one section and cites none, rather than one picked at random."""
    declared = declared_concepts(info.rule for info in program.rules.values())
    by_helper: dict[str, Citation] = {}
    for helper, sections in declared.items():
        if len(sections) == 1:
            citation = _cite(catalog, *next(iter(sections)))
            if citation is not None:
                by_helper[helper] = citation
    citations: dict[int, Citation] = {}
    for index, info in program.rules.items():
        symbol = info.rule.head.atom.symbol
        if symbol.ast_type == ast.ASTType.Function and symbol.name in by_helper:
            citations[index] = by_helper[symbol.name]
    return citations
