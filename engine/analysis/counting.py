"""How many cases: exact counts over the bounded case space (`check --count`, `compare --count`).

The bounded case space is every answer set of asp/analysis/case_space.lp with at most
``requests`` requests: every case the contract's case format can state, once per order of
its requests (a case file lists them in one order, and the engine numbers them so).  A count
is the number of those cases in which the ordinance conflicts with federal law on an action
(conflict_1373.lp), or in which two ordinances give an action two given statuses
(comparison.lp), and the size of the whole space is counted the same way, not computed by
hand.  The symmetry breaking of the witness searches (asp/analysis/symmetry.lp) is left out:
it keeps one numbering of each case, and a count must see them all.

How: the rule base is grounded once with the case space and the question's encoding, the
ground program is captured (`engine.analysis.cnf`) and translated into a CNF formula with
exactly one model per case, and Ganak counts its models once per question
(`engine.analysis.counter`): over every variable, with no projection set, since each
variable but the case facts is a function of them (so the count is the projected one).  Every count is exact or reported as not
finished; tests check the counts against clingo's enumeration and against deciding every
case of reduced spaces one by one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import clingo
from clingo import ast

from engine.analysis.check import known_ordinance
from engine.analysis.cnf import FALSE, CapturedProgram, Formula, NotCountable
from engine.analysis.comparison import known_pair
from engine.analysis.counter import COUNTER_METHOD, ModelCounter, require_counter
from engine.analysis.findings import SearchStatus
from engine.analysis.restriction import Drop, restrict
from engine.analysis.search import (CONFLICT_FOUND, DEFAULT_REQUESTS, DEFAULT_TIMEOUT, DIFFERS, FEDERAL_CONFLICT,
                                    analysis_file, check_limits)
from engine.core.errors import EngineError
from engine.core.facts import reading_facts
from engine.core.rulebase import RuleBase
from engine.core.solve import check_readings
from engine.core.vocabulary import fact_arity, fact_fields

__all__ = ["Tally", "Bound", "CountRow", "Counts", "Question", "GroundQuestion", "count_conflicts",
           "count_differences", "conflict_question", "difference_question", "ground_question",
           "formula_of", "count_where", "case_fact_predicates", "literal_of", "vocabulary_of",
           "checked_switches", "dropped_labels", "DIFFER_FOUND"]

#: comparison.lp: some action has different statuses under the two ordinances.
DIFFER_FOUND = "differ_found"
CASE_SPACE = "case_space.lp"


@dataclass(frozen=True)
class Tally:
    """One exact count of cases; ``cases`` is None when the counter ran out of time (not known)."""

    cases: int | None

    @property
    def status(self) -> SearchStatus:
        return SearchStatus.TIMED_OUT if self.cases is None else SearchStatus.COMPLETE

    def share(self, whole: "Tally") -> Fraction | None:
        """The exact share of ``whole`` (None if either count is not known, or ``whole`` is 0)."""
        if self.cases is None or not whole.cases:
            return None
        return Fraction(self.cases, whole.cases)

    def to_dict(self, whole: "Tally") -> dict[str, Any]:
        share = self.share(whole)
        return {"cases": self.cases, "share": None if share is None else float(share),
                "status": str(self.status)}


def case_fact_predicates() -> list[tuple[str, int]]:
    """The signatures of the case facts: the atoms a count is over (readings are fixed, not counted)."""
    names = dict.fromkeys(item.predicate for _, item in fact_fields())
    return [(name, fact_arity(name)) for name in names]


@dataclass(frozen=True)
class Bound:
    """What the counts are counts of: the bounded case space, stated in full.

    ``vocabulary`` fingerprints the case facts a case may state (a hash of the possible facts
    of the case and of one request), so two counts can be seen to be over the same space;
    ``facts_per_case`` and ``facts_per_request`` are their numbers.  ``cases`` is the size of
    the whole space, counted.
    """

    requests: int
    vocabulary: str
    facts_per_case: int
    facts_per_request: int
    reading: str
    switches: tuple[tuple[str, str], ...]
    dropped: tuple[str, ...]
    cases: Tally

    def to_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "vocabulary": self.vocabulary,
                "facts_per_case": self.facts_per_case, "facts_per_request": self.facts_per_request,
                "reading": self.reading, "switches": dict(self.switches), "dropped": list(self.dropped),
                "cases": self.cases.cases, "status": str(self.cases.status)}


@dataclass(frozen=True)
class CountRow:
    """The cases in which something holds of one action: a conflict (``statuses`` None), the
    two statuses of a comparison, or (``statuses`` None in a comparison) any two different ones."""

    action: str
    statuses: tuple[str, str] | None
    tally: Tally


@dataclass(frozen=True)
class Counts:
    """Exact counts over the bounded case space: the cases with any conflict (difference), and
    per action (and per pair of statuses).  ``kind`` is ``conflicts`` or ``differences``;
    ``ordinances``: (local, federal) or (first, second)."""

    kind: str
    ordinances: tuple[str, str]
    bound: Bound
    any: Tally
    rows: tuple[CountRow, ...]
    timeout: float

    @property
    def complete(self) -> bool:
        return all(t.cases is not None for t in (self.bound.cases, self.any, *(r.tally for r in self.rows)))

    def to_dict(self) -> dict[str, Any]:
        whole = self.bound.cases
        rows = []
        for row in self.rows:
            entry: dict[str, Any] = {"action": row.action}
            if self.kind == "differences":
                entry["statuses"] = None if row.statuses is None else {
                    self.ordinances[0]: row.statuses[0], self.ordinances[1]: row.statuses[1]}
            rows.append({**entry, **row.tally.to_dict(whole)})
        return {"kind": self.kind, "ordinances": list(self.ordinances), "bound": self.bound.to_dict(),
                "any": self.any.to_dict(whole), "by_action": rows, "timeout_seconds": self.timeout,
                "method": COUNTER_METHOD}


@dataclass(frozen=True)
class Question:
    """A counting question: the rule base (restricted, sections dropped), the encoding and its
    constants, and the readings held in every case."""

    rule_base: RuleBase
    encoding: str
    constants: dict[str, str | int]
    readings: dict[str, str]


@dataclass
class GroundQuestion:
    """A question grounded: the ground program clingo would solve, its case-fact atoms (by
    program atom), and every atom's symbol."""

    program: CapturedProgram
    inputs: dict[int, clingo.Symbol]
    symbols: dict[int, clingo.Symbol]
    atoms: dict[clingo.Symbol, int]

    def of(self, predicate_name: str, arity: int) -> list[clingo.Symbol]:
        """The ground atoms of a predicate (the candidates a count is asked about), sorted."""
        return sorted(s for s in self.atoms if s.type == clingo.SymbolType.Function
                      and s.name == predicate_name and len(s.arguments) == arity)


