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


def head_atoms(statement: ast.AST) -> list[ast.AST]:
    """The function terms a rule's head can derive (plain, pooled or in a choice)."""
    if statement.ast_type != ast.ASTType.Rule:
        return []
    head = statement.head
    literals = [head] if head.ast_type == ast.ASTType.Literal else [
        element.literal for element in getattr(head, "elements", [])
        if hasattr(element, "literal")]
    atoms = []
    for literal in literals:
        if literal.atom.ast_type == ast.ASTType.SymbolicAtom:
            for term in alternatives(literal.atom.symbol):
                if term.ast_type == ast.ASTType.Function:
                    atoms.append(term)
    return atoms
