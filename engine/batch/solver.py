"""Deciding many cases from one grounding: the pure chunk function behind `ordinance batch`.

`engine.core.solve.decide` builds a solver per case; at batch scale that costs
milliseconds a case (PERFORMANCE.md §2 (a)).  Here the rule base is grounded
once per process and number of requests, with every case fact a case can state
left open (a choice), and that one ground program decides every case, one of
two ways (`evaluation_path` says which):

* **compiled** (`engine.batch.compiled`): when the ground program is normal and
  stratified, as the built-in rules' is, it is compiled to Python over chunks of
  cases, one bit a case, and a chunk of cases is decided by one call, without clasp;
* **multi-shot**: otherwise (an aggregate, a disjunction or unstratified rules in
  a user's ``--rules``), each case is one ``solve()`` under assumptions fixing
  every case fact (PERFORMANCE.md §7), bounded by the time limit.  The program
  is stratified, or the first answer is taken, as `decide` does.

Either way a case's answer is the set of symbols it shows, each numbered by the
order in which grounding reported it (the observer of `engine.batch.compiled`
sees them), and a row is built from those numbers alone, so both ways give the
same rows (tests/batch/test_compiled.py; tests/batch/test_batch.py checks rows
against `decide`).  Numbers, not symbols, key the decoding caches: clingo's
public API hashes a symbol in Python, which costs more than a compiled case.

Requests are numbered (``request(Q, K)``), so the inputs are opened for
request slots 1..K; a solver is grounded per K actually seen, lazily, and kept.
Readings are batch-wide and enter as facts.  With ``explain`` the traced
program of `engine.explain.trace` is grounded instead, so derivations come from the
same evaluation as the statuses.  In the compact form (`COMPACT`, the command
line's) a row names the rule instances it rests on and its case facts by ids
(`TraceIndex`), found for a whole chunk at once from the masks (`_closure_masks`),
and `engine.batch.trace_table` writes their text once per run; in the full form
(`FIRINGS`) each row holds its instances as text.

`decide_chunk` depends only on its arguments (solvers are a per-process cache,
kept per rule base while it lives), so it runs unchanged in a `multiprocessing`
worker or a Dask task.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from itertools import compress
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Generic, Hashable, Iterable, Sequence, TypeVar

import clingo
from clingo import ast

from engine.batch.case_argument import case_dependent
from engine.batch.compiled import Evaluator, GroundProgram, NotCompilable, compile_program
from engine.core.asp_blocks import open_case_facts
from engine.core.cases import Case, parse_case
from engine.core.catalog import symbol_text
from engine.core.errors import CaseError, EngineError
from engine.core.facts import reading_facts, symbol_fact
from engine.core.identity_cache import by_identity
from engine.core.printable import printable
from engine.core.results import Status, result_from_values
from engine.core.rulebase import RuleBase, load_rule_base, solver
from engine.core.vocabulary import SHOWN_RESULTS, STATUS, Predicate, fact_arity, fact_fields
from engine.explain.trace import FIRED, Firing, TracedProgram, traced_program
from engine.explain.trace import firing as recorded_firing

__all__ = ["BatchOptions", "CaseInput", "Shared", "Explained", "EvaluationPath", "decide_chunk", "decide_one",
           "decide_partition", "evaluation_path", "forget_solvers", "derivation_step", "expand_derivation",
           "AUTO", "MULTI_SHOT", "COMPILED", "FIRINGS", "COMPACT", "TraceIndex", "trace_index", "table_key",
           "rule_file_hashes"]

#: The shown predicates a result is read from, by name.
_RESULTS: dict[str, Predicate] = {p.name: p for p in SHOWN_RESULTS}

#: `BatchOptions.evaluation`: the compiled evaluation where the ground program allows it, else multi-shot.
AUTO = "auto"
#: `BatchOptions.evaluation`: one clingo ``solve()`` per case whatever the program (the design
#: before the compiled evaluation; the benchmark compares the two).  Also an `EvaluationPath` name.
MULTI_SHOT = "multi-shot"
#: The `EvaluationPath` name of the compiled evaluation.
COMPILED = "compiled"
#: `BatchOptions.explain_format`: each row carries its rule instances in full (``firings``, the form
#: docs/contract.md published first; self-contained rows, and the Python API's default).
FIRINGS = "firings"
#: `BatchOptions.explain_format`: each row carries the ids of its rule instances and case facts
#: (``trace``), into a table written once per run (`engine.batch.trace_table`); the command
#: line's default: rows several times smaller, derivation graphs built when asked.
COMPACT = "compact"
#: Cases evaluated by one call at most (the masks' width in bits): wide enough that the
#: per-call cost vanishes, narrow enough that the masks stay small ints.
BLOCK = 1024

_UNSATISFIABLE = ("the rules have no answer for this case (unsatisfiable). Fix: check "
                  "rules added with --rules for integrity constraints (':- ...').")


@dataclass(frozen=True)
class BatchOptions:
    """What every case of a batch is decided under (picklable, hashable)."""

    ordinances: tuple[str, ...] | None = None
    readings: tuple[tuple[str, str], ...] = ()
    explain: bool = False
    include_silent: bool = False
    time_limit: float | None = None
    #: `AUTO` or `MULTI_SHOT` (see the module docstring); the rows are the same.
    evaluation: str = AUTO
    #: With ``explain``: `FIRINGS` (rule instances in full in each row) or `COMPACT` (their ids).
    explain_format: str = FIRINGS

    def __post_init__(self) -> None:
        if self.evaluation not in (AUTO, MULTI_SHOT):
            raise EngineError(f"unknown evaluation '{self.evaluation}'. Fix: use '{AUTO}' or '{MULTI_SHOT}'.")
        if self.explain_format not in (FIRINGS, COMPACT):
            raise EngineError(f"unknown explain format '{self.explain_format}'. Fix: use '{COMPACT}' or "
                              f"'{FIRINGS}'.")

    @property
    def compact(self) -> bool:
        """Whether rows carry the compact trace (ids into a table) rather than ``firings``."""
        return self.explain and self.explain_format == COMPACT


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


@dataclass(frozen=True)
class EvaluationPath:
    """How cases with a number of requests are decided: `COMPILED` or `MULTI_SHOT`, and,
    for multi-shot, why (what in the ground program the compiled evaluation does not compute,
    or that it was asked for)."""

    name: str
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}" if self.reason else self.name


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


@dataclass(frozen=True)
class _Atom:
    """A decoded shown atom: its pair (ordinance constant, action), predicate name and the
    rest of its arguments (a status, a section; for an item, the request and info too)."""

    pair: tuple[str, str]
    kind: str
    value: tuple[str, ...]


@dataclass(frozen=True)
class _Fired:
    """A decoded `_fired` atom: the head it derives and its positive body (as symbol
    numbers of the solver), and its JSON form."""

    head: int
    positive: tuple[int, ...]
    data: dict[str, Any]


Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class _Bounded(dict, Generic[Key, Value]):
    """A cache that is emptied when full (`trim`, before an entry is added): memory stays
    bounded in a long batch, and a hit costs a plain dict lookup (an LRU's bookkeeping on every
    hit would not pay here, where a full cache means a varied input, not a hot set to keep).
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
#: Shared result objects per solver (one per distinct outcome of a pair, ~1 KB with its JSON).
#: Most outcomes are rare (a 100k-case generated batch has ~40,000), so keeping more saved
#: little (measured at 100k: 65,400 results built with 2,000 kept, 53,500 with 5,000, 51,600
#: when the frequent ones also survive a flush: ~0.4 s of ~21 s) against memory.
MAX_RESULTS = 2_000
#: Pattern entries per solver (`_Patterns`) before they are all dropped: refilling one costs a
#: lookup of the result, kept in its own cache.
MAX_PATTERNS = 2 * MAX_RESULTS


