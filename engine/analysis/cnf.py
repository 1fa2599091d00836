"""A ground program as a CNF formula whose models are its answer sets, for exact model counting.

Why this translation is exact.  The programs counted (the rule base grounded with
asp/analysis/case_space.lp) open the case facts with choice rules and nothing else: every
other atom is derived by normal rules (and cardinality or weight bounds, which the case
space's "at most one value" and "exactly one agency" ground to).  `translate` accepts a
program only if, in addition,

* it is *stratified*: no atom depends on itself through default negation, so each
  assignment of the case facts has at most one answer set (none if a constraint fails);
* it is *tight*: no atom depends on itself positively (a case fact included, through the
  choice rule that opens it), so that answer set is the one model of the program's Clark
  completion (Fages' theorem) with those case facts.

Then the completion -- each derived atom is equivalent to the disjunction of its rule
bodies, a case fact implies the disjunction of the bodies of the choice rules that open
it (false if none does), an atom no rule derives is false, a constraint's body is false -- has exactly one
model per case with an answer set, and every other variable (a derived atom, a Tseitin
variable naming a body or a bound) is a function of the case facts.  So counting the
formula's models, projected on the case facts or not, counts cases.

A program outside that fragment raises `NotCountable` saying why in words: a choice other
than the case's facts, a disjunction, an ``#external``, an ``#edge`` or theory atom, an
atom depending on itself.  ``#minimize``, ``#heuristic`` and ``#project`` change no answer
set and are ignored.

Several programs can be translated into one formula over the same case-fact variables
(`Formula.add_program`): the case "conflicts as written and not with section 3(a)
dropped" is one count over two groundings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import clingo
import networkx
from clingo.backend import Observer

__all__ = ["CapturedProgram", "Formula", "Clauses", "NotCountable", "TRUE", "FALSE"]

#: Variable 1 is constant true (a unit clause holds it), so constants are literals too.
TRUE = 1
FALSE = -TRUE


class NotCountable(Exception):
    """The ground program is outside the fragment the translation is exact for; the message says why."""


@dataclass
class CapturedProgram(Observer):
    """The ground program clingo passes to its solver (registered with
    `clingo.Control.register_observer` before grounding), as it is: normal and choice
    rules, weight rules, and the constructs the translation refuses, by name."""

    rules: list[tuple[bool, Sequence[int], Sequence[int]]] = field(default_factory=list)
    weight_rules: list[tuple[bool, Sequence[int], int, Sequence[tuple[int, int]]]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    def rule(self, choice: bool, head: Sequence[int], body: Sequence[int]) -> None:
        self.rules.append((choice, tuple(head), tuple(body)))

    def weight_rule(self, choice: bool, head: Sequence[int], lower_bound: int,
                    body: Sequence[tuple[int, int]]) -> None:
        self.weight_rules.append((choice, tuple(head), lower_bound, tuple(body)))

    def external(self, atom: int, value: clingo.TruthValue) -> None:
        self.unsupported.append("an #external atom (its truth is open, not a case fact)")

    def acyc_edge(self, node_u: int, node_v: int, condition: Sequence[int]) -> None:
        self.unsupported.append("an #edge directive")

    def theory_atom(self, atom_id_or_zero: int, term_id: int, elements: Sequence[int]) -> None:
        self.unsupported.append("a theory atom")

    def theory_atom_with_guard(self, atom_id_or_zero: int, term_id: int, elements: Sequence[int],
                               operator_id: int, right_hand_side_id: int) -> None:
        self.unsupported.append("a theory atom")


class Formula:
    """A CNF formula built from ground programs, with one variable per case fact shared by all.

    Variables run from 1 to ``variables``; ``inputs`` maps each case fact (its symbol) to
    its variable: the set to project a count on.  The clauses are kept in two kinds:
    ``constraints`` (what every model must satisfy: a constraint of the rules, a case fact
    needing the body of a choice rule) and ``definitions`` (the clauses making a variable
    equivalent to a function of others: a derived atom, a body, a bound).  `clauses_for`
    gives the formula a question needs.
    """

    def __init__(self) -> None:
        self.variables = TRUE
        self.constraints: list[list[int]] = [[TRUE]]
        self.definitions: dict[int, list[list[int]]] = {}
        self.inputs: dict[clingo.Symbol, int] = {}
        #: Each conjunction's variable, so that one conjunction is one variable however often met.
        self.conjunctions: dict[tuple[int, ...], int] = {}

    def _new(self) -> int:
        self.variables += 1
        return self.variables

    def clauses_for(self, units: Sequence[int] = ()) -> "Clauses":
        """The formula whose models are the cases in which every literal of ``units`` holds.

        It holds the constraints, the units and the definitions of the variables these rest
        on, renumbered from 1.  Leaving out the other definitions changes no count: each
        defines its variable as a function of variables defined before it (the program is
        tight and stratified), so every model of the rest extends to them in exactly one way.
        For the same reason every variable but the case facts is a function of the case facts,
        so the models need no projection: each is one case.  Case facts the formula does not
        mention are free (`Clauses.free`).
        """
        clauses = [*self.constraints, *([unit] for unit in units)]
        seen: set[int] = set()
        stack = [abs(literal) for clause in clauses for literal in clause]
        while stack:
            variable = stack.pop()
            if variable in seen:
                continue
            seen.add(variable)
            for clause in self.definitions.get(variable, ()):
                clauses.append(clause)
                stack.extend(abs(literal) for literal in clause if abs(literal) not in seen)
        number = {variable: n for n, variable in enumerate(sorted(seen), start=1)}
        renumbered = [[number[literal] if literal > 0 else -number[-literal] for literal in clause]
                      for clause in clauses]
        return Clauses(renumbered, len(number), sum(1 for v in self.inputs.values() if v not in seen))

    def conjunction(self, literals: Iterable[int]) -> int:
        """A literal equivalent to the conjunction of ``literals`` (a new variable, a Tseitin one,
        unless it is a constant or a single literal)."""
        kept = sorted({literal for literal in literals if literal != TRUE})
        if FALSE in kept or any(-literal in kept for literal in kept if literal > 0):
            return FALSE
        if not kept:
            return TRUE
        if len(kept) == 1:
            return kept[0]
        if tuple(kept) in self.conjunctions:
            return self.conjunctions[tuple(kept)]
        variable = self.conjunctions[tuple(kept)] = self._new()
        self.definitions[variable] = [*([-variable, literal] for literal in kept),
                                      [variable, *(-literal for literal in kept)]]
        return variable

    def disjunction(self, literals: Iterable[int]) -> int:
        """A literal equivalent to the disjunction of ``literals``."""
        return -self.conjunction(-literal for literal in literals)

    def at_least(self, bound: int, weighted: Sequence[tuple[int, int]]) -> int:
        """A literal equivalent to "the weights of the true literals sum to ``bound`` or more".

        Variables ``ge(i, j)``: the literals from the i-th on reach j; ``ge(i, j)`` is
        ``ge(i+1, j) or (l_i and ge(i+1, j - w_i))``.  Each is a function of the
        literals (a Tseitin variable), and there are at most ``len(weighted) * bound``.
        """
        if any(weight < 0 for _, weight in weighted):
            raise NotCountable("the rules ground to a #sum with a negative weight")
        items = [(literal, weight) for literal, weight in weighted if weight > 0]
        rest = [0] * (len(items) + 1)  # rest[i]: the most the literals from the i-th on can reach
        for i in range(len(items) - 1, -1, -1):
            rest[i] = rest[i + 1] + items[i][1]
        needed: list[set[int]] = [set() for _ in range(len(items) + 1)]
        needed[0].add(bound)
        for i, (_, weight) in enumerate(items):
            for j in needed[i]:
                if 0 < j <= rest[i]:
                    needed[i + 1].update({j, j - weight})
        value: dict[tuple[int, int], int] = {}

        def ge(i: int, j: int) -> int:
            if j <= 0:
                return TRUE
            if j > rest[i]:
                return FALSE
            return value[i, j]

        for i in range(len(items) - 1, -1, -1):
            literal, weight = items[i]
            for j in needed[i]:
                if 0 < j <= rest[i]:
                    value[i, j] = self.disjunction([ge(i + 1, j), self.conjunction([literal, ge(i + 1, j - weight)])])
        return ge(0, bound)

    def add_program(self, program: CapturedProgram, inputs: Mapping[int, clingo.Symbol],
                    describe: Mapping[int, clingo.Symbol]) -> dict[int, int]:
        """Add the completion of ``program``; the literal of each atom it derives or reads, by
        program atom (an atom missing is one no rule derives: false, `FALSE`).

        ``inputs``: the program atoms of the case facts (the only atoms choice rules may
        open), by symbol, so that two programs share them.  ``describe``: symbols of
        program atoms, for the reason a program is refused.  Raises `NotCountable`.
        """
        if program.unsupported:
            raise NotCountable(f"the rules ground to {program.unsupported[0]}")

        def named(atom: int) -> str:
            return str(describe[atom]) if atom in describe else f"an atom of the ground program (#{atom})"

        literal: dict[int, int] = {}
        for atom, symbol in inputs.items():
            if symbol not in self.inputs:
                self.inputs[symbol] = self._new()
            literal[atom] = self.inputs[symbol]
        # Every rule as (choice, head, body); a body is a `_Body`: program literals, or one bound.
        rules = [(choice, head, _Body(tuple(body))) for choice, head, body in program.rules]
        rules += [(choice, head, _Body((), (lower, tuple(weighted))))
                  for choice, head, lower, weighted in program.weight_rules]
        bodies: dict[int, list[_Body]] = {}
        openings: dict[int, list[_Body]] = {}
        constraints: list[_Body] = []
        for choice, head, body in rules:
            if choice:
                for atom in head:
                    if atom not in inputs:
                        raise NotCountable(f"the rules ground to a choice ({{ ... }}) of {named(atom)}, "
                                           "which is not a case fact")
                    openings.setdefault(atom, []).append(body)
            elif len(head) > 1:
                raise NotCountable("the rules ground to a disjunction (a ; b :- ...)")
            elif not head:
                constraints.append(body)
            elif head[0] in inputs:
                raise NotCountable(f"a rule derives the case fact {named(head[0])}")
            else:
                bodies.setdefault(head[0], []).append(body)
        order = _dependency_order(bodies, openings, named)

        def of(program_literal: int) -> int:
            # An atom no rule derives is false in every answer set.
            value = literal.get(abs(program_literal), FALSE)
            return value if program_literal > 0 else -value

        def body_literal(body: _Body) -> int:
            if body.bound is None:
                return self.conjunction(map(of, body.literals))
            lower, weighted = body.bound
            return self.at_least(lower, [(of(item), weight) for item, weight in weighted])

        for atom in order:  # each after the atoms it depends on: its literal is their function
            literal[atom] = self.disjunction(map(body_literal, bodies[atom]))
        for atom in inputs:  # a case fact holds only where a choice rule opens it (none: nowhere)
            self.constraints.append([-literal[atom], self.disjunction(map(body_literal, openings.get(atom, ())))])
        for body in constraints:
            self.constraints.append([-body_literal(body)])
        return literal


@dataclass(frozen=True)
class Clauses:
    """A formula to count: ``clauses`` over variables 1..``variables``, and ``free`` case facts
    it does not mention (each doubles the number of cases)."""

    clauses: list[list[int]]
    variables: int
    free: int


@dataclass(frozen=True)
class _Body:
    """A rule body: a conjunction of program literals, or (``bound``) a weight bound
    ``(lower, ((literal, weight), ...))`` that holds when the true literals weigh ``lower`` or more."""

    literals: tuple[int, ...]
    bound: tuple[int, tuple[tuple[int, int], ...]] | None = None

    def dependencies(self) -> Iterable[int]:
        """The program literals the body reads."""
        return self.literals if self.bound is None else (item for item, _ in self.bound[1])


def _dependency_order(bodies: Mapping[int, list[_Body]], openings: Mapping[int, list[_Body]],
                      named: Callable[[int], str]) -> list[int]:
    """The derived atoms, each after those it depends on (the derived atoms its bodies read), or
    `NotCountable` for an atom that depends on itself: through default negation among the derived
    atoms (not stratified: a case could have several answer sets), or positively (not tight).

    A positive loop may also pass through a case fact, by the choice rule that opens it
    (``{ b } :- c.  c :- b.``): the completion then has a model making the loop true that is
    no answer set (nothing outside the loop supports it), so such a loop is refused too.  A
    loop through a case fact's choice and default negation is not: with the case facts fixed,
    the derived atoms are their function, and the completion of a tight program is exact."""
    graph = networkx.DiGraph()
    negative = networkx.DiGraph()
    for atom, atom_bodies in bodies.items():
        graph.add_node(atom)
        for body in atom_bodies:
            for item in body.dependencies():
                if abs(item) in bodies:
                    graph.add_edge(atom, abs(item))
                    if item < 0:
                        negative.add_edge(atom, abs(item))
    for component in networkx.strongly_connected_components(graph):
        first = min(component)
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        if negative.subgraph(component).number_of_edges():
            raise NotCountable(f"{named(first)} depends on itself through default negation "
                               "(the rules are not stratified)")
        raise NotCountable(f"{named(first)} depends on itself (a positive loop: the rules are not "
                           "tight, and their completion could count cases without an answer)")
    positive = networkx.DiGraph()  # every atom a rule derives or a choice opens, to the atoms its bodies hold
    for atom, atom_bodies in [*bodies.items(), *openings.items()]:
        for body in atom_bodies:
            positive.add_edges_from((atom, item) for item in body.dependencies()
                                    if item > 0 and (item in bodies or item in openings))
    try:
        loop = networkx.find_cycle(positive)
    except networkx.NetworkXNoCycle:
        return list(reversed(list(networkx.topological_sort(graph))))
    case_fact = next(atom for atom, _ in loop if atom in openings)
    raise NotCountable(f"{named(case_fact)} depends on itself through the choice that opens it (a positive "
                       "loop: the rules are not tight, and their completion could count cases without an answer)")
