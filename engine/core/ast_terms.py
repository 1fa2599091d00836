"""Reading constants and head atoms off clingo AST statements.

Several jobs inspect the rule files' syntax rather than their models: checking
a user's rules before use (`engine.core.rulebase`), dropping a section's rules for a
what-if search (`engine.analysis.restriction`), locating dead rules
(`engine.analysis.internal`).  They share these few readers.
"""

from __future__ import annotations

from clingo import ast

from engine.core.catalog import symbol_text

__all__ = ["constant", "alternatives", "head_atoms"]


def constant(term: ast.AST) -> str | None:
    """A constant term's text (a string's contents, or the name of a symbol); None for anything else."""
    if term.ast_type == ast.ASTType.SymbolicTerm:
        return symbol_text(term.symbol)
    return None


def alternatives(term: ast.AST) -> list[ast.AST]:
    """The terms of a pool (`(a; b)`), or the term itself."""
    return list(term.arguments) if term.ast_type == ast.ASTType.Pool else [term]


def _element_literal(element: ast.AST) -> ast.AST:
    """The literal an element of a head derives: a choice's or disjunction's conditional
    literal, or the one inside a head aggregate's element (``#count { 1 : p(a) } >= 1``)."""
    return element.literal if hasattr(element, "literal") else element.condition.literal


def head_atoms(statement: ast.AST) -> list[ast.AST]:
    """The function terms a rule's head can derive (plain, pooled, in a choice, a disjunction
    or a head aggregate)."""
    if statement.ast_type != ast.ASTType.Rule:
        return []
    head = statement.head
    literals = [head] if head.ast_type == ast.ASTType.Literal else [
        _element_literal(element) for element in getattr(head, "elements", [])]
    atoms = []
    for literal in literals:
        if literal.atom.ast_type == ast.ASTType.SymbolicAtom:
            for term in alternatives(literal.atom.symbol):
                if term.ast_type == ast.ASTType.Function:
                    atoms.append(term)
    return atoms
