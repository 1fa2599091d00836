"""What would change the outcome: the smallest changes to a case that flip a status.

The solver does the search (asp/counterfactual/search.lp).  Every case fact
the contract can express (``domain/2``: an agency, a person flag, a role, a
conviction, a determination, each field of each request) becomes a choice
atom; the facts of the case are its starting point and each fact added or
removed costs 1 (``#minimize``).  A constraint forbids the original status of
the asked (ordinance, action), and others keep only cases a case file can
express.
Optimal answers are the minimal changes; after each round their change sets
(and every superset of them, which is not minimal) are excluded and the solver
is asked again, so answers come smallest first.

A request may be added (one, numbered after the case's own; it costs its kind
and its sender, two facts) and each existing request keeps a kind and a sender.
Fixed, never changed: the action asked about, the ordinances, the readings,
and the fields a user pins with ``--fix FIELD``, named as in the contract
(``agency``, ``person``, ``person.convictions``, ``person.in_custody``,
``requests``, ``requests.judicial_warrant``, ``determinations``, ...: the paths of
`engine.core.vocabulary.field_paths`); a field pins everything beneath it;
pinning ``requests`` also rules out adding one.  Each answer is turned back
into a contract `Case` and decided again with `engine.core.solve.decide`; only
answers whose status really differs are returned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import clingo

from engine.core.cases import Case, parse_case
from engine.explain.derivation import describe_fact
from engine.core.errors import CaseError, EngineError
from engine.core.facts import case_facts, fact_symbol, reading_facts, symbol_fact
from engine.core.printable import printable
from engine.core.vocabulary import fact_fields, fact_label, fact_path, field_paths
from engine.core.rulebase import RuleBase, builtin_rules_dir, load_rule_base
from engine.core.solve import check_readings, decide, finish_by
from engine.core.suggest import known_ordinance_id

__all__ = ["Change", "Counterfactual", "Counterfactuals", "counterfactuals", "DEFAULT_WHATIF_SECONDS"]

MAX_ROUNDS = 8
#: How long the what-if search may take in all (`ordinance explain --what-if --timeout`).
DEFAULT_WHATIF_SECONDS = 30.0


@dataclass(frozen=True)
class Change:
    """One fact added to or removed from the case."""

    added: bool
    fact: clingo.Symbol

    def __str__(self) -> str:
        return f"{'+' if self.added else '-'} {self.fact}"


@dataclass(frozen=True)
class Counterfactual:
    """A changed case under which the status differs, verified by deciding it.

    ``descriptions`` are the vocabulary's words for facts (`Catalog.descriptions` of the rule
    base that found it), with which it prints its changes: ``permitted if also: request 1 is
    accompanied by a judicial warrant``.
    """

    changes: tuple[Change, ...]
    case: Case
    status: str
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)

    def change_words(self) -> list[str]:
        """Each change in the vocabulary's words ("also: ...", "no longer: ..."); a fact the
        vocabulary has no words for is named as a case file names it (``agency: police``)."""
        return [f"{'also' if c.added else 'no longer'}: {_fact_words(c.fact, self.descriptions)}"
                for c in self.changes]

    def __str__(self) -> str:
        return f"{self.status} if {'; '.join(self.change_words())}"

    def __repr__(self) -> str:
        return f"<Counterfactual {printable(str(self))}>"

    def to_dict(self, descriptions: dict[tuple[str, str], str] | None = None) -> dict:
        """The changes (with the vocabulary's words for each fact, given ``descriptions``),
        the status they lead to, and the changed case in the contract's form."""
        return {"changes": [{"change": "add" if c.added else "remove", "fact": str(c.fact),
                             "description": describe_fact(c.fact, descriptions or {})}
                            for c in self.changes],
                "status": self.status, "case": self.case.to_dict()}


def _candidates(case: Case, rule_base: RuleBase) -> list[clingo.Symbol]:
    """Every case fact the contract could state for this case's requests and one more."""
    domains = rule_base.catalog.domains
    facts = []
    for container, item in fact_fields():
        numbers = range(1, case.request_count + 2) if container.repeated else [None]
        facts += [(item.predicate, *(() if n is None else (n,)), value)
                  for n in numbers for value in domains.get(item.domain, ())]
    return [fact_symbol(fact) for fact in facts]


def _pinned(field: str, atom: clingo.Symbol) -> bool:
    """Whether a --fix FIELD covers the case fact ``atom``: its field, or an object above it."""
    path = fact_path(atom.name, str(atom.arguments[-1]))
    return path == field or path.startswith(field + ".")


def _check_fields(fixed: Sequence[str], domains: dict[str, tuple[str, ...]]) -> None:
    """Reject a --fix name that is not a contract field, listing the ones that are."""
    allowed = {path for path in field_paths() if "<" not in path}
    allowed |= {fact_path(item.predicate, value) for _, item in fact_fields()
                for value in domains.get(item.domain, ())}
    for field in fixed:
        if field not in allowed:
            raise EngineError(f"--fix {field}: not a case field. Fix: use a contract field name: "
                              f"{', '.join(field_paths())}.")


def _to_case(case: Case, atoms: Iterable[clingo.Symbol], number: int) -> Case:
    """The changed case in contract form, keeping the original order of list fields so
    that only what changed reads differently."""
    return Case.from_facts(f"{case.id} (what-if {number})", (symbol_fact(a) for a in atoms), like=case)


def _blocked(seen: Sequence[frozenset[Change]]) -> list[clingo.Symbol]:
    """``whatif_blocked(B, C, F)`` facts excluding the change sets already found."""
    return [clingo.Function("whatif_blocked", [clingo.Number(number), clingo.Function(
        "add" if change.added else "remove"), change.fact])
        for number, answer in enumerate(seen) for change in answer]


def _fact_words(fact: clingo.Symbol, descriptions: dict[tuple[str, str], str]) -> str:
    """A case fact in the vocabulary's words, else its field and value (with its request)."""
    words = describe_fact(fact, descriptions)
    if words is not None:
        return words
    *occasion, value = fact.arguments
    label = fact_label(fact.name, str(value))
    return f"{label} (request {occasion[0]})" if occasion else label


class Counterfactuals(list):
    """The verified counterfactuals found, smallest first; ``complete`` is False when the search
    ran out of time: then these are the ones found so far, and an empty list proves nothing."""

    def __init__(self, found: Iterable[Counterfactual] = (), complete: bool = True) -> None:
        super().__init__(found)
        self.complete = complete

    def _repr_html_(self) -> str:
        """The changes as a notebook shows them: a numbered table, in the vocabulary's words."""
        from engine.render.notebook import counterfactuals_html

        return counterfactuals_html(self)


def _optimal_changes(rule_base: RuleBase, setting: list[clingo.Symbol], deadline: float
                     ) -> tuple[list[frozenset[Change]], bool]:
    """The change sets of every optimal answer of asp/counterfactual/search.lp, and whether the
    search finished before ``deadline`` (`time.monotonic`); waits are short, so Ctrl-C is seen."""
    control = rule_base.control(setting, ["--opt-mode=optN"])
    control.load(str(builtin_rules_dir() / "counterfactual" / "search.lp"))
    control.ground([("base", [])])
    answers: list[frozenset[Change]] = []

    def on_model(model: clingo.Model) -> None:
        if model.optimality_proven:
            answers.append(frozenset(Change(str(atom.arguments[0]) == "add", atom.arguments[1])
                                     for atom in model.symbols(atoms=True) if atom.name == "whatif_change"))

    with control.solve(on_model=on_model, async_=True) as handle:
        finished = finish_by(handle, deadline)
        handle.get()
    return list(dict.fromkeys(answers)), finished


def counterfactuals(case: Case, rule_base: RuleBase | None = None, ordinance: str = "", action: str = "",
                    readings: dict[str, str] | None = None, fixed: Sequence[str] = (),
                    limit: int = 3, timeout: float = DEFAULT_WHATIF_SECONDS) -> Counterfactuals:
    """At most ``limit`` minimal, verified changes to ``case`` that change the status of
    ``action`` under ``ordinance``, fewest changes first, searched for at most ``timeout``
    seconds (``complete`` on the result says whether the search finished).

    Examples
    --------
    >>> from engine import load_rule_base, parse_case
    >>> rules = load_rule_base(use_env=False)
    >>> case = parse_case({"requests": [{"kind": "detainer"}]}, rules.catalog, "doc", "doc")
    >>> [str(c) for c in counterfactuals(case, rules, "westchester", "honor_detainer")[0].changes]
    ['+ request_has(1,judicial_warrant)']
    """
    rule_base = rule_base or load_rule_base()
    readings = check_readings(rule_base, dict(readings or {}))
    known_ordinance_id(rule_base.catalog, ordinance)
    original = decide(case, rule_base, ordinances=[ordinance], readings=readings).result(ordinance, action)
    constant = rule_base.catalog.ordinances[ordinance].constant
    candidates = _candidates(case, rule_base)
    _check_fields(fixed, rule_base.catalog.domains)
    present = set(case_facts(case))
    pinned = [atom for atom in candidates if any(_pinned(field, atom) for field in fixed)]
    setting = [*reading_facts(readings),
               *(clingo.Function("whatif_was", [atom]) for atom in present),
               *(clingo.Function("whatif_pinned", [atom]) for atom in pinned),
               *(clingo.Function("whatif_request", [clingo.Number(n)]) for n in range(1, case.request_count + 1)),
               *([] if "requests" in fixed else
                 [clingo.Function("whatif_new_request", [clingo.Number(case.request_count + 1)])]),
               clingo.Function("whatif_status", [clingo.Function(constant), clingo.Function(action),
                                                 clingo.Function(original.status)])]

    found: list[Counterfactual] = []
    seen: list[frozenset[Change]] = []
    deadline = time.monotonic() + timeout
    complete = True
    for _round in range(MAX_ROUNDS):
        optimal, complete = _optimal_changes(rule_base, setting + _blocked(seen), deadline)
        answers = [a for a in optimal if a not in seen]
        if not answers:
            break
        seen += answers
        for answer in sorted(answers, key=lambda a: (len(a), sorted(str(c) for c in a))):
            kept = (present - {c.fact for c in answer}) | {c.fact for c in answer if c.added}
            try:  # the changed case must pass the contract's own checks, as a case file would
                changed = _to_case(case, kept, len(found) + 1)
                changed = parse_case(changed.to_dict(), rule_base.catalog, "what-if", changed.id)
            except CaseError:
                continue
            status_now = decide(changed, rule_base, ordinances=[ordinance], readings=readings) \
                .result(ordinance, action).status
            if status_now != original.status:
                changes = tuple(sorted(answer, key=lambda c: (not c.added, str(c.fact))))
                found.append(Counterfactual(changes, changed, status_now, rule_base.catalog.descriptions))
            if len(found) == limit:
                return Counterfactuals(found)
        if not complete:
            break
    return Counterfactuals(found, complete)