def ground_question(question: Question) -> GroundQuestion:
    """Ground the rule base with the case space and the question's encoding, capturing the ground
    program (the observer is registered before any rule, readings included, reaches clasp)."""
    arguments = ["--warn=none"]
    for name, value in question.constants.items():
        arguments += ["-c", f"{name}={value}"]
    control = question.rule_base.control((), arguments)
    program = CapturedProgram()
    control.register_observer(program)
    with control.backend() as backend:
        for fact in reading_facts(question.readings):
            backend.add_rule([backend.add_atom(fact)])
    with ast.ProgramBuilder(control) as builder:
        for name in (CASE_SPACE, question.encoding):
            ast.parse_files([str(analysis_file(name))], builder.add)
    control.ground([("base", [])])
    symbolic = control.symbolic_atoms
    inputs = {atom.literal: atom.symbol for name, arity in case_fact_predicates()
              for atom in symbolic.by_signature(name, arity)}
    atoms = {atom.symbol: atom.literal for atom in symbolic}
    return GroundQuestion(program, inputs, {literal: symbol for symbol, literal in atoms.items()}, atoms)


def formula_of(formula: Formula, ground: GroundQuestion) -> dict[int, int]:
    """Add a grounded question to ``formula``: the literal of each program atom (`Formula.add_program`),
    or an error saying why the rules cannot be counted exactly."""
    try:
        return formula.add_program(ground.program, ground.inputs, ground.symbols)
    except NotCountable as why:
        raise EngineError(f"--count/--rank: {why}, so the engine cannot count the cases exactly (its "
                          "translation is exact only for rules that ground to a stratified, tight normal "
                          "program). Fix: search without --count and --rank, or write the rules without "
                          "what is named.") from None