def _case_masks(position: dict[tuple[str | int, ...], int], cases: Sequence[Case]) -> list[int]:
    """A mask per case fact (in ``position``'s order): bit ``c`` set when case ``c`` states it."""
    masks = [0] * len(position)
    for number, case in enumerate(cases):
        bit = 1 << number
        for key in case.facts:
            index = position.get(key)
            if index is None:
                raise EngineError(f"the case fact {key} is not a solver input. Fix: declare it "
                                  "in engine/core/asp_blocks.py open_case_facts.")
            masks[index] |= bit
    return masks


class _Grounding:
    """The rule base grounded by clingo for cases with a given number of requests, every case
    fact open (a choice), and where each case fact is, to solve a case under assumptions.

    Every solve assumes each case fact true or false: stateless between cases, so a case's
    answer cannot depend on the one before (PERFORMANCE.md §7 measured this form as fast as
    ``#external`` for its program; for this rule base it was ~1.5x faster, since
    ``assign_external`` cost ~10 µs a call here).  An ``observer`` registered before any rule
    reaches clasp, readings included, sees exactly the program clasp solves.
    """

    def __init__(self, statements: Sequence[ast.AST], readings: dict[str, str], request_slots: int,
                 observer: GroundProgram | None = None) -> None:
        opened: list[ast.AST] = []
        ast.parse_string(open_case_facts(request_slots), opened.append)
        self.control = solver([*statements, *opened], ())
        if observer is not None:
            self.control.register_observer(observer)
        with self.control.backend() as backend:
            for fact in reading_facts(readings):
                backend.add_rule([backend.add_atom(fact)])
        self.control.ground([("base", [])])
        predicates = {item.predicate for _, item in fact_fields()}
        inputs = sorted((atom.literal, symbol_fact(atom.symbol)) for name in predicates
                        for atom in self.control.symbolic_atoms.by_signature(name, fact_arity(name)))
        self.position = {key: index for index, (_, key) in enumerate(inputs)}
        self.literals = [literal for literal, _ in inputs]
        self.watchdog = _Watchdog(self.control)

    def describe(self, atom: int) -> str:
        """A program atom as the rules write it (for the reason a program is not compiled)."""
        for symbolic in self.control.symbolic_atoms:
            if symbolic.literal == atom:
                return printable(str(symbolic.symbol))
        return f"an atom of the ground program (#{atom})"

    def solve(self, case: Case, time_limit: float | None) -> Sequence[clingo.Symbol] | None:
        """The symbols a case shows, from one ``solve()``; None if over the time limit."""
        assumptions = [literal if mask else -literal
                       for literal, mask in zip(self.literals, _case_masks(self.position, [case]))]
        shown: list[Sequence[clingo.Symbol]] = []  # the first model (the program is stratified)
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
            raise EngineError(_UNSATISFIABLE)
        return shown[0]


