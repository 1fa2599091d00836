"""The vocabulary table: every case field and every ASP predicate the Python reads or writes.

This module is the one place that knows the *shape* of the case format and
the signatures of the rule base's predicates.  Everything else is derived
from it:

* the case validator and the case's facts (`engine.core.cases`,
  `engine.core.facts`), and reading facts back into a case (witnesses,
  what-if answers);
* the JSON Schema for case files (`engine.core.schema`);
* the CSV columns and the synthetic case generator (`engine.batch`);
* the generated blocks of ``asp/analysis/case_space.lp`` (the space `check`
  and `compare` search), ``asp/analysis/minimal.lp`` (the witness tie-break),
  ``asp/analysis/symmetry.lp`` (one numbering of requests) and
  ``asp/counterfactual/search.lp`` (the what-if
  space), and the ``#defined`` lines of ``asp/vocabulary/case.lp``
  (`engine.core.asp_blocks`, checked by a test);
* the predicate signatures that rule-file checks, provenance, derivations
  and the batch solver read.

The *values* a field allows are not listed here: they are the ``domain/2``
facts of ``asp/vocabulary/case.lp``, next to the rules that use them, and reach
Python through the catalog.  A field names the domain its values come from.

Adding a field to the case format means: one entry in `CASE_FORMAT` below, its
``domain/2`` values and ``describes/3`` words in ``asp/vocabulary/case.lp``,
``python -m engine.core.asp_blocks --write`` to regenerate the ASP blocks, and
the rules that use it (docs/vocabulary.md walks through it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator

import clingo

__all__ = [
    "Predicate", "Shape", "FactField", "Container", "MetaField", "CASE_FORMAT", "REQUESTS",
    "Implication", "IMPLICATIONS",
    "fact_fields", "case_predicates", "fact_field", "fact_rank", "value_domain", "field_paths", "fact_path", "fact_label", "fact_arity",
    "ORDINANCE", "SOURCE", "FEDERAL", "PROVISION", "CONCEPT", "ACTION", "DOMAIN", "SWITCH",
    "DESCRIBES", "PROHIBITS", "REQUIRES", "ALLOWS", "EXCEPTION", "PREVAILS", "NORMS",
    "STATUS", "DECIDED_BY", "EXCEPTED_BY", "TENSION", "RESTRICTED_BY", "ITEM_STATUS", "ITEM_DECIDED_BY",
    "RESTRICTS", "READING", "CASE_FACT",
    "DECLARATIONS", "DEONTIC_CONCLUSIONS", "SHOWN_RESULTS",
]


@dataclass(frozen=True)
class Predicate:
    """An ASP predicate and what each of its argument positions holds.

    ``roles`` names the positions (``ordinance``, ``section``, ``action``, ...)
    so that code reads ``PROHIBITS.argument(atom, "section")`` instead of
    ``atom.arguments[1]``: a change of signature is one edit here, and every
    reader that relied on it fails here, not far away.
    """

    name: str
    arity: int
    roles: tuple[str, ...]

    def __post_init__(self) -> None:
        assert len(self.roles) == self.arity, (self.name, self.roles)

    def position(self, role: str) -> int:
        """The index of the argument that holds ``role``."""
        return self.roles.index(role)

    def matches(self, atom: clingo.Symbol) -> bool:
        """Whether ``atom`` is an atom of this predicate (name and arity)."""
        return atom.type == clingo.SymbolType.Function and atom.name == self.name \
            and len(atom.arguments) == self.arity

    def argument(self, atom: clingo.Symbol, role: str) -> clingo.Symbol:
        """The argument of ``atom`` that holds ``role``."""
        return atom.arguments[self.roles.index(role)]

    @property
    def signature(self) -> tuple[str, int]:
        return (self.name, self.arity)


def _predicate(name: str, *roles: str) -> Predicate:
    return Predicate(name, len(roles), roles)


# What the rule files declare (read into the catalog).
ORDINANCE = _predicate("ordinance", "ordinance", "id", "title")
SOURCE = _predicate("source", "ordinance", "text")
FEDERAL = _predicate("federal", "ordinance")
PROVISION = _predicate("provision", "ordinance", "section", "quote")
CONCEPT = _predicate("concept", "ordinance", "section", "concept")
ACTION = _predicate("action", "action", "text")
DOMAIN = _predicate("domain", "field", "value")
SWITCH = _predicate("switch", "law", "default", "value")
DESCRIBES = _predicate("describes", "field", "value", "text")
DECLARATIONS = (ORDINANCE, SOURCE, FEDERAL, PROVISION, CONCEPT, ACTION, DOMAIN, SWITCH, DESCRIBES)

# What encodings state about a case (asp/vocabulary/deontic.lp, part 1).  The
# "section" of an exception is the section whose words make the exception; the
# section of the norm it lifts is its "lifts" argument.
PROHIBITS = _predicate("prohibits", "ordinance", "section", "action", "occasion")
REQUIRES = _predicate("requires", "ordinance", "section", "action", "occasion")
ALLOWS = _predicate("allows", "ordinance", "section", "action", "occasion")
EXCEPTION = _predicate("exception", "ordinance", "lifts", "action", "occasion", "section")
PREVAILS = _predicate("prevails", "ordinance", "section")
RESTRICTS = _predicate("restricts", "ordinance", "section", "action", "occasion", "condition")
NORMS = (PROHIBITS, REQUIRES, ALLOWS, EXCEPTION, RESTRICTS)

# What the deontic layer concludes (asp/vocabulary/deontic.lp, parts 2-3).
STATUS = _predicate("status", "ordinance", "action", "status")
DECIDED_BY = _predicate("decided_by", "ordinance", "action", "section")
EXCEPTED_BY = _predicate("excepted_by", "ordinance", "action", "section")
TENSION = _predicate("tension", "ordinance", "action", "section")
RESTRICTED_BY = _predicate("restricted_by", "ordinance", "action", "section")
ITEM_STATUS = _predicate("item_status", "ordinance", "action", "request", "info", "status")
ITEM_DECIDED_BY = _predicate("item_decided_by", "ordinance", "action", "request", "info", "section")
#: The conclusions a result is read from (asp/show.lp shows exactly these).
SHOWN_RESULTS = (STATUS, DECIDED_BY, EXCEPTED_BY, TENSION, RESTRICTED_BY, ITEM_STATUS, ITEM_DECIDED_BY)
#: Predicates only the deontic layer may derive (a rule file that defines one is refused).
DEONTIC_CONCLUSIONS = frozenset({
    "lifted", "forbids", "demands", "forbidden", "required", "exempts", "relieves",
    "permits", "status", "decided_by", "excepted_by", "tension", "occasion", "within",
    "limits", "restricted_by", "item_occasion", "item_forbidden_by", "item_permitted_by",
    "item_forbidden", "item_permitted", "item_status", "item_decided_by", "item_own_permission",
})

#: An interpretive switch chosen for a decision (``reading(usc_1373, broad)``).
READING = _predicate("reading", "law", "value")
#: A true fact of a case in the case space (what a minimal witness has fewest of).
CASE_FACT = _predicate("case_fact", "fact")


class Shape(Enum):
    """How a case field is written in a case file, and so how its facts are formed.

    * ``ONE``: one value (``agency: police``) -> one fact ``agency(police)``;
    * ``LIST``: a list of values (``roles: [victim]``) -> a fact per value;
    * ``FLAGS``: booleans whose *names* are the values (``consent: true`` in
      ``person``) -> a fact per true one, ``person(consent)``.
    """

    ONE = "one"
    LIST = "list"
    FLAGS = "flags"


@dataclass(frozen=True)
class FactField:
    """A case field that states facts: its key, its shape, its predicate and value domain.

    In a request the predicate takes the request's number first
    (``request_info(1, release_date)``); elsewhere it has the value alone.
    """

    key: str | None  # the key in its object; None for FLAGS, whose keys are the values
    shape: Shape
    predicate: str
    domain: str
    help: str
    required: bool = False  # a request must state its kind
    default: str | None = None  # a request from no one named comes from ICE
    example: str | None = None  # a value to suggest when a required field is missing


@dataclass(frozen=True)
class MetaField:
    """A case field that states no fact but says what to decide (``id``, ``ordinances``, ``actions``)."""

    key: str
    help: str


@dataclass(frozen=True)
class Container:
    """An object of the case format: the case itself, ``person``, ``determinations``, a request.

    ``repeated`` containers are lists of objects (``requests``), numbered from 1
    in file order; their facts carry the number.
    """

    key: str | None  # None for the case itself
    help: str
    fields: tuple["FactField | MetaField | Container", ...] = field(default_factory=tuple)
    repeated: bool = False
    element: str | None = None  # a repeated object's name in ASP helpers: request_slot(Q), has_request(Q)


REQUESTS = Container("requests", "what federal immigration authorities asked for", repeated=True,
                     element="request", fields=(
    FactField("kind", Shape.ONE, "request", "request_kind", "what was asked for", required=True,
              example="detainer"),
    FactField("from", Shape.ONE, "request_from", "request_from", "who asked (default ice)",
              default="ice"),
    FactField(None, Shape.FLAGS, "request_has", "request_has",
              "what accompanies the request (judicial_warrant, court_order, administrative_warrant)"),
    FactField("info", Shape.LIST, "request_info", "request_info", "the kinds of information asked for"),
    FactField("purpose", Shape.ONE, "request_purpose", "request_purpose", "the request's stated purpose"),
    FactField("topic", Shape.ONE, "request_topic", "request_topic", "an interview's topic"),
    FactField(None, Shape.FLAGS, "request_outcome", "request_outcome",
              "what the local agency did with the request (complied: it did what was asked)"),
    Container("determinations", "findings by officials about this request alone", fields=(
        FactField(None, Shape.FLAGS, "request_determination", "determination",
                  "findings made about this request"),
    )),
))

#: The case format (docs/contract.md, "A case"), in the order fields are validated and written.
CASE_FORMAT = Container(None, "a case: one situation to decide", fields=(
    MetaField("id", "the case's name; default: the file name or line number"),
    MetaField("ordinances", "which ordinances to apply; default: every local one"),
    FactField("agency", Shape.ONE, "agency", "agency", "the local agency asked to act"),
    Container("person", "the person the case is about", fields=(
        FactField(None, Shape.FLAGS, "person", "person", "true facts about the person"),
        FactField("roles", Shape.LIST, "role", "role", "the person's roles in the contact"),
        FactField("convictions", Shape.LIST, "conviction", "conviction", "the person's convictions"),
    )),
    REQUESTS,
    Container("determinations", "findings by officials", fields=(
        FactField(None, Shape.FLAGS, "determination", "determination", "findings that have been made"),
    )),
    MetaField("actions", "which actions to rule on; default: every action"),
))


@dataclass(frozen=True)
class Implication:
    """A fact a case cannot state without another: the case would describe what cannot
    happen.  The validator rejects such a case and the case spaces leave it out."""

    fact: tuple[str, str]  # (predicate, value) of a case-level fact
    needs: tuple[str, str]
    why: str


IMPLICATIONS = (
    Implication(("person", "release_eligible"), ("person", "in_custody"),
                "only a person held can be released (release_eligible: \"would now be released\")"),
    Implication(("role", "inmate"), ("person", "in_custody"), "an inmate is held by the local agency"),
)


def _walk(container: Container, owner: Container) -> Iterator[tuple[Container, FactField]]:
    for item in container.fields:
        if isinstance(item, Container):
            yield from _walk(item, item if item.repeated else owner)
        elif isinstance(item, FactField):
            yield owner, item


def fact_fields() -> list[tuple[Container, FactField]]:
    """Every fact-stating field, in format order, with the repeated object it belongs to
    (a request: its facts take the request's number) or else the case itself."""
    return list(_walk(CASE_FORMAT, CASE_FORMAT))


def fact_field(predicate: str) -> FactField:
    """The field whose facts use ``predicate``."""
    for _, item in fact_fields():
        if item.predicate == predicate:
            return item
    raise KeyError(predicate)


def _ranks(container: Container, path: tuple[int, ...], split: int | None,
           ranks: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    for index, item in enumerate(container.fields):
        here = (*path, index)
        if isinstance(item, Container):
            _ranks(item, here, len(here) if item.repeated else split, ranks)
        elif isinstance(item, FactField):
            cut = len(here) if split is None else split
            ranks[item.predicate] = (here[:cut], here[cut:])


_RANKS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
_ranks(CASE_FORMAT, (), None, _RANKS)


def fact_rank(predicate: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the facts of ``predicate`` stand in the case format: the position of
    their field up to the repeated object they belong to (a request), and within
    it.  Facts sort by (outer, request number, inner), as a case file lists them."""
    return _RANKS[predicate]


def _paths(container: Container, prefix: str) -> Iterator[tuple[str, "Container | FactField"]]:
    for item in container.fields:
        if isinstance(item, MetaField):
            continue
        key = item.key if item.key else f"<{item.domain}>"  # FLAGS: the key is a value
        path = f"{prefix}.{key}" if prefix else key
        yield path, item
        if isinstance(item, Container):
            yield from _paths(item, path)


def field_paths() -> list[str]:
    """Every object and fact field of the format by dotted path, without request numbers
    (``person``, ``person.roles``, ``requests.kind``); flags as ``person.<person>``."""
    return [path for path, _ in _paths(CASE_FORMAT, "")]


def fact_path(predicate: str, value: str) -> str:
    """The dotted path of the field a fact states, without request numbers: ``agency``,
    ``person.roles``, ``person.consent``, ``requests.judicial_warrant``."""
    for path, item in _paths(CASE_FORMAT, ""):
        if isinstance(item, FactField) and item.predicate == predicate:
            return path.replace(f"<{item.domain}>", value) if item.shape is Shape.FLAGS else path
    raise KeyError(predicate)


def fact_label(predicate: str, value: str) -> str:
    """A case fact as a reader finds it in a case file: ``person.release_eligible``,
    ``person.roles: inmate``, ``agency: police``."""
    path = fact_path(predicate, value)
    return path if fact_field(predicate).shape is Shape.FLAGS else f"{path}: {value}"


def fact_arity(predicate: str) -> int:
    """How many arguments a case predicate takes (a request's facts take its number first)."""
    if predicate == READING.name:
        return READING.arity
    return next(2 if owner.repeated else 1 for owner, item in fact_fields() if item.predicate == predicate)


def value_domain(predicate: str) -> str:
    """The ``domain/2`` (and ``describes/3``) field naming the values of a case predicate;
    for ``reading/2`` it is ``reading`` (the words for each switch value)."""
    return READING.name if predicate == READING.name else fact_field(predicate).domain


def case_predicates() -> frozenset[str]:
    """The predicates a case states (and that only a case may state), readings included."""
    return frozenset(item.predicate for _, item in fact_fields()) | {READING.name}
