"""The derivation graph of a conclusion (or several), built from what the solver derived.

Nodes (ids are strings, so the graph is JSON- and DOT-friendly):

* ``atom`` nodes: the conclusion (``role="conclusion"``), derived atoms
  (``role="derived"``) and facts (``role="fact"``, ``origin`` "case" for the
  case's facts, "rules" for a fact a rule file states); a ``status/3`` atom
  carries its ``status``.  A conclusion also carries what its words are made
  of: the ``pair`` it is about (ordinance constant, action), the ordinance's
  public id, the action's meaning (``action/2``) and its ``sections``: those
  that decided a status (``decided_by/3``), the section of a restriction, or
  the section of a tension (which permits what ``against`` forbids);
* ``rule`` nodes: one per rule instance that fired, citing the section it
  encodes (`engine.explain.provenance`) and where the rule is written; an exception
  names the section whose norm it lifts (``excepts``); a norm names the ``pair``
  it bears on;
* ``negated`` nodes: a default-negated condition of a fired rule (``not
  lifted(...)``: an exception that did not apply), with the ways it could
  have held and the case facts each way would have needed (`engine.explain.needs`).

Edges run from reasons to what they support: body atom → rule ("body"),
negated condition → rule ("absent"), rule → head atom ("derives").  An atom
that supports several rules is one shared node.  Declarations of the rule
base (`ordinance/3`, `action/2`, `domain/2`, ...) are left out: they say what
exists, not why a case comes out as it does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import clingo

from engine.core.catalog import Catalog, section_sort_key
from engine.core.vocabulary import (DECIDED_BY, EXCEPTION, NORMS, READING, RESTRICTED_BY, STATUS, TENSION,
                                    Predicate, value_domain)
from engine.explain.needs import Needs
from engine.core.rulebase import CASE_PREDICATES, DECLARATION_PREDICATES
from engine.explain.provenance import Citation, head_citation, rule_citations
from engine.explain.trace import ANY, Firing, TracedProgram, support

if TYPE_CHECKING:  # networkx takes a quarter of a second to import: only when a graph is built
    import networkx as nx

__all__ = ["derivation_graph", "derivation_to_dict", "model_needs", "atom_text", "pair_conclusions",
           "bearing_part"]

#: The deontic layer's "section S's prohibition of A is in force at Q" (asp/vocabulary/deontic.lp):
#: what a tension's permission stands against.
FORBIDS = Predicate("forbids", 4, ("ordinance", "section", "action", "occasion"))
#: The conclusions beside a status that are about the same (ordinance, action): a restriction
#: leaves the status as it is, a tension is a section pulling the other way.
BESIDE_STATUS = (RESTRICTED_BY, TENSION)

#: `ANY` as a whole term of an atom's text, not inside a name (``westchester_any_database_request``).
_ANY_TERM = re.compile(rf"(?<![\w']){re.escape(str(ANY))}(?![\w'(])")


def atom_text(atom: clingo.Symbol) -> str:
    """An atom as a reader sees it: anonymous parts are written ``_``."""
    return _ANY_TERM.sub("_", str(atom))


def _citation_data(citation: Citation | None) -> dict[str, Any]:
    if citation is None:
        return {"ordinance": None, "section": None, "quote": None}
    return {"ordinance": citation.public_id, "section": citation.section, "quote": citation.quote}


def model_needs(program: TracedProgram, catalog: Catalog, fired: Iterable[Firing],
                facts: Iterable[clingo.Symbol] = ()) -> Needs:
    """The exception reader of one model: what holds in it (every derived head and fact).

    It remembers the ways it has worked out, so a caller drawing several graphs of
    one model builds it once and passes it to each `derivation_graph`.
    """
    return Needs(program, catalog, frozenset({f.head for f in fired} | set(facts)))


def describe_fact(atom: clingo.Symbol, descriptions: dict[tuple[str, str], str]) -> str | None:
    """The vocabulary's words for a case fact, e.g. "request 1 is accompanied by a judicial warrant"."""
    if atom.name not in CASE_PREDICATES or not atom.arguments:
        return None
    *occasion, value = atom.arguments
    field = value_domain(atom.name)
    text = descriptions.get((field, str(value)))
    if text is None:
        return None
    if occasion and atom.name != READING.name:
        number = occasion[0]
        request = f"request {number}" if number.type == clingo.SymbolType.Number else "some request"
        # A request's own words name it; a finding about one request (its determinations) says which.
        text = text.replace("the request", request) if "the request" in text else f"{text} (about {request})"
    return text


