"""Which rule instances fired: the rule base instrumented with companion rules.

Every rule ``H :- B.`` gets a companion ``_fired(I, H, (P1,...), (N1,...)) :- B.``
where ``I`` numbers the rule, ``P`` are the atoms of its positive body literals and
``N`` the atoms of its default-negated ones.  The companion has the same body, so
it holds exactly for the ground instances that fired, and a model then records
the whole derivation (PERFORMANCE.md §5: store the raw trace, build trees on
demand).  The instrumentation is done on clingo's AST at load time: the ``.lp``
files stay plain ASP, and a user's own rules (``--rules``) are traced like the
built-in ones with no extra work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import clingo
from clingo import ast

from engine.core.identity_cache import by_identity
from engine.core.rulebase import RuleBase, builtin_rules_dir, solver

__all__ = ["FIRED", "ANY", "RuleInfo", "Firing", "TracedProgram", "traced_program", "firing", "firings",
           "support"]

FIRED = "_fired"
#: Stands for an anonymous variable of a negated literal (``not permits(O, A, _)``).
ANY = clingo.Function("_any")


@dataclass(frozen=True)
class RuleInfo:
    """A traced rule (its AST, read to tell which rules could have derived an atom that
    did not hold) and where it is written."""

    index: int
    file: str
    line: int
    rule: ast.AST

    @property
    def text(self) -> str:
        return str(self.rule)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Firing:
    """One ground instance of a rule that fired in a model."""

    rule: int
    head: clingo.Symbol
    positive: tuple[clingo.Symbol, ...]
    negative: tuple[clingo.Symbol, ...]


@dataclass(frozen=True)
class TracedProgram:
    """The instrumented statements and, per rule index, where the rule is written."""

    statements: tuple[ast.AST, ...]
    rules: dict[int, RuleInfo]

    def control(self, facts: Iterable[clingo.Symbol], arguments: Sequence[str] = ()) -> clingo.Control:
        """A solver holding the traced rules and the given facts, not yet grounded."""
        return solver(self.statements, facts, arguments)


class _Ground(ast.Transformer):
    """Replaces variables the positive body does not bind by the `ANY` constant."""

    def __init__(self, bound: set[str]) -> None:
        self.bound = bound

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's naming)
        if node.name in self.bound:
            return node
        return ast.SymbolicTerm(node.location, ANY)


def _variables(node: ast.AST) -> set[str]:
    found: set[str] = set()

    class Collect(ast.Transformer):
        def visit_Variable(self, variable: ast.AST) -> ast.AST:  # noqa: N802
            found.add(variable.name)
            return variable

    Collect()(node)
    return found


class _NameAnonymous(ast.Transformer):
    """Gives each anonymous variable of a positive literal its own name, so the
    companion's head can repeat the atom (``request(Q, _)`` becomes ``request(Q, Anon_0)``)."""

    def __init__(self) -> None:
        self.count = 0

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802
        if node.name != "_":
            return node
        self.count += 1
        return ast.Variable(node.location, f"Anon_{self.count}")


def _symbolic_literals(body: Sequence[ast.AST], sign: ast.Sign) -> list[ast.AST]:
    return [lit for lit in body if lit.ast_type == ast.ASTType.Literal and lit.sign == sign
            and lit.atom.ast_type == ast.ASTType.SymbolicAtom]


def _relative(filename: str) -> str:
    path = Path(filename)
    for base, prefix in ((builtin_rules_dir(), "asp"), (Path.cwd(), "")):
        try:
            relative = path.resolve().relative_to(base.resolve())
        except ValueError:
            continue
        return str(Path(prefix) / relative) if prefix else str(relative)
    return filename


def _companion(rule: ast.AST, index: int) -> ast.AST | None:
    """The `_fired` rule of a rule with a plain atom head; None for other rules."""
    head = rule.head
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom \
            or head.sign != ast.Sign.NoSign:
        return None
    location = rule.location
    name = _NameAnonymous()
    body = [name(lit) if lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign else lit
            for lit in rule.body]
    positive = [lit.atom.symbol for lit in _symbolic_literals(body, ast.Sign.NoSign)]
    bound = set().union(*(_variables(lit) for lit in body
                          if not (lit.ast_type == ast.ASTType.Literal and lit.sign != ast.Sign.NoSign)))
    ground = _Ground(bound)
    negative = [ground(lit.atom.symbol) for lit in _symbolic_literals(body, ast.Sign.Negation)]
    arguments = [ast.SymbolicTerm(location, clingo.Number(index)), head.atom.symbol,
                 ast.Function(location, "", positive, 0), ast.Function(location, "", negative, 0)]
    fired = ast.Literal(location, ast.Sign.NoSign,
                        ast.SymbolicAtom(ast.Function(location, FIRED, arguments, 0)))
    return ast.Rule(location, fired, body)


def instrument(statements: Sequence[ast.AST]) -> TracedProgram:
    """The statements plus one companion rule per (unpooled) rule, and a `#show` for them."""
    result: list[ast.AST] = []
    rules: dict[int, RuleInfo] = {}
    for statement in statements:
        if statement.ast_type != ast.ASTType.Rule:
            result.append(statement)
            continue
        for rule in statement.unpool():
            result.append(rule)
            companion = _companion(rule, len(rules))
            if companion is not None:
                begin = rule.location.begin
                rules[len(rules)] = RuleInfo(len(rules), _relative(begin.filename), begin.line, rule)
                result.append(companion)
    ast.parse_string(f"#show {FIRED}/4.", result.append)
    return TracedProgram(tuple(result), rules)


@by_identity
def traced_program(rule_base: RuleBase) -> TracedProgram:
    """The instrumented rule base, built once per rule base (rule bases are cached too)."""
    return instrument(rule_base.statements)


def firing(symbol: clingo.Symbol) -> Firing:
    """The rule instance a ``_fired(I, Head, (Pos...), (Neg...))`` atom records."""
    rule, head, positive, negative = symbol.arguments
    return Firing(rule.number, head, tuple(positive.arguments), tuple(negative.arguments))


def firings(symbols: Iterable[clingo.Symbol]) -> list[Firing]:
    """The rule instances recorded in a model's shown symbols."""
    return [firing(symbol) for symbol in symbols if symbol.name == FIRED and len(symbol.arguments) == 4]


def support(fired: Iterable[Firing], conclusion: clingo.Symbol) -> list[Firing]:
    """The rule instances a conclusion rests on: those deriving it, then, recursively,
    those deriving their positive body atoms, each once, in breadth-first order.

    An atom derived by several instances keeps all of them (every reason counts);
    an atom no instance derives is a fact of the case or of the vocabulary.
    """
    by_head: dict[clingo.Symbol, list[Firing]] = {}
    for firing in fired:
        by_head.setdefault(firing.head, []).append(firing)
    found: list[Firing] = []
    seen_atoms = {conclusion}
    queue = [conclusion]
    while queue:
        atom = queue.pop(0)
        for firing in by_head.get(atom, ()):
            found.append(firing)
            for body_atom in firing.positive:
                if body_atom not in seen_atoms:
                    seen_atoms.add(body_atom)
                    queue.append(body_atom)
    return found