class _Solver:
    """How cases with a given number of requests are decided: the compiled evaluator where the
    ground program allows one, clingo (a `_Grounding`) for the rest.

    The rules are grounded once, observed (`GroundProgram`) and compiled; the grounding is then
    kept only if the program could not be compiled (it is grounded again if multi-shot is
    asked for anyway), which saves its memory in every worker.

    Shown symbols are numbered in the order grounding reported them, and decoded
    once each (`decoded`); other symbols a firing names (body atoms that are not
    shown) get the next numbers as they are met.
    """

    def __init__(self, statements: Sequence[ast.AST], readings: dict[str, str],
                 request_slots: int) -> None:
        self.rules = (statements, readings, request_slots)
        program = GroundProgram()
        grounding: _Grounding | None
        grounding = observed = _Grounding(statements, readings, request_slots, program)
        self.position = observed.position
        self.evaluator: Evaluator | None = None
        self.reason = ""
        try:
            self.evaluator = compile_program(program, observed.literals, observed.describe)
            shown = self.evaluator.shown
            grounding = None
        except NotCompilable as why:
            self.reason = str(why)
            shown = tuple(dict.fromkeys(symbol for symbol, _ in program.shown))
        self.grounding = grounding
        self.number: dict[clingo.Symbol, int] = {symbol: n for n, symbol in enumerate(shown)}
        self.shown = shown
        self.decoded: list[_Atom | _Fired | None] = [None] * len(shown)
        self.results: _Bounded[tuple[str, str, tuple[int, ...]], Shared] = _Bounded(MAX_RESULTS)
        self.by_pair: dict[tuple[str, str], list[int]] | None = None
        #: Per pair, silent rows wanted or not and compact trace or not: the result of each
        #: pattern of its atoms' bits.
        self.patterns: dict[tuple[str, str, bool, bool], _Patterns] = {}
        self.trace: TraceIndex | None = None

    def evaluate(self, cases: Sequence[Case]) -> list[int]:
        """A mask per shown symbol: bit ``c`` set when case ``c`` shows it (compiled)."""
        assert self.evaluator is not None
        masks, unanswered = self.evaluator.evaluate(_case_masks(self.position, cases), len(cases))
        if unanswered:
            raise EngineError(_UNSATISFIABLE)
        return masks

    def solve(self, case: Case, time_limit: float | None) -> list[int] | None:
        """The numbers of the symbols a case shows, in increasing order, from one clingo
        ``solve()`` (multi-shot); None if over the time limit."""
        if self.grounding is None:
            self.grounding = _Grounding(*self.rules)
        shown = self.grounding.solve(case, time_limit)
        if shown is None:
            return None
        number = self.number
        return sorted({number[symbol] for symbol in shown})

    def shown_numbers(self, masks: Sequence[int], count: int) -> list[list[int]]:
        """The numbers of the symbols each of ``count`` cases shows, in increasing order."""
        return _ids_by_case(masks, count)

    def pair_numbers(self) -> dict[tuple[str, str], list[int]]:
        """The numbers of the shown result atoms of each pair (ordinance constant, action)."""
        if self.by_pair is None:
            self.by_pair = {}
            for number, symbol in enumerate(self.shown):
                if symbol.name == FIRED:  # a rule instance of the traced program, no result
                    continue
                decoded = self.decode(number, None)
                if isinstance(decoded, _Atom):
                    self.by_pair.setdefault(decoded.pair, []).append(number)
        return self.by_pair

    def trace_index(self) -> TraceIndex:
        """The rule instances of the traced program, numbered (built once per solver)."""
        if self.trace is None:
            self.trace = TraceIndex(self)
        return self.trace

    def key(self, symbol: clingo.Symbol) -> int:
        """The number of a symbol (shown or not)."""
        found = self.number.get(symbol)
        if found is None:
            found = self.number[symbol] = len(self.number)
        return found

    def decode(self, number: int, traced: TracedProgram | None) -> _Atom | _Fired:
        """What a shown symbol says, decoded once per solver."""
        decoded = self.decoded[number]
        if decoded is None:
            symbol = self.shown[number]
            if symbol.name == FIRED and traced is not None:
                firing = recorded_firing(symbol)
                decoded = _Fired(self.key(firing.head), tuple(map(self.key, firing.positive)),
                                 derivation_step(firing, traced))
            else:
                decoded = _decode_atom(symbol)
            self.decoded[number] = decoded
        return decoded

    def result(self, public_id: str, action: str, numbers: tuple[int, ...]) -> Shared:
        """The result object for a pair from its shown atoms (built once per distinct outcome)."""
        cache_key = (public_id, action, numbers)
        found = self.results.get(cache_key)
        if found is None:
            self.results.trim()
            values = [(atom.kind, atom.value) for atom in (self.decoded[n] for n in numbers)]
            found = self.results[cache_key] = Shared(result_from_values(public_id, action, values).to_dict())
        return found