def _pair(atom: clingo.Symbol) -> list[str] | None:
    """The [ordinance constant, action] a norm or a conclusion bears on; None for any other atom."""
    for predicate in (*NORMS, STATUS, *BESIDE_STATUS):
        if predicate.matches(atom):
            return [str(predicate.argument(atom, "ordinance")), str(predicate.argument(atom, "action"))]
    return None


def pair_conclusions(fired: Iterable[Firing],
                     statuses: clingo.Symbol | Sequence[clingo.Symbol]) -> list[clingo.Symbol]:
    """Each ``status/3`` atom followed by the restrictions and tensions of its (ordinance,
    action) in the model: what one graph of the pair explains.

    A tension (a section that permits what another forbids) is no reason for the status,
    so the status's own derivation never reaches it; given as a conclusion, its
    derivation is drawn beside the status's.
    """
    statuses = [statuses] if isinstance(statuses, clingo.Symbol) else list(statuses)
    heads = list(dict.fromkeys(f.head for f in fired))
    found: list[clingo.Symbol] = []
    for status in statuses:
        found.append(status)
        for predicate in BESIDE_STATUS:
            found.extend(h for h in heads if predicate.matches(h) and _pair(h) == _pair(status))
    return list(dict.fromkeys(found))


def _conclusion_data(atom: clingo.Symbol, fired: Sequence[Firing], catalog: Catalog) -> dict[str, Any]:
    """What a conclusion's words are made of, read from the model: its ordinance's public id,
    the action's meaning, the sections deciding it and, for a tension, the sections whose
    prohibitions in force the permission stands against."""
    pair = _pair(atom)
    if pair is None:
        return {}
    constant, action = pair
    try:
        public = catalog.ordinance_by_constant(constant).id
    except KeyError:  # an atom of an ordinance the rules do not declare: shown by its constant
        public = constant
    against: list[str] = []
    if STATUS.matches(atom):
        sections = [DECIDED_BY.argument(f.head, "section") for f in fired if DECIDED_BY.matches(f.head)
                    and [str(DECIDED_BY.argument(f.head, role)) for role in ("ordinance", "action")] == pair]
    else:
        predicate = next(p for p in BESIDE_STATUS if p.matches(atom))
        sections = [predicate.argument(atom, "section")]
    if TENSION.matches(atom):
        against = [FORBIDS.argument(b, "section") for f in fired if f.head == atom
                   for b in f.positive if FORBIDS.matches(b)]
    return {"pair": pair, "ordinance": public, "action": action, "meaning": catalog.actions.get(action),
            "sections": _section_labels(sections), "against": _section_labels(against)}


def _section_labels(symbols: Iterable[clingo.Symbol]) -> list[str]:
    """Section labels (string symbols), each once, in the order a reader expects."""
    return sorted({s.string for s in symbols if s.type == clingo.SymbolType.String}, key=section_sort_key)


