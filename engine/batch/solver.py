"""Deciding many cases from one grounding: the pure chunk function behind `ordinance batch`.

`engine.core.solve.decide` builds a solver per case; at batch scale that costs
milliseconds a case (PERFORMANCE.md §2 (a)).  Here the rule base is grounded
once per process with every case fact a case can state left open (a choice),
and each case is one ``solve()`` under assumptions fixing all of them
(PERFORMANCE.md §7, multi-shot).  The program is stratified, so with the inputs
fixed the answer set is unique and equal to the one `decide` finds with the
same atoms as facts (tests/batch/test_batch.py checks this on generated cases).

Requests are numbered (``request(Q, K)``), so the inputs are opened for
request slots 1..K; a solver is grounded per K actually seen, lazily, and kept.
Readings are batch-wide and enter as facts.  With ``explain`` the traced
program of `engine.explain.trace` is grounded instead, so derivations come from the
same solve as the statuses.

`decide_chunk` depends only on its arguments (solvers are a per-process cache,
kept per rule base while it lives), so it runs unchanged in a `multiprocessing`
worker or a Dask task.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Generic, Hashable, Iterable, Sequence, TypeVar

import clingo
from clingo import ast

from engine.batch.case_argument import case_dependent
from engine.core.cases import Case, parse_case
from engine.core.catalog import symbol_text
from engine.core.errors import CaseError, EngineError
from engine.core.facts import reading_facts, symbol_fact
from engine.core.rulebase import RuleBase, load_rule_base, solver
from engine.core.identity_cache import by_identity
from engine.core.results import Status, result_from_values
from engine.core.asp_blocks import open_case_facts
from engine.core.vocabulary import SHOWN_RESULTS, STATUS, Predicate, fact_fields
from engine.explain.trace import FIRED, Firing, TracedProgram, traced_program
from engine.explain.trace import firing as recorded_firing

__all__ = ["BatchOptions", "CaseInput", "Shared", "Explained", "decide_chunk", "decide_one", "decide_partition", "forget_solvers", "derivation_step", "expand_derivation",
           "symbol_keys"]

#: The shown predicates a result is read from, by name.
_RESULTS: dict[str, Predicate] = {p.name: p for p in SHOWN_RESULTS}


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


def symbol_keys(symbols: Sequence[clingo.Symbol], internals: bool = True) -> list[Hashable]:
    """A key per symbol, equal exactly when the symbols are: what decoding caches are keyed by.

    The one use of clingo's private internals.  clingo interns symbols, so the
    interned value (an int: ``Symbol._rep``, and the array ``_p_symbols`` behind the
    sequence ``Model.symbols`` returns) is such a key; reading it skips building a
    `Symbol` per shown atom and its Python-level ``__hash__``/``__eq__``, which cost
    more than the solve (profiled, PERFORMANCE.md §3).  Where clingo does not have
    them (or with ``internals=False``) the symbols themselves are the keys, through
    the public API only: slower, the same rows.  An int never equals a `Symbol`, so
    caches filled through one branch are never misread through the other.
    """
    if internals and "_rep" in getattr(clingo.Symbol, "__slots__", ()):
        raw = getattr(symbols, "_p_symbols", None)
        return list(raw) if raw is not None else [symbol._rep for symbol in symbols]
    return list(symbols)


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
    """One grounded rule base for cases with a given number of requests.

    The case inputs are open choices, and every solve assumes each of them true
    or false: stateless between cases, so a case's answer cannot depend on the
    one before (PERFORMANCE.md §7 measured this form as fast as ``#external``
    for its program; for this rule base it was ~1.5x faster, since
    ``assign_external`` cost ~10 µs a call here).
    """

    def __init__(self, statements: Sequence[ast.AST], readings: dict[str, str],
                 request_slots: int) -> None:
        inputs: list[ast.AST] = []
        ast.parse_string(open_case_facts(request_slots), inputs.append)
        self.control = solver([*statements, *inputs], reading_facts(readings))
        self.control.ground([("base", [])])
        names = {item.predicate for _, item in fact_fields()}
        inputs = sorted((atom.literal, symbol_fact(atom.symbol)) for atom in self.control.symbolic_atoms
                        if atom.symbol.name in names and atom.symbol.type == clingo.SymbolType.Function)
        self.position = {key: index for index, (_, key) in enumerate(inputs)}
        self.literals = [literal for literal, _ in inputs]
        self.all_false = [-literal for literal in self.literals]
        self.watchdog = _Watchdog(self.control)

    def solve(self, keys: Iterable[tuple[str | int, ...]],
              time_limit: float | None) -> Sequence[clingo.Symbol] | None:
        """The shown atoms of the answer for a case with these facts; None if over the time limit.

        The sequence is `Model.symbols`' own, not a list of `Symbol` objects: building
        those costs more than the solve (see `symbol_keys`).
        """
        assumptions = self.all_false.copy()
        for key in keys:
            index = self.position.get(key)
            if index is None:
                raise EngineError(f"the case fact {key} is not a solver input. Fix: declare it "
                                  "in engine/core/asp_blocks.py open_case_facts.")
            assumptions[index] = self.literals[index]
        shown: list[Sequence[clingo.Symbol]] = []  # the one model (the program is stratified)
        while True:
            started = time.monotonic()
            self.watchdog.arm(time_limit)
            result = self.control.solve(assumptions=assumptions,
                                        on_model=lambda model: shown.append(model.symbols(shown=True)))
            self.watchdog.arm(None)
            if not result.interrupted:
                break
            if time_limit is not None and time.monotonic() - started >= time_limit:
                return None
            shown.clear()  # an interrupt meant for the previous case arrived late: solve again
        if not result.satisfiable:
            raise EngineError("the rules have no answer for this case (unsatisfiable). Fix: check "
                              "rules added with --rules for integrity constraints (':- ...').")
        return shown[0]


class Shared(dict):
    """A JSON object shared by every case that has it: a result for a pair with the
    same shown atoms, or one supporting rule instance.

    Many cases repeat these, so the object (and its encoded text, kept in
    ``encoded`` by the writers) is built once per process.
    """

    __slots__ = ("encoded",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded: dict[str, str] = {}


class Explained(dict):
    """A result with its ``derivation`` (indices into the row's ``firings``);
    ``base`` is the shared result it extends."""

    __slots__ = ("base",)

    def __init__(self, base: Shared, derivation: list[int]) -> None:
        super().__init__(base, derivation=derivation)
        self.base = base


@dataclass(frozen=True)
class _Atom:
    """A decoded shown atom: its pair (ordinance constant, action), predicate name and the
    rest of its arguments (a status, a section; for an item, the request and info too)."""

    pair: tuple[str, str]
    kind: str
    value: tuple[str, ...]


@dataclass(frozen=True)
class _Fired:
    """A decoded `_fired` atom: the head it derives, its positive body, its JSON form."""

    head: Hashable
    positive: tuple[Hashable, ...]
    data: dict[str, Any]


Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class _Bounded(dict, Generic[Key, Value]):
    """A cache that is emptied when full, between cases (`trim`): memory stays bounded in a
    long batch, and a hit costs a plain dict lookup (an LRU's bookkeeping on every hit would
    not pay here, where a full cache means an unusually varied input, not a hot set to keep).
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def trim(self) -> None:
        """Empty the cache if it is full; never while a case's entries are in use."""
        if len(self) >= self.limit:
            self.clear()


#: At most this many grounded solvers per rule base: one per (readings, explain,
#: request slots) seen, and a batch has one readings and explain and few request counts.
MAX_SOLVERS = 16
#: Decoded shown atoms and `_fired` atoms per rule base; a grounding has a few thousand.
MAX_DECODED = 200_000
#: Shared result objects per rule base: one per distinct outcome of a pair.
MAX_RESULTS = 100_000


@dataclass(frozen=True)
class _Grounded:
    """What a process keeps for one rule base: its grounded solvers and decoding caches.

    Decoding caches are keyed by `symbol_keys` (clingo's interned values where it
    has them: equal symbols, equal keys, hashed as ints).  Firings are decoded
    against the rule base's traced program, so they are kept per rule base too.
    """

    solvers: _Bounded[tuple[tuple[tuple[str, str], ...], bool, int], _Solver] = \
        field(default_factory=lambda: _Bounded(MAX_SOLVERS))
    atoms: _Bounded[Hashable, _Atom] = field(default_factory=lambda: _Bounded(MAX_DECODED))
    firings: _Bounded[Hashable, _Fired] = field(default_factory=lambda: _Bounded(MAX_DECODED))
    results: _Bounded[tuple[str, str, tuple[Hashable, ...]], Shared] = \
        field(default_factory=lambda: _Bounded(MAX_RESULTS))

    def trim(self) -> None:
        """Bound the decoding caches; called before a case, as its row reads them back."""
        self.atoms.trim()
        self.firings.trim()
        self.results.trim()


@by_identity
def _grounded(rule_base: RuleBase) -> _Grounded:
    """The solvers and caches for a rule base, dropped with it (held weakly by `by_identity`)."""
    return _Grounded()


def _traced_head(statement: ast.AST) -> ast.AST | None:
    """The traced head of a `_fired` companion rule; None for any other statement."""
    if statement.ast_type != ast.ASTType.Rule or statement.head.ast_type != ast.ASTType.Literal:
        return None
    symbol = statement.head.atom.symbol
    if symbol.ast_type != ast.ASTType.Function or symbol.name != FIRED:
        return None
    return symbol.arguments[1]


@by_identity
def explained_statements(rule_base: RuleBase) -> list[ast.AST]:
    """The traced program keeping only the companions a case can make differ:
    rules whose head depends on a case fact, except ``status(O, A, silent)``.

    The others fire identically for every case (vocabulary and declarations,
    ~220 of ~1,000 firings a case) or derive the silent status, which has no
    derivation to report; dropping them keeps the trace to what a reader needs.
    A derivation treats their heads as given, like the case's facts.
    """
    dependent = case_dependent(rule_base.statements)
    kept = []
    for statement in traced_program(rule_base).statements:
        head = _traced_head(statement)
        if head is not None:
            if head.ast_type != ast.ASTType.Function or (head.name, len(head.arguments)) not in dependent:
                continue
            if head.name == STATUS.name and len(head.arguments) == STATUS.arity \
                    and str(head.arguments[STATUS.position("status")]) == Status.SILENT:
                continue
        kept.append(statement)
    return kept


def forget_solvers() -> None:
    """Drop the grounded solvers and decoding caches, e.g. in a forked worker: a solver's
    watchdog thread does not survive ``fork``, so a worker grounds its own (a few ms each)."""
    _grounded.cache_clear()


def _solver(rule_base: RuleBase, options: BatchOptions, request_slots: int) -> _Solver:
    solvers = _grounded(rule_base).solvers
    key = (options.readings, options.explain, request_slots)
    found = solvers.get(key)
    if found is None:
        statements = explained_statements(rule_base) if options.explain else rule_base.statements
        solvers.trim()
        found = solvers[key] = _Solver(statements, dict(options.readings), request_slots)
    return found


def _decode_atom(symbol: clingo.Symbol) -> _Atom:
    predicate = _RESULTS[symbol.name]
    return _Atom((symbol_text(predicate.argument(symbol, "ordinance")),
                  symbol_text(predicate.argument(symbol, "action"))),
                 symbol.name, tuple(symbol_text(a) for role, a in zip(predicate.roles, symbol.arguments)
                                    if role not in ("ordinance", "action")))


def _decode_firing(symbol: clingo.Symbol, traced: TracedProgram) -> _Fired:
    firing = recorded_firing(symbol)
    head, *positive = symbol_keys([firing.head, *firing.positive])
    return _Fired(head, tuple(positive), derivation_step(firing, traced))


def derivation_step(firing: Firing, traced: TracedProgram) -> dict[str, Any]:
    """One supporting rule instance as JSON: the rule (file:line), the ground head,
    the positive body atoms and the default-negated atoms (``_any``: any value).

    The one place the batch derivation format is defined (docs/batch.md).
    """
    return Shared(rule=traced.rules[firing.rule].where, head=str(firing.head),
                  positive=[str(a) for a in firing.positive],
                  negative=[str(a) for a in firing.negative])


def _result(grounded: _Grounded, public_id: str, action: str, keys: tuple[Hashable, ...]) -> Shared:
    """The result object for a pair from its shown atoms (built once per distinct input)."""
    cache_key = (public_id, action, keys)
    result = grounded.results.get(cache_key)
    if result is None:
        values = [(grounded.atoms[key].kind, grounded.atoms[key].value) for key in keys]
        result = grounded.results[cache_key] = Shared(
            result_from_values(public_id, action, values).to_dict())
    return result


class _Derivations:
    """The rule instances behind a case's results, numbered once per row.

    A result's ``derivation`` lists the instances deriving its shown atoms
    directly; the row's ``firings`` holds every instance they rest on, each
    once (breadth first, as `engine.explain.trace.support`), so a reader follows a
    positive body atom to the instances with that head.  Listing the full
    support under every result instead re-walked shared sub-derivations ~50
    times a case and cost 3x the time (measured); `expand_derivation` gives
    the full list when wanted.
    """

    def __init__(self, by_head: dict[Hashable, list[_Fired]]) -> None:
        self.by_head = by_head
        self.number: dict[int, int] = {}
        self.steps: list[_Fired] = []
        self.seen: set[Hashable] = set()
        self.queue: list[Hashable] = []

    def of(self, roots: Sequence[Hashable]) -> list[int]:
        """Numbers of the instances deriving the roots; queues their support."""
        direct = []
        for root in roots:
            for firing in self.by_head.get(root, ()):
                number = self.number.get(id(firing))
                if number is None:
                    number = self._add(firing)
                direct.append(number)
        return direct

    def _add(self, firing: _Fired) -> int:
        number = self.number[id(firing)] = len(self.steps)
        self.steps.append(firing)
        for atom in firing.positive:
            if atom not in self.seen:
                self.seen.add(atom)
                self.queue.append(atom)
        return number

    def close(self) -> list[dict[str, Any]]:
        """Every instance the numbered ones rest on, breadth first: the row's ``firings``."""
        by_head, number, add = self.by_head, self.number, self._add
        for atom in self.queue:  # grows while it is read: a breadth-first walk
            for firing in by_head.get(atom, ()):
                if id(firing) not in number:
                    add(firing)
        return [firing.data for firing in self.steps]


def expand_derivation(row: dict[str, Any], result: dict[str, Any]) -> list[int]:
    """The full support of a result of an explained row: its ``derivation`` and,
    recursively, the instances deriving their positive atoms (numbers into
    ``row["firings"]``, breadth first)."""
    firings = row["firings"]
    by_head: dict[str, list[int]] = {}
    for number, firing in enumerate(firings):
        by_head.setdefault(firing["head"], []).append(number)
    found = list(result["derivation"])
    seen_numbers = set(found)
    seen_atoms = {firings[n]["head"] for n in found}
    for number in found:
        for atom in firings[number]["positive"]:
            if atom in seen_atoms:
                continue
            seen_atoms.add(atom)
            for below in by_head.get(atom, ()):
                if below not in seen_numbers:
                    seen_numbers.add(below)
                    found.append(below)
    return found


def _row(case: Case, rule_base: RuleBase, options: BatchOptions,
         shown: Sequence[clingo.Symbol]) -> dict[str, Any]:
    catalog = rule_base.catalog
    grounded = _grounded(rule_base)
    grounded.trim()
    by_pair: dict[tuple[str, str], list[Hashable]] = {}
    by_head: dict[Hashable, list[_Fired]] = {}
    traced = traced_program(rule_base) if options.explain else None
    decoded_atoms, decoded_firings = grounded.atoms, grounded.firings
    for index, key in enumerate(symbol_keys(shown)):
        firing = decoded_firings.get(key)
        if firing is not None:
            by_head.setdefault(firing.head, []).append(firing)
            continue
        atom = decoded_atoms.get(key)
        if atom is None:
            symbol = shown[index]
            if symbol.name == FIRED:
                firing = decoded_firings[key] = _decode_firing(symbol, traced)
                by_head.setdefault(firing.head, []).append(firing)
                continue
            atom = decoded_atoms[key] = _decode_atom(symbol)
        by_pair.setdefault(atom.pair, []).append(key)
    results: list[dict[str, Any]] = []
    derivations = _Derivations(by_head)
    for public_id in options.ordinances or case.ordinances or catalog.local_ids():
        constant = catalog.ordinances[public_id].constant
        for action in case.actions or catalog.actions:
            keys = by_pair.get((constant, action))
            if keys is None and not options.include_silent:
                continue
            keys = tuple(keys or ())
            result = _result(grounded, public_id, action, keys)
            if traced is not None:
                result = Explained(result, derivations.of(keys))
            results.append(result)
    row: dict[str, Any] = {"case": case.id, "results": results}
    if traced is not None:
        row["firings"] = derivations.close()
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
    shown = _solver(rule_base, options, case.request_count).solve(case.facts, options.time_limit)
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
    A pure function of its arguments: grounded solvers are cached per process and rule base.
    """
    for public_id in options.ordinances or ():
        if public_id not in rule_base.catalog.ordinances:
            raise EngineError(f"unknown ordinance '{public_id}'. Fix: use one of: "
                              f"{', '.join(rule_base.catalog.ordinances)} (`ordinance list`).")
    return [decide_one(item, rule_base, options) for item in items]


def decide_partition(cases: Iterable[Any], options: BatchOptions = BatchOptions(),
                     rules_dirs: Sequence[str] = (), source: str = "partition") -> list[dict[str, Any]]:
    """`decide_chunk` for a distributed engine's partition of case objects (parsed JSON).

    Loads the rules in the worker (once per process), so only the case objects
    and the options travel; see docs/batch.md for Dask.  Cases without an
    ``id`` get ``{source}-{n}``, numbered within the partition.
    """
    items = [CaseInput(f"{source}[{number}]", f"{source}-{number}", data)
             for number, data in enumerate(cases, start=1)]
    return decide_chunk(items, load_rule_base(rules_dirs), options)
