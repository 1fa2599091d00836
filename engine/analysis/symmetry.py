"""Whether a rule base treats a case's requests alike, so that a search may number them one way.

asp/analysis/symmetry.lp keeps, of every case, only the numbering of its
requests that is in order; that loses nothing only if no rule can tell two
requests apart by their numbers (the file says why).  The built-in rules
cannot (a test checks them); a user's rules might: ``request(1, detainer)``
singles out the first request, ``Q1 < Q2`` orders two, ``Q + 1`` or
``#max { Q : request(Q, _) }`` computes with their numbers.  So a rule base
with any rule of a user's that holds a number, an order comparison,
arithmetic, an interval, an aggregate with a bound (a count is a number too), a
weak constraint, a script or a theory atom is searched over every numbering:
slower, never wrong.
The test is deliberately blunt (``threshold(3)`` in a rule is enough): being
wrong here would silently lose findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import clingo
from clingo import ast

from engine.core.identity_cache import by_identity
from engine.core.rulebase import RuleBase, builtin_rules_dir

__all__ = ["requests_interchangeable", "telling_requests_apart"]

#: Statement and term kinds that can read or make a number, or order terms.
_NUMERIC_NODES = frozenset({
    ast.ASTType.BinaryOperation, ast.ASTType.UnaryOperation, ast.ASTType.Interval,
    ast.ASTType.Minimize, ast.ASTType.Script, ast.ASTType.TheoryAtom, ast.ASTType.TheoryDefinition,
    ast.ASTType.Heuristic, ast.ASTType.Edge, ast.ASTType.ProjectAtom, ast.ASTType.ProjectSignature,
})
#: Comparisons that keep two requests apart only by identity (any renumbering preserves them).
_IDENTITY_RELATIONS = frozenset({ast.ComparisonOperator.Equal, ast.ComparisonOperator.NotEqual})
#: Aggregates: even a count is a number, which a rule can match with a request's
#: (``#count { X : request(X, _) } = Q, request(Q, _)`` singles out the last request).
_AGGREGATES = frozenset({ast.ASTType.BodyAggregate, ast.ASTType.HeadAggregate})


def _tells_apart(node: ast.AST) -> bool:
    """Whether ``node``, or anything in it, could treat two requests differently by their numbers."""
    kind = node.ast_type
    if kind in _NUMERIC_NODES:
        return True
    if kind == ast.ASTType.SymbolicTerm and node.symbol.type == clingo.SymbolType.Number:
        return True
    if kind == ast.ASTType.Function and node.external:  # @f(Q): a script computes with it
        return True
    if kind == ast.ASTType.Comparison and any(guard.comparison not in _IDENTITY_RELATIONS
                                              for guard in node.guards):
        return True
    if kind in _AGGREGATES or (kind == ast.ASTType.Aggregate and (node.left_guard or node.right_guard)):
        return True
    for key in node.child_keys:
        child = getattr(node, key)
        if child is None:
            continue
        if isinstance(child, ast.AST):
            if _tells_apart(child):
                return True
        elif any(_tells_apart(item) for item in child):
            return True
    return False


def telling_requests_apart(statements: Iterable[ast.AST]) -> list[ast.AST]:
    """The statements that could tell two requests apart by their numbers (see the module's words)."""
    return [statement for statement in statements if _tells_apart(statement)]


@by_identity
def requests_interchangeable(rule_base: RuleBase) -> bool:
    """No rule of ``rule_base`` tells two requests apart by their numbers, so a search over every
    possible case may keep one numbering of each (asp/analysis/symmetry.lp).

    Only the user's rules are read: the built-in ones are checked by a test
    (tests/analysis/test_symmetry.py).  A rule base holding nothing but them is
    settled at once, without reading its statements.
    """
    if rule_base.edited is None and len(rule_base.files) == 1:
        return True
    builtin = builtin_rules_dir().resolve()
    files: dict[str, bool] = {}  # file name -> a user's file (resolved once per file)

    def from_users(statement: ast.AST) -> bool:
        name = statement.location.begin.filename
        if name not in files:
            files[name] = not Path(name).resolve().is_relative_to(builtin)
        return files[name]

    return not telling_requests_apart(s for s in rule_base.statements if from_users(s))