def vocabulary_of(ground: GroundQuestion) -> tuple[str, int, int]:
    """The fingerprint of the possible case facts (those of the case and of request 1) and their numbers."""
    case_level = sorted(str(s) for s in ground.inputs.values() if len(s.arguments) == 1)
    first_request = sorted(str(s) for s in ground.inputs.values()
                           if len(s.arguments) == 2 and s.arguments[0] == clingo.Number(1))
    digest = hashlib.sha256("\n".join([*case_level, "", *first_request]).encode()).hexdigest()[:12]
    return digest, len(case_level), len(first_request)


def conflict_question(rule_base: RuleBase, local: str, against: str, *, reading: str,
                      drops: Sequence[Drop], requests: int, switches: Mapping[str, str]) -> Question:
    """The question of `count_conflicts`, with ``drops`` applied (also what `--rank` drops more from)."""
    catalog = rule_base.catalog
    if not catalog.ordinances[against].federal:
        raise EngineError(f"--against: '{against}' is not federal law. Fix: use one of: "
                          f"{', '.join(o.id for o in catalog.ordinances.values() if o.federal)}.")
    keep = {catalog.ordinances[local].constant, catalog.ordinances[against].constant}
    return Question(restrict(rule_base, keep, drops), "conflict_1373.lp", {
        "local": catalog.ordinances[local].constant, "federal_law": catalog.ordinances[against].constant,
        "requests": requests}, {**switches, "usc_1373": reading})


def difference_question(rule_base: RuleBase, first: str, second: str, *, reading: str,
                        drops: Sequence[Drop], requests: int, switches: Mapping[str, str]) -> Question:
    """The question of `count_differences`, with ``drops`` applied."""
    catalog = rule_base.catalog
    constants: dict[str, str | int] = {"first": catalog.ordinances[first].constant,
                                       "second": catalog.ordinances[second].constant, "requests": requests}
    return Question(restrict(rule_base, {str(constants["first"]), str(constants["second"])}, drops),
                    "comparison.lp", constants, {**switches, "usc_1373": reading})


#: The goals of a question: from the grounded question, the literals of its atoms and the formula (to
#: join literals), the literal of "some conflict (difference)" and a row per (action, statuses).
Goals = Callable[[GroundQuestion, dict[int, int], Formula],
                 tuple[int, list[tuple[str, "tuple[str, str] | None", int]]]]


def _count(question: Question, goal_of: Goals, *, kind: str, ordinances: tuple[str, str], dropped: tuple[str, ...],
           timeout: float, requests: int, reading: str, switches: Mapping[str, str]) -> Counts:
    """Ground and translate the question, then count the whole space, the cases with any finding
    and each row `goal_of(ground, literals, formula)` names (a list of (action, statuses, literal))."""
    require_counter()
    ground = ground_question(question)
    formula = Formula()
    literals = formula_of(formula, ground)
    any_literal, rows = goal_of(ground, literals, formula)
    fingerprint, per_case, per_request = vocabulary_of(ground)
    known: dict[int, Tally] = {}  # by literal: an action with one pair of statuses is that pair

    def cases_with(literal: int) -> Tally:
        if literal not in known:
            known[literal] = count_where(counter, formula, (literal,), timeout)
        return known[literal]

    with ModelCounter() as counter:
        whole = count_where(counter, formula, (), timeout)
        found = cases_with(any_literal)
        counted = tuple(CountRow(action, statuses, cases_with(literal)) for action, statuses, literal in rows)
    bound = Bound(requests, fingerprint, per_case, per_request, reading, tuple(sorted(switches.items())),
                  dropped, whole)
    return Counts(kind, ordinances, bound, found, counted, timeout)


def count_where(counter: ModelCounter, formula: Formula, literals: Sequence[int], timeout: float) -> Tally:
    """The cases in which every literal holds (0 at once if one is `FALSE`: no rule derives it)."""
    if FALSE in literals:
        return Tally(0)
    question = formula.clauses_for(literals)
    cases = counter.count(question.clauses, question.variables, timeout)
    return Tally(None if cases is None else cases << question.free)


def checked_switches(rule_base: RuleBase, switches: Mapping[str, str] | None) -> dict[str, str]:
    """The interpretive switches other than § 1373's reading (which ``reading`` gives), checked."""
    return check_readings(rule_base, {k: v for k, v in (switches or {}).items() if k != "usc_1373"})


