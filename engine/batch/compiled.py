"""The per-case evaluation compiled: a ground program turned into Python over chunks of cases.

Why: `engine.batch.solver` grounds the rule base once per request count with every
case fact left open (a choice) and fixes them per case.  With the case facts fixed,
the ground program of the built-in rules is normal and stratified, so each case has
one answer set, its perfect model, and computing it needs no search: clasp's
``solve()`` (~250 µs a case here) does far more than that needs.  This module takes
the very ground program clingo passes to its solver, through the public observer
interface (`clingo.Control.register_observer`), checks that it is of that kind, and
compiles it to straight-line Python over *masks*: an int per ground atom holding one
bit per case of a chunk.  A rule is the ``&`` of its body (``~`` for a
default-negated atom), an atom the ``|`` of its rules, computed in dependency order;
atoms that depend positively on each other are iterated to their least fixpoint.  One
call decides a whole chunk of cases (PERFORMANCE.md §4; issue 15).

When the ground program is not of that kind -- an aggregate or a cardinality bound,
a disjunction, a choice other than the case's facts, a rule deriving a case fact, an
atom depending on itself through default negation, an ``#external``, optimisation,
... (a user's ``--rules`` may hold them) -- `compile_program` raises `NotCompilable`
saying why, and the batch keeps clingo's solve, which is right for any program.

The generated source holds only slot numbers (``v[123]``) and the operators: no
text of a rule or of a case is ever part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import clingo
from clingo.backend import Observer

__all__ = ["GroundProgram", "Evaluator", "NotCompilable", "compile_program"]

#: Terms joined by one operator on a line at most; longer joins are folded over several
#: statements, since Python compiles a long chain of operators recursively.
_JOIN = 32
#: Lines per compiled function (see `_Source`).
_PIECE = 400


class NotCompilable(Exception):
    """The ground program is not one the evaluator computes; the message says why, in words."""


class GroundProgram(Observer):
    """The ground program clingo passes to its solver: rules over program atoms, and
    what is shown under which condition.

    Constructs the evaluator does not compute are not kept, only named
    (``unsupported``): the program then stays with clingo.
    """

    def __init__(self) -> None:
        self.rules: list[tuple[bool, Sequence[int], Sequence[int]]] = []
        #: (symbol, condition): shown when every literal of the condition holds (``()``: always).
        self.shown: list[tuple[clingo.Symbol, tuple[int, ...]]] = []
        self.unsupported: list[str] = []

    def rule(self, choice: bool, head: Sequence[int], body: Sequence[int]) -> None:
        self.rules.append((choice, head, body))

    def weight_rule(self, choice: bool, head: Sequence[int], lower_bound: int,
                    body: Sequence[tuple[int, int]]) -> None:
        self.unsupported.append("an aggregate or a cardinality bound (#count, #sum, n { ... } m)")

    def output_atom(self, symbol: clingo.Symbol, atom: int) -> None:
        self.shown.append((symbol, (atom,) if atom else ()))

    def output_term(self, symbol: clingo.Symbol, condition: Sequence[int]) -> None:
        self.shown.append((symbol, tuple(condition)))

    def external(self, atom: int, value: clingo.TruthValue) -> None:
        self.unsupported.append("an #external atom")

    def minimize(self, priority: int, literals: Sequence[tuple[int, int]]) -> None:
        self.unsupported.append("an optimisation statement (#minimize, #maximize or a weak constraint)")

    def heuristic(self, atom: int, type_: clingo.backend.HeuristicType, bias: int, priority: int,
                  condition: Sequence[int]) -> None:
        self.unsupported.append("a #heuristic directive")

    def project(self, atoms: Sequence[int]) -> None:
        self.unsupported.append("a #project directive")

    def acyc_edge(self, node_u: int, node_v: int, condition: Sequence[int]) -> None:
        self.unsupported.append("an #edge directive")

    def theory_atom(self, atom_id_or_zero: int, term_id: int, elements: Sequence[int]) -> None:
        self.unsupported.append("a theory atom")

    def theory_atom_with_guard(self, atom_id_or_zero: int, term_id: int, elements: Sequence[int],
                               operator_id: int, right_hand_side_id: int) -> None:
        self.unsupported.append("a theory atom")


@dataclass(frozen=True)
class Evaluator:
    """A compiled ground program: the shown symbols and the code computing their masks.

    ``shown`` holds each shown symbol once, in the order clingo first reported it;
    `evaluate` gives a mask per shown symbol in that order.
    """

    shown: tuple[clingo.Symbol, ...]
    inputs: int
    #: Atoms computed per evaluation (the program's size as compiled, for reports).
    atoms: int
    #: Slots of the list the pieces work on (see `_Source`).
    slots: int
    pieces: tuple[Callable[[list[int], int], None], ...]
    #: The slot of each shown symbol's mask, and of the cases without an answer.
    shown_slots: tuple[int, ...]
    violated_slot: int

    def evaluate(self, inputs: Sequence[int], cases: int) -> tuple[list[int], int]:
        """The masks of the shown symbols for ``cases`` cases, and the mask of the cases
        for which the rules have no answer (an integrity constraint fails).

        ``inputs`` holds a mask per case fact, in the order given to `compile_program`:
        bit ``c`` set when case ``c`` states the fact.
        """
        if len(inputs) != self.inputs:
            raise ValueError(f"{len(inputs)} input masks for {self.inputs} inputs")
        every = (1 << cases) - 1
        v = [0] * self.slots
        v[0] = every
        v[2:2 + self.inputs] = inputs
        for piece in self.pieces:
            piece(v, every)
        return list(map(v.__getitem__, self.shown_slots)), v[self.violated_slot]


def _strongly_connected(nodes: Iterable[int], edges: dict[int, list[int]]) -> list[list[int]]:
    """The strongly connected components, each after every component it reaches
    (Tarjan's algorithm, without recursion: a ground program's chains run deep)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges.get(successor, ()))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


