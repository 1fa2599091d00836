"""What an atom that did not hold would have needed: the exceptions not met.

A rule such as ``forbids(O,S,A,Q) :- prohibits(O,S,A,Q), not lifted(O,S,A,Q).``
fired because ``lifted(...)`` did not hold.  To say *which* exception did not
apply and *what it would have needed*, the rules that could derive the absent
atom are read from the program (their AST, so a user's ``--rules`` are read
too): each rule whose head matches the atom is one way it could have held, and
its positive body conditions that are not true in the model are what was
missing.  A missing derived condition is followed through the rules that
define it, down to the case facts (asp/vocabulary/case.lp) it needs.

This is a reading of the rules, not a proof: negative conditions and
comparisons inside those rules are not followed, and a variable the matching
does not bind is shown by its name (``request_info(Q, immigration_status)``,
the same ``Q`` wherever the rule repeats it) or, when anonymous, as ``_``.  The counterfactual search
(`engine.explain.whatif`) is the solver-checked answer to "what would change it".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable

import clingo
from clingo import ast

from engine.core.catalog import Catalog
from engine.core.rulebase import CASE_PREDICATES
from engine.explain.provenance import Citation, head_citation, rule_citations
from engine.core.identity_cache import by_identity
from engine.explain.trace import ANY, TracedProgram

__all__ = ["Way", "Needs", "matches", "is_open"]

#: How deep derived conditions are followed, and how many ways are kept per atom.
MAX_DEPTH = 4
MAX_WAYS = 6


@dataclass(frozen=True)
class Way:
    """One way an absent atom could have held: the sections passed and the missing case facts."""

    citations: tuple[Citation, ...]
    missing: tuple[clingo.Symbol, ...]


def is_open(symbol: clingo.Symbol) -> bool:
    """Whether a part of an atom is left open: `ANY`, or a placeholder named after the rule's
    variable (``Q``: a constant cannot start with a capital, so no value is mistaken for one)."""
    return symbol == ANY or (symbol.type == clingo.SymbolType.Function and not symbol.arguments
                             and symbol.name[:1].isupper())


def matches(pattern: clingo.Symbol, atom: clingo.Symbol) -> bool:
    """Whether ``atom`` is an instance of ``pattern``, where open parts match anything."""
    if is_open(pattern):
        return True
    if pattern.type != clingo.SymbolType.Function or atom.type != clingo.SymbolType.Function:
        return pattern == atom
    return (pattern.name == atom.name and len(pattern.arguments) == len(atom.arguments)
            and all(matches(p, a) for p, a in zip(pattern.arguments, atom.arguments)))


def _unify(term: ast.AST, value: clingo.Symbol, binding: dict[str, clingo.Symbol]) -> bool:
    """Match a rule's term against a value whose open parts match anything, extending
    ``binding``; a variable meeting a placeholder takes it on, so that the conditions of
    the rule that share the variable show the same placeholder."""
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        if term.name == "_" or value == ANY:
            return True
        if term.name in binding:
            return binding[term.name] == value or is_open(binding[term.name]) or is_open(value)
        binding[term.name] = value
        return True
    if is_open(value):
        return True
    if kind == ast.ASTType.SymbolicTerm:
        return term.symbol == value
    if kind == ast.ASTType.Function:
        if value.type != clingo.SymbolType.Function or value.name != term.name \
                or len(value.arguments) != len(term.arguments):
            return False
        return all(_unify(t, v, binding) for t, v in zip(term.arguments, value.arguments))
    return True  # arithmetic, intervals: not decided here; the rule stays a candidate


def _instantiate(term: ast.AST, binding: dict[str, clingo.Symbol]) -> clingo.Symbol:
    """The term with bound variables replaced; an unbound variable becomes a placeholder
    of its name (``Q``), an anonymous one and anything else `ANY`."""
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        if term.name == "_" or term.name.startswith("_"):
            return ANY
        return binding.get(term.name, clingo.Function(term.name))
    if kind == ast.ASTType.SymbolicTerm:
        return term.symbol
    if kind == ast.ASTType.Function:
        return clingo.Function(term.name, [_instantiate(t, binding) for t in term.arguments])
    return ANY


class Needs:
    """Reads, for atoms absent from a model, the rules that would have derived them."""

    def __init__(self, program: TracedProgram, catalog: Catalog, holds: Iterable[clingo.Symbol]) -> None:
        self.program = program
        self.catalog = catalog
        self.holds = frozenset(holds)
        self.by_predicate: dict[tuple[str, int], list[clingo.Symbol]] = {}
        for atom in self.holds:
            if atom.type == clingo.SymbolType.Function:
                self.by_predicate.setdefault((atom.name, len(atom.arguments)), []).append(atom)
        self.citations = rule_citations(program, catalog)
        self.by_head = _rules_by_head(program)
        self.known: dict[tuple[clingo.Symbol, int], list[Way]] = {}

    def _true(self, pattern: clingo.Symbol) -> bool:
        if not any(is_open(part) for part in _parts(pattern)):
            return pattern in self.holds
        candidates = self.by_predicate.get((pattern.name, len(pattern.arguments)), ())
        return any(matches(pattern, atom) for atom in candidates)

    def ways(self, atom: clingo.Symbol, depth: int = MAX_DEPTH) -> list[Way]:
        """The ways ``atom`` could have held, fewest missing facts first (none: it never can)."""
        key = (atom, depth)
        if key not in self.known:
            self.known[key] = self._ways(atom, depth)
        return self.known[key]

    def _ways(self, atom: clingo.Symbol, depth: int) -> list[Way]:
        if atom.name in CASE_PREDICATES:
            return [Way((), (atom,))]
        if depth == 0:
            return []
        found: list[Way] = []
        for index, rule in self.by_head.get((atom.name, len(atom.arguments)), ()):
            binding: dict[str, clingo.Symbol] = {}
            if not _unify(rule.head.atom.symbol, atom, binding):
                continue
            head = _instantiate(rule.head.atom.symbol, binding)
            citation = head_citation(head, self.catalog) or self.citations.get(index)
            own = (citation,) if citation else ()
            per_condition: list[list[Way]] = []
            for literal in rule.body:
                if literal.ast_type != ast.ASTType.Literal or literal.sign != ast.Sign.NoSign \
                        or literal.atom.ast_type != ast.ASTType.SymbolicAtom:
                    continue
                condition = _instantiate(literal.atom.symbol, binding)
                if condition.type != clingo.SymbolType.Function or self._true(condition):
                    continue
                options = self.ways(condition, depth - 1)
                if not options:
                    break
                per_condition.append(options)
            else:
                for combination in itertools.islice(itertools.product(*per_condition), MAX_WAYS):
                    citations = own + tuple(c for way in combination for c in way.citations)
                    missing = tuple(dict.fromkeys(m for way in combination for m in way.missing))
                    found.append(Way(tuple(dict.fromkeys(citations)), missing))
        unique = list(dict.fromkeys(found))
        unique.sort(key=lambda way: (len(way.missing), [str(m) for m in way.missing]))
        return unique[:MAX_WAYS]


@by_identity
def _rules_by_head(program: TracedProgram) -> dict[tuple[str, int], list[tuple[int, ast.AST]]]:
    """The traced rules by the predicate of their head, built once per program."""
    by_head: dict[tuple[str, int], list[tuple[int, ast.AST]]] = {}
    for index, info in program.rules.items():
        symbol = info.rule.head.atom.symbol
        if symbol.ast_type == ast.ASTType.Function:
            by_head.setdefault((symbol.name, len(symbol.arguments)), []).append((index, info.rule))
    return by_head


def _parts(symbol: clingo.Symbol) -> list[clingo.Symbol]:
    if symbol.type != clingo.SymbolType.Function:
        return [symbol]
    return [symbol, *(part for argument in symbol.arguments for part in _parts(argument))]
