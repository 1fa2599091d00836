"""Plain-language reasons, written from a derivation graph.

Nothing here is written per conclusion: the sentence for a status comes from
the action's meaning (``action/2``), each section's words from its
``provision/3`` quote, each case fact's meaning from the vocabulary's
``describes/3`` facts, and which of them are mentioned from the graph the
solver's derivation produced (`engine.explain.derivation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.core.catalog import Catalog, section_ref, section_sort_key

if TYPE_CHECKING:  # networkx takes a quarter of a second to import: only when a graph is built
    import networkx as nx

__all__ = ["reasons_text", "NORM_VERBS"]

#: How a norm rule bears on the action, by the predicate of its head.
NORM_VERBS = {"prohibits": "forbids it", "requires": "requires it",
              "allows": "expressly permits it", "exception": "makes an exception for it",
              "restricts": "allows it only on a condition"}


def _fact_phrase(graph: nx.DiGraph, node: str) -> str:
    data = graph.nodes[node]
    return data["description"] or data["atom"]


def _head(graph: nx.DiGraph, rule: str) -> str:
    return next(iter(graph.successors(rule)))


def _is_norm(graph: nx.DiGraph, node: str) -> bool:
    data = graph.nodes[node]
    return data["kind"] == "rule" and data["section"] is not None \
        and graph.nodes[_head(graph, node)]["predicate"] in NORM_VERBS


def _grounds(graph: nx.DiGraph, norm: str) -> list[str]:
    """The case facts a norm instance rests on, each with the section that reads it."""
    import networkx as nx  # here, not at the top: deciding a case must not pay for its import

    phrases = []
    own = graph.nodes[norm]["section"]
    upstream = nx.ancestors(graph, norm)
    for node in sorted(upstream):
        data = graph.nodes[node]
        if data["kind"] != "atom" or data["role"] != "fact" or data["origin"] != "case":
            continue
        # Only the rules on the way to this norm: a fact shared with another norm is read
        # there by that norm's own section, which says nothing about this one.
        cited = sorted({graph.nodes[r]["section"] for r in graph.successors(node)
                        if r in upstream and graph.nodes[r]["section"] not in (None, own)},
                       key=section_sort_key)
        where = f" ({', '.join(section_ref(s) for s in cited)})" if cited else ""
        phrases.append(_fact_phrase(graph, node) + where)
    return phrases


def _exception_sentence(data: dict) -> str | None:
    """'No exception applied -- § 10(b), § 1(g) would have needed ...' for a negated condition."""
    options = []
    for way in data["ways"]:
        if not way["sections"] and not way["missing"]:
            continue  # a deontic-layer rule with nothing of the case missing: the norms above say it all
        sections = ", ".join(f"{s['ordinance']} {section_ref(s['section'])}" for s in way["sections"]) or "a rule"
        missing = " and ".join(m["description"] or m["fact"] for m in way["missing"])
        options.append(f"{sections} would have needed: {missing}" if missing else sections)
    if not options:
        return None
    # lifted/4 is the deontic layer's "some exception lifts the norm" (asp/vocabulary/deontic.lp).
    opening = "No exception applied" if data["predicate"] == "lifted" else f"Did not hold: {data['atom']}"
    return f"{opening} -- " + "; or ".join(options) + "."


def reasons_text(graph: nx.DiGraph, catalog: Catalog, ordinance: str, action: str, status: str) -> str:
    """A short paragraph: the status, the sections that give it with their words, the case
    facts they rest on, and the exceptions that did not apply with what they needed."""
    source = catalog.ordinances[ordinance]
    meaning = catalog.actions.get(action, action)
    lines = [f"Under {source.id} ({source.title}), {action} is {status}: {meaning}."]
    norms = sorted((n for n in graph if _is_norm(graph, n)),
                   key=lambda n: (section_sort_key(graph.nodes[n]["section"]), n))
    said: set[str] = set()
    for norm in norms:
        data = graph.nodes[norm]
        head = graph.nodes[_head(graph, norm)]
        verb = NORM_VERBS[head["predicate"]]
        if head["predicate"] == "restricts":
            verb += f" ({head['atom'].rsplit(',', 1)[-1].rstrip(')')})"
        if data["excepts"] not in (None, data["section"]):
            verb = f"makes an exception to {section_ref(data['excepts'])} for it"
        grounds = _grounds(graph, norm)
        sentence = f"{section_ref(data['section'])} {verb}: \"{data['quote']}\""
        sentence += f" -- because {'; '.join(grounds)}." if grounds else " -- in every case."
        if sentence not in said:
            said.add(sentence)
            lines.append(sentence)
    for node, data in sorted(graph.nodes(data=True)):
        if data["kind"] == "negated":
            sentence = _exception_sentence(data)
            if sentence and sentence not in said:
                said.add(sentence)
                lines.append(sentence)
    if len(lines) == 1:
        lines.append("No section of it applies to this case.")
    return "\n".join(lines)