class Shared(dict):
    """A JSON object shared by every case that has it: a result for a pair with the
    same shown atoms, or one supporting rule instance.

    Many cases repeat these, so the object (and its encoded text, kept in
    ``encoded`` by the writers) is built once per grounding while it is cached.
    """

    __slots__ = ("encoded",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded: dict[str, str] = {}


class Explained(dict):
    """A result with its ``derivation``: indices into the row's ``firings``, or, in a compact
    trace, ids of rule instances (then shared by every case with the same outcome, like its
    text in ``encoded``); ``base`` is the shared result it extends."""

    __slots__ = ("base", "encoded")

    def __init__(self, base: Shared, derivation: list[int]) -> None:
        super().__init__(base, derivation=derivation)
        self.base = base
        self.encoded: dict[str, str] = {}


class TraceIndex:
    """The rule instances a traced grounding can fire, numbered: the ids of the compact trace.

    An instance's id is its rank among the shown ``_fired`` atoms in the order grounding
    reported them, and a case fact's id its rank among the solver's inputs: both depend on
    the rule base, the readings and the number of requests only, so the ids a run writes
    mean the same whichever worker, chunk or evaluation path wrote them.

    ``order`` lists the instances so that every instance comes before those deriving its
    positive body atoms (consumers first), which lets `_closure_masks` find, over a chunk
    of cases, the instances a row's results rest on in one pass; ``acyclic`` is False when
    positive recursion makes one pass not enough (it then repeats to the fixpoint).
    """

    def __init__(self, found: _Solver) -> None:
        self.numbers = tuple(number for number, symbol in enumerate(found.shown) if symbol.name == FIRED)
        self.symbols = [found.shown[number] for number in self.numbers]
        key = found.key
        self.heads: list[int] = []
        self.positive: list[tuple[int, ...]] = []
        for symbol in self.symbols:  # the head and positive body of `engine.explain.trace.firing`, only
            _, head, positive, _ = symbol.arguments
            self.heads.append(key(head))
            self.positive.append(tuple(map(key, positive.arguments)))
        self.by_head: dict[int, list[int]] = {}
        for instance, head in enumerate(self.heads):
            self.by_head.setdefault(head, []).append(instance)
        self.position = found.position
        self.inputs = sorted(found.position, key=found.position.__getitem__)
        self.order, self.acyclic = self._consumers_first()

    def _consumers_first(self) -> tuple[list[int], bool]:
        """Instances ordered so that each comes before the instances deriving its positive
        atoms (Kahn's algorithm on "derives a body atom of"); False if a loop is left over."""
        producers = [[p for atom in positive for p in self.by_head.get(atom, ())] for positive in self.positive]
        waiting = [0] * len(self.heads)  # how many consumers of an instance are not yet placed
        for below in producers:
            for producer in below:
                waiting[producer] += 1
        ready = [instance for instance, count in enumerate(waiting) if not count]
        order: list[int] = []
        while ready:
            instance = ready.pop()
            order.append(instance)
            for producer in producers[instance]:
                waiting[producer] -= 1
                if not waiting[producer]:
                    ready.append(producer)
        if len(order) == len(self.heads):
            return order, True
        placed = set(order)
        return order + [i for i in range(len(self.heads)) if i not in placed], False

    def firing(self, instance: int) -> Firing:
        """The rule instance an id stands for (decoded when asked: the table needs few of them)."""
        return recorded_firing(self.symbols[instance])

    def facts(self, case: Case) -> list[int]:
        """The ids of a case's facts, in increasing order."""
        return sorted(self.position[key] for key in case.facts)


def trace_index(rule_base: RuleBase, options: BatchOptions, request_slots: int) -> TraceIndex:
    """The numbered rule instances of the traced grounding for cases with ``request_slots``
    requests under these options (readings): what the ids of a compact trace refer to."""
    return _solver(rule_base, dataclasses.replace(options, explain=True), request_slots).trace_index()


def rule_file_hashes(rule_base: RuleBase) -> dict[str, str]:
    """The SHA-256 of each rule file, by its path, the files ``asp/all.lp`` includes too (every
    file a statement comes from): what a compact trace's table names its rule base by."""
    paths = {str(path) for path in rule_base.files}
    paths |= {s.location.begin.filename for s in rule_base.statements if Path(s.location.begin.filename).is_file()}
    return {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in sorted(paths)}


def table_key(rule_base: RuleBase, options: BatchOptions) -> str:
    """A short hash of the rule files' contents and the readings, which a compact trace's ids
    depend on: written in every row and in its table, so that a row is never read against
    another run's table, nor a table against other rules.  Computed once per rule base."""
    keys = _grounded(rule_base).keys
    found = keys.get(options.readings)
    if found is None:
        digest = hashlib.sha256()
        for file_hash in sorted(rule_file_hashes(rule_base).values()):
            digest.update(file_hash.encode())
        digest.update(repr(sorted(options.readings)).encode())
        found = keys[options.readings] = digest.hexdigest()[:16]
    return found


@dataclass(frozen=True)
class _Grounded:
    """What a process keeps for one rule base: its grounded solvers (with their decoding caches)."""

    solvers: _Bounded[tuple[tuple[tuple[str, str], ...], bool, int], _Solver] = \
        field(default_factory=lambda: _Bounded(MAX_SOLVERS))
    #: `table_key` per readings.
    keys: dict[tuple[tuple[str, str], ...], str] = field(default_factory=dict)


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


def evaluation_path(rule_base: RuleBase, request_slots: int = 1,
                    options: BatchOptions = BatchOptions()) -> EvaluationPath:
    """How `decide_chunk` decides cases with ``request_slots`` requests under these options
    (grounding the rules for them if no case has yet): compiled, or multi-shot and why."""
    found = _solver(rule_base, options, request_slots)
    if options.evaluation == MULTI_SHOT:
        return EvaluationPath(MULTI_SHOT, "asked for (evaluation='multi-shot')")
    if found.evaluator is None:
        return EvaluationPath(MULTI_SHOT, found.reason)
    return EvaluationPath(COMPILED)


def _decode_atom(symbol: clingo.Symbol) -> _Atom:
    predicate = _RESULTS[symbol.name]
    return _Atom((symbol_text(predicate.argument(symbol, "ordinance")),
                  symbol_text(predicate.argument(symbol, "action"))),
                 symbol.name, tuple(symbol_text(a) for role, a in zip(predicate.roles, symbol.arguments)
                                    if role not in ("ordinance", "action")))


def derivation_step(firing: Firing, traced: TracedProgram) -> dict[str, Any]:
    """One supporting rule instance as JSON: the rule (file:line), the ground head,
    the positive body atoms and the default-negated atoms (``_any``: any value).

    The one place the batch derivation format is defined (docs/batch.md).
    """
    return Shared(rule=traced.rules[firing.rule].where, head=str(firing.head),
                  positive=[str(a) for a in firing.positive],
                  negative=[str(a) for a in firing.negative])


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


def _row(case: Case, rule_base: RuleBase, options: BatchOptions, found: _Solver,
         shown: Sequence[int]) -> dict[str, Any]:
    """A case's row from the numbers of the symbols it shows (in increasing order)."""
    catalog = rule_base.catalog
    by_pair: dict[tuple[str, str], list[int]] = {}
    by_head: dict[int, list[_Fired]] = {}
    traced = traced_program(rule_base) if options.explain else None
    for number in shown:
        decoded = found.decode(number, traced)
        if isinstance(decoded, _Fired):
            by_head.setdefault(decoded.head, []).append(decoded)
        else:
            by_pair.setdefault(decoded.pair, []).append(number)
    results: list[dict[str, Any]] = []
    derivations = _Derivations(by_head)
    for public_id in options.ordinances or case.ordinances or catalog.local_ids():
        constant = catalog.ordinances[public_id].constant
        for action in case.actions or catalog.actions:
            numbers = by_pair.get((constant, action))
            if numbers is None and not options.include_silent:
                continue
            numbers = tuple(numbers or ())
            result = found.result(public_id, action, numbers)
            if traced is not None:
                result = Explained(result, derivations.of(numbers))
            results.append(result)
    row: dict[str, Any] = {"case": case.id, "results": results}
    if traced is not None:
        row["firings"] = derivations.close()
    return row


class _Patterns(dict):
    """The result of one pair for each pattern of its atoms' bits in a case (a string of
    ``"0"``/``"1"``, a character per atom); None for a pair that says nothing, when silent
    pairs are left out.  Looked up once per pattern seen.

    With a compact trace (``trace``), the pattern also holds a bit per rule instance deriving
    one of the pair's atoms, and the result is an `Explained` whose ``derivation`` lists the
    ids of the instances that fired, in the order of `_Derivations.of` (by atom, then id):
    shared by every case with that pattern, as its encoded text is.
    """

    def __init__(self, found: _Solver, public_id: str, action: str, atoms: Sequence[int],
                 include_silent: bool, trace: TraceIndex | None = None) -> None:
        super().__init__()
        self.found, self.public_id, self.action = found, public_id, action
        self.atoms, self.include_silent, self.trace = tuple(atoms), include_silent, trace
        #: Per atom, the ids of the instances deriving it (compact trace only).
        self.instances = [trace.by_head.get(atom, []) for atom in atoms] if trace else []
        self.numbers = (*self.atoms, *(trace.numbers[i] for below in self.instances for i in below)) \
            if trace else self.atoms

    def __missing__(self, pattern: str) -> Shared | None:
        atoms = len(self.atoms)
        numbers = tuple(compress(self.atoms, map("1".__eq__, pattern[:atoms])))
        result = (self.found.result(self.public_id, self.action, numbers)
                  if numbers or self.include_silent else None)
        if result is not None and self.trace is not None:
            fired = iter(pattern[atoms:])
            derivation = [i for below in self.instances for i in below if next(fired) == "1"]
            result = Explained(result, derivation)
        self[pattern] = result
        return result


def _closure_masks(trace: TraceIndex, masks: Sequence[int], roots: dict[int, int]) -> list[int]:
    """Per rule instance, the mask of the cases whose results rest on it: it fired in the case,
    and it derives a result atom the case reports (``roots``: the mask of cases reporting each
    result atom) or a positive body atom of an instance they rest on.

    The bit-parallel form of `_Derivations.close` over a chunk: one pass over the instances,
    consumers first (repeated to the fixpoint if positive recursion leaves a loop).
    """
    numbers, heads, positive = trace.numbers, trace.heads, trace.positive
    closure = [0] * len(numbers)
    needed: dict[int, int] = dict(roots)
    changed = True
    while changed:
        changed = False
        for instance in trace.order:
            mask = masks[numbers[instance]] & needed.get(heads[instance], 0)
            if mask != closure[instance]:
                closure[instance] = mask
                changed = True
                for atom in positive[instance]:
                    needed[atom] = needed.get(atom, 0) | mask
        changed = changed and not trace.acyclic
    return closure


def _ids_by_case(masks: Sequence[int], count: int) -> list[list[int]]:
    """For each of ``count`` cases, the indices of ``masks`` whose bit for the case is set."""
    found: list[list[int]] = [[] for _ in range(count)]
    every, pattern = (1 << count) - 1, f"0{count}b"
    for index, mask in enumerate(masks):
        if not mask:
            continue
        if mask == every:
            for ids in found:
                ids.append(index)
            continue
        bits = format(mask, pattern)[::-1]  # bits[c] is case c's
        case = bits.find("1")
        while case >= 0:
            found[case].append(index)
            case = bits.find("1", case + 1)
    return found


def _column_rows(cases: Sequence[Case], rule_base: RuleBase, options: BatchOptions, found: _Solver,
                 masks: Sequence[int], request_slots: int) -> list[dict[str, Any]]:
    """The rows of cases from the masks of the symbols they show, built a pair at a time over
    all the cases (no explanation, or the compact trace).

    The same rows as `_row` gives from each case's shown numbers, without a Python
    step per shown atom of each case: a pair's column comes from its atoms' masks,
    written as strings of bits and zipped, each pattern mapped to its shared result.
    With a compact trace, the instances a row rests on come from `_closure_masks`.
    """
    catalog = rule_base.catalog
    count = len(cases)
    by_pair = found.pair_numbers()
    trace = found.trace_index() if options.compact else None
    if sum(map(len, found.patterns.values())) >= MAX_PATTERNS:
        found.patterns.clear()
    zeros = "0" * count
    written: dict[int, str] = {}
    columns: dict[tuple[str, str], list[Shared | None]] = {}
    #: Per pair reported by some case: its patterns table and the mask of the cases reporting it.
    reported: dict[tuple[str, str], list[Any]] = {}

    def bits(number: int) -> str:
        """The mask of a shown atom as a string: character ``c`` is case ``c``'s bit."""
        found_bits = written.get(number)
        if found_bits is None:
            mask = masks[number]
            found_bits = written[number] = format(mask, f"0{count}b")[::-1] if mask else zeros
        return found_bits

    def column(public_id: str, action: str) -> list[Shared | None]:
        pair = (public_id, action)
        found_column = columns.get(pair)
        if found_column is None:
            table_key = (public_id, action, options.include_silent, trace is not None)
            table = found.patterns.get(table_key)
            if table is None:
                numbers = by_pair.get((catalog.ordinances[public_id].constant, action), [])
                table = found.patterns[table_key] = _Patterns(found, public_id, action, numbers,
                                                              options.include_silent, trace)
            reported[pair] = [table, 0]
            if not any(masks[number] for number in table.numbers):
                found_column = [table["0" * len(table.numbers)]] * count
            else:
                strings = [bits(number) for number in table.numbers]
                patterns = strings[0] if len(strings) == 1 else map("".join, zip(*strings))
                found_column = list(map(table.__getitem__, patterns))
            columns[pair] = found_column
        return found_column

    rows: list[dict[str, Any]] = []
    selections: dict[tuple[tuple[str, ...], tuple[str, ...]], list[list[Shared | None]]] = {}
    transposed: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[Shared | None, ...]]] = {}
    common = (tuple(options.ordinances or catalog.local_ids()), tuple(catalog.actions))
    common_cases = 0
    for number, case in enumerate(cases):
        own = case.actions or (case.ordinances and not options.ordinances)
        selection = (tuple(options.ordinances or case.ordinances or common[0]),
                     tuple(case.actions or common[1])) if own else common
        selected = selections.get(selection)
        if selected is None:
            selected = selections[selection] = [column(public_id, action) for public_id in selection[0]
                                                for action in selection[1]]
        if not own:  # the common selection: its columns zipped once for all the cases
            common_cases |= 1 << number
            by_case = transposed.get(selection)
            if by_case is None:
                by_case = transposed[selection] = list(zip(*selected)) if selected else [()] * count
            results = list(filter(None, by_case[number]))
        else:
            results = [result for result in (values[number] for values in selected) if result is not None]
            if trace is not None:
                for public_id in selection[0]:
                    for action in selection[1]:
                        reported[(public_id, action)][1] |= 1 << number
        rows.append({"case": case.id, "results": results})
    if trace is not None:
        if common in selections:
            for public_id in common[0]:
                for action in common[1]:
                    reported[(public_id, action)][1] |= common_cases
        roots: dict[int, int] = {}
        for table, cases_mask in reported.values():
            for atom in table.atoms:
                roots[atom] = roots.get(atom, 0) | cases_mask
        fired = _ids_by_case(_closure_masks(trace, masks, roots), count)
        key = table_key(rule_base, options)
        for row, case, instances in zip(rows, cases, fired, strict=True):
            row["trace"] = {"table": key, "requests": request_slots, "fired": instances,
                            "facts": trace.facts(case)}
    return rows


