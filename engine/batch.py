"""Deciding many cases from one grounding: the pure chunk function behind `ordinance batch`.

`engine.solve.decide` builds a solver per case; at batch scale that costs
milliseconds a case (PERFORMANCE.md §2 (a)).  Here the rule base is grounded
once per process with every case fact a case can state declared ``#external``
(PERFORMANCE.md §7, multi-shot), and each case only switches the externals it
changes before one ``solve()``.  The program is stratified, so with the
externals fixed the answer set is unique and equal to the one `decide` finds
with the same atoms as facts (tests/test_batch.py checks this on generated cases).

Requests are numbered (``request(Q, K)``), so the externals are declared for
request slots 1..K; a solver is grounded per K actually seen, lazily, and kept.
Readings are batch-wide and enter as facts.  With ``explain`` the traced
program of `engine.trace` is grounded instead, so derivations come from the
same solve as the statuses.

`decide_chunk` depends only on its arguments (solvers are a per-process cache),
so it runs unchanged in a `multiprocessing` worker or a Dask task.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import clingo
from clingo import ast

from engine.cases import Case, parse_case
from engine.catalog import section_sort_key
from engine.errors import CaseError, EngineError
from engine.facts import case_facts, reading_facts
from engine.program import RuleBase
from engine.trace import FIRED, Firing, TracedProgram, traced_program

__all__ = ["BatchOptions", "CaseInput", "SharedResult", "decide_chunk", "decide_one", "derivation_step",
           "external_declarations"]

#: Case predicates of arity 1 and the `domain/2` field of their values.
_PLAIN_FACTS = ("agency", "person", "role", "conviction", "determination")
#: Request predicates (first argument: the request number) and their `domain/2` field.
_REQUEST_FACTS = {"request": "request_kind", "request_from": "request_from",
                  "request_has": "request_has", "request_info": "request_info",
                  "request_purpose": "request_purpose", "request_topic": "request_topic"}
_SHOWN = ("status", "decided_by", "excepted_by", "tension")


@dataclass(frozen=True)
class BatchOptions:
    """What every case of a batch is decided under (picklable, hashable)."""

    ordinances: tuple[str, ...] | None = None
    readings: tuple[tuple[str, str], ...] = ()
    explain: bool = False
    include_silent: bool = False
    time_limit: float | None = None


@dataclass(frozen=True)
class CaseInput:
    """One case as read, not yet validated: where it is, its default id, its data.

    ``error`` is set when the reader could not even read the case (e.g. a JSON
    Lines line that is not JSON); the case then becomes an error row.
    """

    where: str
    default_id: str
    data: Any
    error: str | None = None


def external_declarations(request_slots: int) -> str:
    """The ``#external`` statements for every case fact a validated case can produce.

    Values come from the vocabulary's ``domain/2`` facts (the same ones case
    validation uses), so a value added there is covered at once.
    """
    lines = [f"_batch_slot(1..{request_slots})."] if request_slots else []
    lines += [f"#external {name}(X) : domain({name}, X)." for name in _PLAIN_FACTS]
    if request_slots:
        lines += [f"#external {name}(Q, X) : _batch_slot(Q), domain({field}, X)."
                  for name, field in _REQUEST_FACTS.items()]
    return "\n".join(lines)


class _Watchdog:
    """Interrupts a solve that runs past its deadline, from a daemon thread.

    A per-case ``solve(async_=True)`` doubled the cost of a case (measured); a
    thread that wakes a few times per limit and interrupts an overdue solve
    costs one clock read per case.
    """

    def __init__(self, control: clingo.Control) -> None:
        self.control = control
        self.deadline: float | None = None
        self.poll = 0.5
        self.thread: threading.Thread | None = None

    def arm(self, limit: float | None) -> None:
        """Start watching a solve that may take ``limit`` seconds (None: stop watching)."""
        if limit is None:
            self.deadline = None
            return
        self.poll = min(self.poll, max(limit / 10, 0.001))
        self.deadline = time.monotonic() + limit
        if self.thread is None:
            self.thread = threading.Thread(target=self._watch, daemon=True)
            self.thread.start()

    def _watch(self) -> None:
        while True:
            time.sleep(self.poll)
            deadline = self.deadline
            if deadline is not None and time.monotonic() > deadline:
                self.control.interrupt()


class _Solver:
    """One grounded rule base for cases with a given number of requests."""

    def __init__(self, statements: Sequence[ast.AST], readings: dict[str, str],
                 request_slots: int) -> None:
        self.control = clingo.Control(["--warn=none"])
        with ast.ProgramBuilder(self.control) as builder:
            for statement in statements:
                builder.add(statement)
            ast.parse_string(external_declarations(request_slots), builder.add)
        with self.control.backend() as backend:
            for fact in reading_facts(readings):
                backend.add_rule([backend.add_atom(fact)])
        self.control.ground([("base", [])])
        self.literals = {atom.symbol: atom.literal
                         for atom in self.control.symbolic_atoms if atom.is_external}
        self.true: set[int] = set()
        self.watchdog = _Watchdog(self.control)

    def solve(self, facts: Iterable[clingo.Symbol], time_limit: float | None) -> list[clingo.Symbol] | None:
        """The shown atoms for a case whose facts are these; None if over the time limit."""
        wanted = set()
        for fact in facts:
            literal = self.literals.get(fact)
            if literal is None:
                raise EngineError(f"the case fact {fact} has no #external declaration. Fix: "
                                  "declare it in engine/batch.py external_declarations.")
            wanted.add(literal)
        assign = self.control.assign_external
        for literal in self.true - wanted:
            assign(literal, False)
        for literal in wanted - self.true:
            assign(literal, True)
        self.true = wanted
        shown: list[clingo.Symbol] = []
        while True:
            shown.clear()
            started = time.monotonic()
            self.watchdog.arm(time_limit)
            result = self.control.solve(on_model=lambda model: shown.extend(model.symbols(shown=True)))
            self.watchdog.arm(None)
            if not result.interrupted:
                break
            if time_limit is not None and time.monotonic() - started >= time_limit:
                return None
            # an interrupt meant for the previous case arrived late: solve again
        if not result.satisfiable:
            raise EngineError("the rules have no answer for this case (unsatisfiable). Fix: check "
                              "rules added with --rules for integrity constraints (':- ...').")
        return shown


_SOLVERS: dict[tuple, _Solver] = {}


class SharedResult(dict):
    """A result object shared by every case with the same shown atoms for a pair.

    Many cases repeat the same outcome for a pair, so the object (and its encoded
    text, kept in ``encoded`` by the writers) is built once per process.
    """

    __slots__ = ("encoded",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded: dict[str, str] = {}


@dataclass(frozen=True)
class _Atom:
    """A decoded shown atom: its pair (ordinance constant, action), kind and value."""

    pair: tuple[str, str]
    kind: str
    value: str


@dataclass(frozen=True)
class _Fired:
    """A decoded `_fired` atom: the head it derives, its positive body, its JSON form."""

    head: int
    positive: tuple[int, ...]
    data: dict[str, Any]


# Decoding caches, keyed by the symbol's interned value (`Symbol._rep`, an int): clingo
# interns symbols, so equal symbols have equal values, and an int key avoids the
# Python-level `Symbol.__hash__`/`__eq__` that dominate decoding (PERFORMANCE.md §3).
_ATOMS: dict[int, _Atom] = {}
_FIRINGS: dict[int, _Fired] = {}
_RESULTS: dict[tuple, SharedResult] = {}


def _solver(rule_base: RuleBase, options: BatchOptions, request_slots: int) -> _Solver:
    key = (id(rule_base), options.readings, options.explain, request_slots)
    cached = _SOLVERS.get(key)
    if cached is None:
        statements = traced_program(rule_base).statements if options.explain else rule_base.statements
        cached = _SOLVERS[key] = _Solver(statements, dict(options.readings), request_slots)
    return cached


def _decode_atom(symbol: clingo.Symbol) -> _Atom:
    ordinance, action, value = (a.string if a.type == clingo.SymbolType.String else str(a)
                                for a in symbol.arguments)
    return _Atom((ordinance, action), symbol.name, value)


def _decode_firing(symbol: clingo.Symbol, traced: TracedProgram) -> _Fired:
    rule, head, positive, negative = symbol.arguments
    firing = Firing(rule.number, head, tuple(positive.arguments), tuple(negative.arguments))
    return _Fired(head._rep, tuple(a._rep for a in firing.positive),
                  derivation_step(firing, traced))


def derivation_step(firing: Firing, traced: TracedProgram) -> dict[str, Any]:
    """One supporting rule instance as JSON: the rule (file:line), the ground head,
    the positive body atoms and the default-negated atoms (``_any``: any value).

    The one place the batch derivation format is defined (docs/batch.md).
    """
    return {"rule": traced.rules[firing.rule].where, "head": str(firing.head),
            "positive": [str(a) for a in firing.positive],
            "negative": [str(a) for a in firing.negative]}


def _result(public_id: str, action: str, reps: tuple[int, ...]) -> SharedResult:
    """The result object for a pair from its shown atoms (built once per distinct input)."""
    key = (public_id, action, reps)
    result = _RESULTS.get(key)
    if result is None:
        found: dict[str, set[str]] = {"decided_by": set(), "excepted_by": set(), "tension": set()}
        status = "silent"
        for rep in reps:
            atom = _ATOMS[rep]
            if atom.kind == "status":
                status = atom.value
            else:
                found[atom.kind].add(atom.value)
        result = _RESULTS[key] = SharedResult(
            ordinance=public_id, action=action, status=status,
            sections=sorted(found["decided_by"], key=section_sort_key),
            exceptions=sorted(found["excepted_by"], key=section_sort_key),
            tensions=sorted(found["tension"], key=section_sort_key))
    return result


def _support(roots: list[int], by_head: dict[int, list[_Fired]], index: dict[int, int],
             steps: list[dict[str, Any]]) -> list[int]:
    """Indices (into the row's ``firings``) of the instances the roots rest on, breadth
    first as in `engine.trace.support`; new instances are appended to ``steps``."""
    used: list[int] = []
    seen = set(roots)
    queue = list(roots)
    for atom in queue:
        for firing in by_head.get(atom, ()):
            key = id(firing)
            if key not in index:
                index[key] = len(steps)
                steps.append(firing.data)
            used.append(index[key])
            for body_atom in firing.positive:
                if body_atom not in seen:
                    seen.add(body_atom)
                    queue.append(body_atom)
    return used


def _row(case: Case, rule_base: RuleBase, options: BatchOptions,
         shown: list[clingo.Symbol]) -> dict[str, Any]:
    catalog = rule_base.catalog
    by_pair: dict[tuple[str, str], list[int]] = {}
    by_head: dict[int, list[_Fired]] = {}
    traced = traced_program(rule_base) if options.explain else None
    for symbol in shown:
        rep = symbol._rep
        atom = _ATOMS.get(rep)
        if atom is None:
            if symbol.name == FIRED:
                firing = _FIRINGS.get(rep)
                if firing is None:
                    firing = _FIRINGS[rep] = _decode_firing(symbol, traced)
                by_head.setdefault(firing.head, []).append(firing)
                continue
            atom = _ATOMS[rep] = _decode_atom(symbol)
        by_pair.setdefault(atom.pair, []).append(rep)
    results: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    index: dict[int, int] = {}
    for public_id in options.ordinances or case.ordinances or catalog.local_ids():
        constant = catalog.ordinances[public_id].constant
        for action in case.actions or catalog.actions:
            reps = by_pair.get((constant, action))
            if reps is None and not options.include_silent:
                continue
            reps = tuple(reps or ())
            result = _result(public_id, action, reps)
            if traced is not None:
                result = {**result, "derivation": _support(list(reps), by_head, index, steps)}
            results.append(result)
    row: dict[str, Any] = {"case": case.id, "results": results}
    if traced is not None:
        row["firings"] = steps
    return row


def _error_row(case_id: str, where: str, field: str, message: str) -> dict[str, Any]:
    return {"case": case_id, "error": {"where": where, "field": field, "message": message}}


def decide_one(item: CaseInput, rule_base: RuleBase, options: BatchOptions) -> dict[str, Any]:
    """The row of one case: its results, or an error naming the case and the field."""
    if item.error is not None:
        return _error_row(item.default_id, item.where, "", item.error)
    try:
        case = parse_case(item.data, rule_base.catalog, item.where, item.default_id)
    except CaseError as error:
        case_id = item.data.get("id", item.default_id) if isinstance(item.data, dict) else item.default_id
        return _error_row(str(case_id), error.where, error.field, str(error))
    shown = _solver(rule_base, options, len(case.requests)).solve(case_facts(case), options.time_limit)
    if shown is None:
        return _error_row(case.id, item.where, "", f"{item.where}: the case took longer than the "
                          f"time limit of {options.time_limit} s. Fix: raise --time-limit.")
    return _row(case, rule_base, options, shown)


def decide_chunk(items: Sequence[CaseInput], rule_base: RuleBase,
                 options: BatchOptions = BatchOptions()) -> list[dict[str, Any]]:
    """One row per case, in input order: ``{"case", "results"}`` or ``{"case", "error"}``.

    ``results`` has the shape of `Decision.to_dict` (``ordinance decide
    --format json``), minus silent pairs unless ``options.include_silent``;
    with ``options.explain`` each result also carries its ``derivation``.
    A pure function of its arguments: grounded solvers are cached per process.
    """
    for public_id in options.ordinances or ():
        if public_id not in rule_base.catalog.ordinances:
            raise EngineError(f"unknown ordinance '{public_id}'. Fix: use one of: "
                              f"{', '.join(rule_base.catalog.ordinances)} (`ordinance list`).")
    return [decide_one(item, rule_base, options) for item in items]