class _Source:
    """The generated code and each atom's value: True (every case), False (no case) or where
    its mask is, ``v[k]``: the code works on ``v``, a list with a slot per computed mask (slot
    0: every case, 1: no case, then the inputs, then the atoms in the order computed).

    Statements are kept in groups that must stay in one function (a loop), and compiled in
    pieces of `_PIECE` lines, not as one function: compiling a function holds its whole syntax
    tree, and the process keeps the memory (measured: ~8 MB a grounding in one function).
    """

    def __init__(self, inputs: Sequence[int]) -> None:
        self.value: dict[int, bool | str] = {atom: f"v[{slot}]" for slot, atom in enumerate(inputs, start=2)}
        self.slots = len(inputs) + 2
        self.statements: list[list[str]] = []
        self.assigned = 0

    def of(self, atom: int) -> bool | str:
        return self.value.get(atom, False)  # an atom no rule derives is false

    def slot(self) -> int:
        self.slots += 1
        return self.slots - 1

    def conjunction(self, body: Sequence[int]) -> bool | list[str]:
        """The terms whose ``&`` is the body (True: always holds, False: never)."""
        positive: list[str] = []
        negative: list[str] = []
        for literal in body:
            value = self.of(abs(literal))
            if isinstance(value, bool):
                if value != (literal > 0):
                    return False
                continue
            (positive if literal > 0 else negative).append(value if literal > 0 else f"~{value}")
        if not positive and not negative:
            return True
        return (positive or ["E"]) + negative

    def disjunction(self, bodies: Iterable[Sequence[int]]) -> bool | list[list[str]]:
        """The conjunctions whose ``|`` holds when one of the bodies does (each once)."""
        found: dict[tuple[str, ...], None] = {}
        for body in bodies:
            terms = self.conjunction(body)
            if terms is True:
                return True
            if terms is not False:
                found[tuple(terms)] = None
        return [list(terms) for terms in found] or False

    @staticmethod
    def assign(target: str, terms: list[list[str]], indent: str = "    ") -> list[str]:
        """Lines setting ``target`` to the disjunction of the conjunctions (``&`` binds tighter
        than ``|``, so no parentheses), at most `_JOIN` operands of each a line."""
        lines, operands = [], []
        for number, conjunction in enumerate(terms):
            if len(conjunction) <= _JOIN:
                operands.append(" & ".join(conjunction))
                continue
            name = f"_c{number}"
            for start in range(0, len(conjunction), _JOIN):
                lines.append(f"{indent}{name} {'&=' if start else '='} {' & '.join(conjunction[start:start + _JOIN])}")
            operands.append(name)
        for start in range(0, len(operands), _JOIN):
            lines.append(f"{indent}{target} {'|=' if start else '='} {' | '.join(operands[start:start + _JOIN])}")
        return lines

    def define(self, atom: int, bodies: list[Sequence[int]]) -> None:
        """Compute an atom that does not depend on itself."""
        terms = self.disjunction(bodies)
        if isinstance(terms, bool):
            self.value[atom] = terms
        elif len(terms) == 1 and len(terms[0]) == 1 and terms[0][0].startswith("v["):
            self.value[atom] = terms[0][0]  # the same mask as another atom: no new slot
        else:
            name = self.value[atom] = f"v[{self.slot()}]"
            self.statements.append(self.assign(name, terms))
            self.assigned += 1

    def define_loop(self, atoms: list[int], rules_of: dict[int, list[Sequence[int]]]) -> None:
        """Compute atoms that depend positively on each other: from nothing, apply their
        rules until nothing changes (the least fixpoint; a few rounds at most)."""
        for atom in atoms:
            self.value[atom] = f"v[{self.slot()}]"  # 0 until set, as every slot starts
        lines = ["    while True:", "        _changed = False"]
        for atom in atoms:
            terms = self.disjunction(rules_of[atom])
            if isinstance(terms, bool):
                lines.append(f"        _n = {'E' if terms else '0'}")
            else:
                lines += self.assign("_n", terms, "        ")
            lines += [f"        if _n != {self.value[atom]}:", f"            {self.value[atom]} = _n",
                      "            _changed = True"]
        self.statements.append(lines + ["        if not _changed:", "            break"])
        self.assigned += len(atoms)

    def output(self, terms: bool | list[list[str]]) -> int:
        """The slot of a disjunction's mask: 0 / 1 if it is constant, an atom's own if it is that
        atom (a shown atom, most often), else a new one."""
        if isinstance(terms, bool):
            return 0 if terms else 1
        if len(terms) == 1 and len(terms[0]) == 1 and terms[0][0].startswith("v["):
            return int(terms[0][0][2:-1])
        target = self.slot()
        self.statements.append(self.assign(f"v[{target}]", terms))
        return target

    def pieces(self) -> tuple[Callable[[list[int], int], None], ...]:
        """The statements compiled, a function ``piece(v, E)`` per `_PIECE` lines or so."""
        functions = []
        lines: list[str] = []
        for statement in [*self.statements, None]:
            if statement is None or (lines and len(lines) + len(statement) > _PIECE):
                if lines:
                    namespace: dict[str, object] = {}
                    source = "\n".join(["def piece(v, E):", *lines])
                    exec(compile(source, "<compiled ground program>", "exec"), namespace)  # noqa: S102
                    functions.append(namespace["piece"])
                lines = []
            if statement is not None:
                lines += statement
        return tuple(functions)  # type: ignore[arg-type]