def _error_row(case_id: str, where: str, field: str, message: str) -> dict[str, Any]:
    return {"case": case_id, "error": {"where": where, "field": field, "message": message}}


def _validated(item: CaseInput, rule_base: RuleBase) -> Case | dict[str, Any]:
    """The case of an input, or its error row."""
    if item.error is not None:
        return _error_row(item.default_id, item.where, "", item.error)
    try:
        return parse_case(item.data, rule_base.catalog, item.where, item.default_id)
    except CaseError as error:
        raw_id = item.data.get("id", item.default_id) if isinstance(item.data, dict) else item.default_id
        try:
            case_id = str(raw_id)
        except ValueError:  # an int too long for str() (over 4,300 digits), from a Python caller
            case_id = item.default_id
        return _error_row(case_id, error.where, error.field, str(error))


def decide_one(item: CaseInput, rule_base: RuleBase, options: BatchOptions) -> dict[str, Any]:
    """The row of one case: its results, or an error naming the case and the field."""
    return decide_chunk([item], rule_base, options)[0]


def decide_chunk(items: Sequence[CaseInput], rule_base: RuleBase,
                 options: BatchOptions = BatchOptions()) -> list[dict[str, Any]]:
    """One row per case, in input order: ``{"case", "results"}`` or ``{"case", "error"}``.

    ``results`` has the shape of `Decision.to_dict` (``ordinance decide
    --format json``), minus silent pairs unless ``options.include_silent``;
    with ``options.explain`` each result also carries its ``derivation``.
    Cases are grouped by their number of requests (one grounding each); where it
    is compiled, a group is evaluated `BLOCK` cases at a time.
    A pure function of its arguments: grounded solvers are cached per process and rule base.
    """
    for public_id in options.ordinances or ():
        if public_id not in rule_base.catalog.ordinances:
            raise EngineError(f"unknown ordinance '{public_id}'. Fix: use one of: "
                              f"{', '.join(rule_base.catalog.ordinances)} (`ordinance list`).")
    rows: list[dict[str, Any]] = [{}] * len(items)
    groups: dict[int, list[tuple[int, Case]]] = {}
    for index, item in enumerate(items):
        validated = _validated(item, rule_base)
        if isinstance(validated, Case):
            groups.setdefault(validated.request_count, []).append((index, validated))
        else:
            rows[index] = validated
    for request_slots, group in groups.items():
        found = _solver(rule_base, options, request_slots)
        if found.evaluator is not None and options.evaluation == AUTO:
            for start in range(0, len(group), BLOCK):
                block = group[start:start + BLOCK]
                cases = [case for _, case in block]
                masks = found.evaluate(cases)
                decided = (_column_rows(cases, rule_base, options, found, masks, request_slots)
                           if not options.explain or options.compact else
                           [_row(case, rule_base, options, found, shown)
                            for case, shown in zip(cases, found.shown_numbers(masks, len(cases)), strict=True)])
                for (index, _), row in zip(block, decided, strict=True):
                    rows[index] = row
            continue
        solved: list[tuple[int, Case, list[int]]] = []
        for index, case in group:
            shown = found.solve(case, options.time_limit)
            if shown is None:
                where = items[index].where
                rows[index] = _error_row(case.id, where, "", f"{where}: the case took longer than the "
                                         f"time limit of {options.time_limit} s. Fix: raise --time-limit.")
            elif options.compact:
                solved.append((index, case, shown))
            else:
                rows[index] = _row(case, rule_base, options, found, shown)
        for start in range(0, len(solved), BLOCK):  # compact trace: the compiled path's code, same rows
            block = solved[start:start + BLOCK]
            masks = [0] * len(found.shown)
            for number, (_, _, shown) in enumerate(block):
                for symbol in shown:
                    masks[symbol] |= 1 << number
            decided = _column_rows([case for _, case, _ in block], rule_base, options, found, masks, request_slots)
            for (index, _, _), row in zip(block, decided, strict=True):
                rows[index] = row
    return rows


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