def dropped_labels(rule_base: RuleBase, drops: Sequence[Drop]) -> tuple[str, ...]:
    """The dropped sections as the output names them (``beacon:3(a)(i)``)."""
    return tuple(f"{rule_base.catalog.ordinance_by_constant(d.ordinance).id}:{d.label()}" for d in drops)


def count_conflicts(rule_base: RuleBase, ordinance: str, *, against: str = "usc-1373", reading: str = "narrow",
                    drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT,
                    requests: int = DEFAULT_REQUESTS, switches: Mapping[str, str] | None = None) -> Counts:
    """In how many cases of the bounded case space ``ordinance`` conflicts with ``against``, per action.

    The same conflict as `engine.analysis.check.check` finds (conflict_1373.lp): the ordinance
    forbids (or restricts) an act federal law protects.  ``timeout`` bounds each count; a count
    not finished is ``None``, never a partial number.  Options as for `check`.
    """
    known_ordinance(rule_base, ordinance)
    known_ordinance(rule_base, against, "federal law")
    check_limits(timeout, requests)
    switches = checked_switches(rule_base, switches)
    question = conflict_question(rule_base, ordinance, against, reading=reading, drops=drops,
                                 requests=requests, switches=switches)

    def goals(ground: GroundQuestion, literals: dict[int, int],
              formula: Formula) -> tuple[int, list[tuple[str, tuple[str, str] | None, int]]]:
        any_literal = literal_of(ground, literals, clingo.Function(CONFLICT_FOUND.name))
        rows = [(str(FEDERAL_CONFLICT.argument(atom, "action")), None, literal_of(ground, literals, atom))
                for atom in ground.of(FEDERAL_CONFLICT.name, FEDERAL_CONFLICT.arity)]
        return any_literal, rows

    return _count(question, goals, kind="conflicts", ordinances=(ordinance, against),
                  dropped=dropped_labels(rule_base, drops), timeout=timeout, requests=requests,
                  reading=reading, switches=switches)


def count_differences(rule_base: RuleBase, first: str, second: str, *, reading: str = "narrow",
                      drops: Sequence[Drop] = (), timeout: float = DEFAULT_TIMEOUT,
                      requests: int = DEFAULT_REQUESTS, switches: Mapping[str, str] | None = None) -> Counts:
    """In how many cases of the bounded case space ``first`` and ``second`` give an action different
    statuses: per action, and per action and pair of statuses (comparison.lp, as `compare` searches).

    Options as for `engine.analysis.comparison.compare`; ``timeout`` bounds each count.
    """
    known_pair(rule_base, first, second)
    check_limits(timeout, requests)
    switches = checked_switches(rule_base, switches)
    question = difference_question(rule_base, first, second, reading=reading, drops=drops,
                                   requests=requests, switches=switches)

    def goals(ground: GroundQuestion, literals: dict[int, int],
              formula: Formula) -> tuple[int, list[tuple[str, tuple[str, str] | None, int]]]:
        by_action: dict[str, list[tuple[tuple[str, str], int]]] = {}
        for atom in ground.of(DIFFERS.name, DIFFERS.arity):
            action = str(DIFFERS.argument(atom, "action"))
            statuses = (str(DIFFERS.argument(atom, "first_status")), str(DIFFERS.argument(atom, "second_status")))
            by_action.setdefault(action, []).append((statuses, literal_of(ground, literals, atom)))
        rows: list[tuple[str, tuple[str, str] | None, int]] = []
        for action, pairs in by_action.items():
            rows.append((action, None, formula.disjunction(literal for _, literal in pairs)))
            rows += [(action, statuses, literal) for statuses, literal in pairs]
        return literal_of(ground, literals, clingo.Function(DIFFER_FOUND)), rows

    return _count(question, goals, kind="differences", ordinances=(first, second),
                  dropped=dropped_labels(rule_base, drops), timeout=timeout, requests=requests,
                  reading=reading, switches=switches)


def literal_of(ground: GroundQuestion, literals: Mapping[int, int], symbol: clingo.Symbol) -> int:
    """The formula's literal of a ground atom; FALSE if the grounder dropped it (no case derives it)."""
    atom = ground.atoms.get(symbol)
    return FALSE if atom is None else literals.get(atom, FALSE)