def derivation_graph(program: TracedProgram, fired: Sequence[Firing],
                     conclusion: clingo.Symbol | Sequence[clingo.Symbol],
                     catalog: Catalog, facts: Iterable[clingo.Symbol] = (),
                     needs: Needs | None = None) -> nx.DiGraph:
    """The graph of why ``conclusion`` holds, from already-computed firings (no new solve).

    Given several conclusions of one model, one graph explains them all: an atom
    that supports several of them is one node (graph attribute ``conclusion``
    is then the list of them).

    Parameters
    ----------
    program:
        The traced rule base the firings come from (`engine.explain.trace.traced_program`).
    fired:
        The firings of one model (`engine.explain.trace.firings`).
    conclusion:
        The atom to explain, e.g. ``status(westchester, honor_detainer, forbidden)``,
        or a sequence of atoms.
    catalog:
        The rule base's catalog: section quotes and ordinance ids.
    facts:
        The case's facts; needed to tell which conditions of an exception not
        met were already true (without them every case condition is listed).
    needs:
        The model's exception reader (`model_needs` of the same firings and facts),
        when the caller draws several graphs of one model; built here otherwise.
    """
    import networkx as nx  # here, not at the top: deciding a case must not pay for its import

    fired = list(fired)
    needs = needs if needs is not None else model_needs(program, catalog, fired, facts)
    citations = rule_citations(program, catalog)
    descriptions = catalog.descriptions
    conclusions = [conclusion] if isinstance(conclusion, clingo.Symbol) else list(conclusion)
    graph = nx.DiGraph(conclusion=str(conclusion) if isinstance(conclusion, clingo.Symbol)
                       else [str(c) for c in conclusions])

    def add_atom(atom: clingo.Symbol, role: str) -> str:
        node = str(atom)
        if node not in graph:
            status = str(STATUS.argument(atom, "status")) if STATUS.matches(atom) else None
            graph.add_node(node, kind="atom", role=role, atom=node, predicate=atom.name, status=status,
                           description=describe_fact(atom, descriptions),
                           origin="case" if atom.name in CASE_PREDICATES else "rules")
        return node

    instances = list(dict.fromkeys(f for c in conclusions for f in support(fired, c)
                                   if f.head.name not in DECLARATION_PREDICATES))
    derived = {f.head for f in instances
               if f.positive or f.negative or head_citation(f.head, catalog) is not None}
    for atom in conclusions:
        graph.nodes[add_atom(atom, "conclusion")].update(_conclusion_data(atom, fired, catalog))
    for firing in instances:
        citation = head_citation(firing.head, catalog)
        if not firing.positive and not firing.negative and citation is None:
            add_atom(firing.head, "fact")  # a fact stated by a rule file, not a norm
            continue
        citation = citation or citations.get(firing.rule)
        info = program.rules[firing.rule]
        # One node per rule instance: two instances with one head are two reasons, either enough.
        body = ", ".join([*map(str, firing.positive), *(f"not {atom_text(a)}" for a in firing.negative)])
        node = f"rule {firing.rule}: {firing.head} :- {body}" if body else f"rule {firing.rule}: {firing.head}"
        graph.add_node(node, kind="rule", rule=firing.rule, where=info.where, text=info.text,
                       excepts=_excepted_section(firing.head),
                       pair=_pair(firing.head) if _is_norm(firing.head) else None, **_citation_data(citation))
        graph.add_edge(node, add_atom(firing.head, "conclusion" if firing.head in conclusions else "derived"),
                       relation="derives")
        for atom in firing.positive:
            if atom.name in DECLARATION_PREDICATES:  # what exists, not why
                continue
            graph.add_edge(add_atom(atom, "derived" if atom in derived else "fact"), node, relation="body")
        for atom in firing.negative:
            absent = f"not {atom_text(atom)}"
            if absent not in graph:
                ways = needs.ways(atom)
                graph.add_node(absent, kind="negated", atom=atom_text(atom), predicate=atom.name,
                               description=describe_fact(atom, descriptions), ways=[
                    {"sections": [_citation_data(c) for c in way.citations],
                     "missing": [{"fact": atom_text(m), "description": describe_fact(m, descriptions)}
                                 for m in way.missing]}
                    for way in ways])
            graph.add_edge(absent, node, relation="absent")
    return graph


def bearing_part(graph: nx.DiGraph) -> nx.DiGraph:
    """The part of a derivation graph that bears on its conclusions: the nodes with a path to
    one that passes through no norm about another (ordinance, action) than theirs.

    The deontic layer keeps count of the occasions some norm speaks of (``occasion/1``,
    ``within/2``), so a norm of any ordinance about any action reaches a conclusion through
    that bookkeeping; it is not a reason for it.  The reasons and the lawyer's view read this
    part; the graph itself keeps everything.  A graph with a conclusion about no pair (an
    atom asked about that is no status, restriction or tension) is returned whole.
    """
    import networkx as nx  # here, not at the top: deciding a case must not pay for its import

    conclusions = [n for n, d in graph.nodes(data=True) if d["kind"] == "atom" and d["role"] == "conclusion"]
    if not all(graph.nodes[c].get("pair") for c in conclusions):
        return graph
    pairs = {tuple(graph.nodes[c]["pair"]) for c in conclusions}
    blocked = {n for n, d in graph.nodes(data=True)
               if d["kind"] == "rule" and d.get("pair") and tuple(d["pair"]) not in pairs}
    open_graph = graph.subgraph(set(graph) - blocked)
    return graph.subgraph(set(conclusions).union(*(nx.ancestors(open_graph, c) for c in conclusions)))


def _is_norm(atom: clingo.Symbol) -> bool:
    """Whether the atom is what an encoding states a section says (asp/vocabulary/deontic.lp, part 1)."""
    return any(p.matches(atom) for p in NORMS)


def _excepted_section(head: clingo.Symbol) -> str | None:
    """For an `EXCEPTION` atom (asp/vocabulary/deontic.lp), the section whose norm it lifts."""
    if EXCEPTION.matches(head) and EXCEPTION.argument(head, "lifts").type == clingo.SymbolType.String:
        return EXCEPTION.argument(head, "lifts").string
    return None


def derivation_to_dict(graph: nx.DiGraph) -> dict[str, Any]:
    """The graph as JSON-able data: its conclusion, nodes (with attributes) and edges."""
    return {
        "conclusion": graph.graph.get("conclusion"),
        "nodes": [{"id": node, **data} for node, data in graph.nodes(data=True)],
        "edges": [{"from": source, "to": target, "relation": data["relation"]}
                  for source, target, data in graph.edges(data=True)],
    }
