"""The rule base rewritten to decide many cases in one program: a case argument on every
atom that depends on a case.

This is the "one big batch program" design (PERFORMANCE.md §2 (c)): every
predicate whose truth can depend on a case fact gets the case id as a new
first argument, so ``person(consent)`` becomes ``person(7, consent)`` and
``status(beacon, honor_detainer, forbidden)`` becomes
``status(7, beacon, honor_detainer, forbidden)``.  Declarations (``domain/2``,
``provision/3``, ...) stay shared.  A rule whose positive body binds no case
argument gets ``_batch_case(C)``.  The benchmark uses it as the raw-``clingo``
floor (`benchmarks/run.py`) and to compare this design with multi-shot solving.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import clingo
from clingo import ast

from engine.core.cases import Case
from engine.core.facts import case_facts, reading_facts
from engine.core.rulebase import CASE_PREDICATES

__all__ = ["case_dependent", "with_case_argument", "batch_facts", "CASE_VARIABLE"]

CASE_VARIABLE = "BatchCase"
_CASE_DOMAIN = "_batch_case"


def _signature(atom: ast.AST) -> tuple[str, int] | None:
    symbol = atom.symbol if atom.ast_type == ast.ASTType.SymbolicAtom else None
    if symbol is None or symbol.ast_type != ast.ASTType.Function:
        return None
    return symbol.name, len(symbol.arguments)


def _body_signatures(rule: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for literal in rule.body:
        if literal.ast_type == ast.ASTType.Literal:
            signature = _signature(literal.atom)
            if signature:
                found.add(signature)
    return found


def case_dependent(statements: Sequence[ast.AST]) -> set[tuple[str, int]]:
    """The predicates whose truth can depend on a case fact (a fixpoint over the rules)."""
    rules = [r for s in statements if s.ast_type == ast.ASTType.Rule for r in s.unpool()]
    dependent = {(name, arity) for rule in rules for literal in rule.body
                 if literal.ast_type == ast.ASTType.Literal
                 for name, arity in [_signature(literal.atom) or ("", 0)]
                 if name in CASE_PREDICATES}
    dependent |= {("reading", 2)}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            head = rule.head
            if head.ast_type != ast.ASTType.Literal:
                continue
            signature = _signature(head.atom)
            if signature and signature not in dependent and _body_signatures(rule) & dependent:
                dependent.add(signature)
                changed = True
    return dependent


class _AddCase(ast.Transformer):
    """Adds the case variable as first argument of every case-dependent atom."""

    def __init__(self, dependent: set[tuple[str, int]]) -> None:
        self.dependent = dependent

    def visit_SymbolicAtom(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's naming)
        signature = _signature(node)
        if signature not in self.dependent:
            return node
        symbol = node.symbol
        case = ast.Variable(symbol.location, CASE_VARIABLE)
        return node.update(symbol=symbol.update(arguments=[case, *symbol.arguments]))


def _binds_case(body: Iterable[ast.AST], dependent: set[tuple[str, int]]) -> bool:
    return any(literal.ast_type == ast.ASTType.Literal and literal.sign == ast.Sign.NoSign
               and _signature(literal.atom) in dependent for literal in body)


def _case_literal(location: ast.Location) -> ast.AST:
    term = ast.Function(location, _CASE_DOMAIN, [ast.Variable(location, CASE_VARIABLE)], 0)
    return ast.Literal(location, ast.Sign.NoSign, ast.SymbolicAtom(term))


def with_case_argument(statements: Sequence[ast.AST]) -> list[ast.AST]:
    """The statements rewritten for many cases in one program (see the module docstring)."""
    dependent = case_dependent(statements)
    add_case = _AddCase(dependent)
    result: list[ast.AST] = []
    for statement in statements:
        kind = statement.ast_type
        if kind == ast.ASTType.Rule:
            for rule in statement.unpool():
                signature = (_signature(rule.head.atom)
                             if rule.head.ast_type == ast.ASTType.Literal else None)
                if signature not in dependent:
                    result.append(rule)
                    continue
                body = [add_case(literal) for literal in rule.body]
                if not _binds_case(rule.body, dependent):
                    body.insert(0, _case_literal(rule.location))
                result.append(rule.update(head=add_case(rule.head), body=body))
        elif kind == ast.ASTType.ShowSignature and (statement.name, statement.arity) in dependent:
            result.append(statement.update(arity=statement.arity + 1))
        elif kind == ast.ASTType.Defined and (statement.name, statement.arity) in dependent:
            result.append(statement.update(arity=statement.arity + 1))
        elif kind == ast.ASTType.ShowTerm:
            term = statement.term
            if term.ast_type == ast.ASTType.Function and (term.name, len(term.arguments)) in dependent:
                case = ast.Variable(term.location, CASE_VARIABLE)
                term = term.update(arguments=[case, *term.arguments])
            result.append(statement.update(term=term, body=[add_case(b) for b in statement.body]))
        else:
            result.append(statement)
    return result


def batch_facts(cases: Iterable[tuple[int, Case]], readings: dict[str, str]) -> Iterable[clingo.Symbol]:
    """The facts of numbered cases for the rewritten program, each with its number first."""
    for number, case in cases:
        yield clingo.Function(_CASE_DOMAIN, [clingo.Number(number)])
        for fact in [*case_facts(case), *reading_facts(readings)]:
            yield clingo.Function(fact.name, [clingo.Number(number), *fact.arguments])