def _needed(roots: Iterable[int], rules_of: dict[int, list[Sequence[int]]]) -> set[int]:
    """The derived atoms the roots rest on (only these are computed)."""
    seen: set[int] = set()
    stack = [atom for atom in roots if atom in rules_of]
    while stack:
        atom = stack.pop()
        if atom in seen:
            continue
        seen.add(atom)
        stack.extend(abs(literal) for body in rules_of[atom] for literal in body
                     if abs(literal) in rules_of and abs(literal) not in seen)
    return seen


def compile_program(program: GroundProgram, inputs: Sequence[int],
                    describe: Callable[[int], str]) -> Evaluator:
    """The evaluator of a ground program whose open choices are exactly ``inputs``.

    ``inputs`` are the program atoms of the case facts (each opened by a choice
    with an empty body); ``describe`` names an atom, for the reason a program is
    refused.  Raises `NotCompilable` unless the program is normal (no aggregate,
    disjunction, other choice or external) and stratified.
    """
    if program.unsupported:
        raise NotCompilable(f"the rules ground to {program.unsupported[0]}")
    opened = set(inputs)
    rules_of: dict[int, list[Sequence[int]]] = {}
    constraints: list[Sequence[int]] = []
    for choice, head, body in program.rules:
        if choice:
            if body or not opened.issuperset(head):
                raise NotCompilable("the rules ground to a choice ({ ... }) other than the case's facts")
            continue
        if len(head) > 1:
            raise NotCompilable("the rules ground to a disjunction (a ; b :- ...)")
        if not head:
            constraints.append(body)
            continue
        if head[0] in opened:
            raise NotCompilable(f"a rule derives the case fact {describe(head[0])}")
        rules_of.setdefault(head[0], []).append(body)
    roots = [abs(literal) for _, condition in program.shown for literal in condition]
    roots += [abs(literal) for body in constraints for literal in body]
    needed = _needed(roots, rules_of)
    edges = {atom: [abs(literal) for body in bodies for literal in body if abs(literal) in rules_of]
             for atom, bodies in rules_of.items()}
    source = _Source(inputs)
    # Every atom is checked, needed or not: a loop through negation nothing shown rests on
    # can still leave a case without an answer (``a :- not a.``), which only clasp reports.
    for component in _strongly_connected(rules_of, edges):
        members = set(component)
        looping = len(component) > 1 or component[0] in edges[component[0]]
        for atom in component if looping else ():
            for body in rules_of[atom]:
                for literal in body:
                    if literal < 0 and -literal in members:
                        raise NotCompilable(f"{describe(atom)} depends on itself through default "
                                            "negation (the rules are not stratified)")
        if not members & needed:
            continue
        if looping:
            source.define_loop(sorted(component), rules_of)
        else:
            source.define(component[0], rules_of[component[0]])
    conditions: dict[clingo.Symbol, list[Sequence[int]]] = {}
    for symbol, condition in program.shown:
        conditions.setdefault(symbol, []).append(condition)
    shown = tuple(source.output(source.disjunction(bodies)) for bodies in conditions.values())
    violated = source.output(source.disjunction(constraints))
    return Evaluator(tuple(conditions), len(inputs), source.assigned, source.slots, source.pieces(),
                     shown, violated)
