"""The lawyer's view of a derivation: the traced graph contracted to what a reader of the law weighs.

`lawyer_graph` projects a derivation graph (`engine.explain.derivation`) onto six kinds
of node, read top down:

* **case fact**: a fact of the case, in the vocabulary's words;
* **not in the case**: a fact the case does not state that a rule looked for (an exception
  would have needed it, or a rule applies because it is absent);
* **section**: a section that applies, one node each, its words quoted once, with what it
  does to the action (forbids it, makes an exception to § 7(a), ...);
* **exception not met**: what it would have needed, or why no change of the case's facts meets it;
* **tension**: a section that permits what another section forbids, pointing at the conclusion
  it pulls against;
* **conclusion**: the status in words, "westchester § 10(a)(2) and § 10(b) forbid it: keep the
  person in custody past release on a civil immigration detainer".

Everything else is contracted: the deontic layer's rules and atoms (``prohibits``, ``forbids``,
``lifted`` ...), helpers that no ``concept/3`` declares for one section, facts a rule file
states.  Two kept nodes are joined when a path of the traced graph joins them through nodes
that are not kept.  A norm about another (ordinance, action) than the conclusions' blocks
such paths: it reaches them only through the deontic layer's bookkeeping (which occasions
some norm speaks of), not as a reason (`engine.explain.derivation.bearing_part`).

Nothing is written per case: every label is made of the nodes' own data (vocabulary
descriptions, provision quotes, section ids, action meanings) and the words of the deontic
layer for what a norm does (`engine.explain.reasons.NORM_VERBS`).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any, Iterable, Iterator

import clingo
import networkx as nx

from engine.core.catalog import section_ref, section_sort_key
from engine.core.rulebase import CASE_PREDICATES
from engine.core.vocabulary import RESTRICTS, STATUS, TENSION, fact_label
from engine.explain.derivation import bearing_part
from engine.explain.reasons import NORM_VERBS
from visualize.decision_graph import STATUS_COLOURS
from visualize.dot_text import dot_comment, dot_text

__all__ = ["lawyer_graph", "render_lawyer", "KINDS"]

#: The deontic layer's "some exception lifts the norm" (asp/vocabulary/deontic.lp): its absence is an
#: exception not met.
LIFTED = "lifted"
#: What a section's node says of a norm that the rules give no exception facts could meet.
NO_EXCEPTION = "no exception that facts could meet"
#: How a status is said of the sections deciding it: (one section, several).
STATUS_VERBS = {"forbidden": ("forbids", "forbid"), "obligated": ("requires", "require"),
                "permitted": ("permits", "permit"),
                "conflict": ("forbids and requires", "forbid and require")}
WIDTH = 48
QUOTE_LINES = 8
#: The node kinds, top down, with how each is drawn (the legend shows them in this order).
KINDS = {
    "case fact": {"shape": "box", "style": "filled", "fillcolor": "#fff3b0"},
    "not in the case": {"shape": "box", "style": "dashed", "color": "#b8a000", "fontcolor": "#555555"},
    "section": {"shape": "note", "style": "filled", "fillcolor": "#dbe8fb"},
    "exception not met": {"shape": "box", "style": "dashed", "fontcolor": "#555555"},
    "tension": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffe0b2", "color": "#e65100"},
    "conclusion": {"shape": "box", "style": "rounded,filled,bold", "penwidth": "2"},
}
EDGE_STYLES = {"supports": {"style": "solid"}, "not met": {"style": "dashed"},
               "needed": {"style": "dashed"}, "tension": {"style": "dotted", "color": "#e65100"},
               "pulls against": {"style": "dotted", "color": "#e65100", "penwidth": "1.5"}}


def lawyer_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The lawyer's view of a derivation graph: a new `networkx.DiGraph` whose nodes have a
    ``kind`` (a key of `KINDS`), a ``label`` (the words drawn, lines separated by line breaks)
    and the data the words come from; edges have a ``relation`` (a key of `EDGE_STYLES`)."""
    bearing = bearing_part(graph)  # without the norms of other pairs, and what reaches only them
    several = len({tuple(d["pair"]) for _, d in bearing.nodes(data=True)
                   if d["kind"] == "atom" and d["role"] == "conclusion" and d.get("pair")}) > 1
    kept = {node: _kept(graph, node) for node in bearing}
    # A norm that no facts could lift says so itself rather than in an "exception not met" node.
    no_exception = {node for node, key in kept.items()
                    if key is not None and key.startswith("unmet ") and _none_given(graph.nodes[node])}
    for node in no_exception:
        kept[node] = None
    lawyer = nx.DiGraph(conclusion=graph.graph.get("conclusion"), case=graph.graph.get("case"))
    for node in sorted(bearing):
        if kept[node] is not None:
            _add(lawyer, graph, node, kept[node], several)
    for node in no_exception:
        for rule in _lifted_norms(graph, node):
            key, role = kept.get(rule), _role(graph, rule, several)
            if key in lawyer and role in lawyer.nodes[key]["roles"]:
                roles = lawyer.nodes[key]["roles"]
                roles[roles.index(role)] = f"{role} ({NO_EXCEPTION})"
    for node in sorted(bearing):
        if kept[node] is None:
            continue
        for target in _next_kept(bearing, node, kept):
            if kept[target] != kept[node]:
                lawyer.add_edge(kept[node], kept[target],
                                relation=_relation(lawyer, kept[node], kept[target]))
    for tension, data in list(lawyer.nodes(data=True)):
        if data["kind"] == "tension":
            for status, other in list(lawyer.nodes(data=True)):
                if other["kind"] == "conclusion" and other.get("status") and other["pair"] == data["pair"]:
                    lawyer.add_edge(tension, status, relation="pulls against")
    for node, data in lawyer.nodes(data=True):
        if data["kind"] == "section":
            data["label"] = _section_label(data)
    return lawyer


def _kept(graph: nx.DiGraph, node: str) -> str | None:
    """The lawyer node a traced node becomes, or None when it is contracted away."""
    data = graph.nodes[node]
    if data["kind"] == "atom":
        if data["role"] == "conclusion":
            return f"conclusion {node}"
        return f"fact {node}" if data["role"] == "fact" and data["origin"] == "case" else None
    if data["kind"] == "rule":
        return f"section {data['ordinance']} {data['section']}" if data["section"] else None
    if data["predicate"] == LIFTED:
        return f"unmet {node}"
    return f"absent {data['atom']}" if data["predicate"] in CASE_PREDICATES else None


def _next_kept(graph: nx.DiGraph, start: str, kept: dict[str, str | None]) -> Iterator[str]:
    """The kept nodes reached from ``start`` by paths through nodes that are not kept."""
    seen, stack = {start}, list(graph.successors(start))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if kept[node] is not None:
            yield node
        else:
            stack.extend(graph.successors(node))


def _add(lawyer: nx.DiGraph, graph: nx.DiGraph, node: str, key: str, several: bool) -> None:
    data = graph.nodes[node]
    if key.startswith("fact "):
        lawyer.add_node(key, kind="case fact", atom=data["atom"],
                        label=_wrap(_fact_words(data["atom"], data["description"])))
    elif key.startswith("absent "):
        _add_absent(lawyer, data["atom"], data.get("description"))
    elif key.startswith("section "):
        if key not in lawyer:
            lawyer.add_node(key, kind="section", ordinance=data["ordinance"], section=data["section"],
                            quote=data["quote"], roles=[])
        role = _role(graph, node, several)
        if role and role not in lawyer.nodes[key]["roles"]:
            lawyer.nodes[key]["roles"].append(role)
    elif key.startswith("unmet "):
        _add_unmet(lawyer, graph, node, key)
    elif data["predicate"] == TENSION.name:
        lawyer.add_node(key, kind="tension", pair=data["pair"], sections=data["sections"],
                        against=data["against"], label=_tension_label(data))
    else:
        lawyer.add_node(key, kind="conclusion", pair=data.get("pair"), status=data["status"],
                        ordinance=data.get("ordinance"), action=data.get("action"),
                        sections=data.get("sections", []), label=_conclusion_label(data))


def _add_absent(lawyer: nx.DiGraph, atom: str, description: str | None) -> str:
    key = f"absent {atom}"
    lawyer.add_node(key, kind="not in the case", atom=atom,
                    label=_wrap(f"not in the case: {_fact_words(atom, description)}"))
    return key


def _fact_words(atom: str, description: str | None) -> str:
    """A case fact in the vocabulary's words; without a description, as a case file writes it."""
    return _words_of(atom, description) or atom


def _words_of(atom: str, description: str | None) -> str | None:
    """A case fact in words: its description, else its field as a case file writes it (`fact_label`);
    None for a fact left open by the rule it was read from (``request_purpose(Q,P)``)."""
    if description:
        return description
    try:
        symbol = clingo.parse_term(atom)
        *occasion, value = symbol.arguments
        label = fact_label(symbol.name, str(value))
    except (RuntimeError, KeyError, ValueError):  # a rule's variable or "_", or no field of the case format
        return None
    return f"request {occasion[0]}: {label}" if occasion else label


def _ways(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The ways of meeting an exception that name case facts, each of them in words (a graph not
    checked by deciding the changed case, as the report draws, may hold ways left open)."""
    return [way for way in data["ways"]
            if way["missing"] and all(_words_of(m["fact"], m["description"]) for m in way["missing"])]


def _role(graph: nx.DiGraph, rule: str, several: bool) -> str | None:
    """What a section's rule does to the action, in the deontic layer's words; None for a rule
    that reads a term of the section (a ``concept/3`` helper) rather than stating a norm."""
    data = graph.nodes[rule]
    head = graph.nodes[next(iter(graph.successors(rule)))]
    verb = NORM_VERBS.get(head["predicate"])
    if verb is None or data.get("pair") is None:
        return None
    if data["excepts"] not in (None, data["section"]):
        verb = f"makes an exception to {section_ref(data['excepts'])} for it"
    if head["predicate"] == RESTRICTS.name:
        verb += f" ({RESTRICTS.argument(clingo.parse_term(head['atom']), 'condition')})"
    # In a graph of several actions, "it" names the action.
    return re.sub(r"\bit\b", data["pair"][1], verb) if several else verb


def _section_label(data: dict[str, Any]) -> str:
    lines = [f"{data['ordinance']} {section_ref(data['section'])}", *data["roles"]]
    return "\n".join([*lines, _wrap(f"\"{data['quote']}\"", QUOTE_LINES)])


def _sections_text(sections: Iterable[str]) -> str:
    """'§ 7(a), § 7(a)(2) and § 15'."""
    refs = [section_ref(s) for s in sorted(sections, key=section_sort_key)]
    return " and ".join([", ".join(refs[:-1]), refs[-1]] if len(refs) > 1 else refs)


def _conclusion_label(data: dict[str, Any]) -> str:
    """'westchester § 10(a)(2) and § 10(b) forbid it: <the action's meaning>'."""
    if not data.get("pair"):  # an atom asked about that is no status, restriction or tension
        return data["atom"]
    meaning = data["meaning"] or data["action"]
    sections = data["sections"]
    if STATUS.name == data["predicate"]:
        verbs = STATUS_VERBS.get(data["status"])
        if verbs is None or not sections:
            said = f"{data['ordinance']}: {data['action']} is {data['status']}"
            return f"{said}\n{_wrap(meaning)}"
        verb = verbs[0] if len(sections) == 1 else verbs[1]
        said = f"{data['ordinance']} {_sections_text(sections)} {verb} it:"
        return f"{_wrap(said, width=WIDTH + 12)}\n{_wrap(meaning)}\n({data['action']}: {data['status']})"
    said = f"{data['ordinance']} {_sections_text(sections)} {NORM_VERBS[RESTRICTS.name]}:"
    return f"{_wrap(said, width=WIDTH + 12)}\n{_wrap(meaning)}"


def _tension_label(data: dict[str, Any]) -> str:
    verb = "forbids" if len(data["against"]) == 1 else "forbid"
    return _wrap(f"in tension: {data['ordinance']} {_sections_text(data['sections'])} permits it while "
                 f"{_sections_text(data['against'])} {verb} it")


def _add_unmet(lawyer: nx.DiGraph, graph: nx.DiGraph, node: str, key: str) -> None:
    """An exception not met: the section it would lift, the facts each way would have needed
    (drawn as facts not in the case, pointing to it), or why no change of facts meets it."""
    data = graph.nodes[node]
    lifted = _lifted_sections(graph, node)
    title = ", ".join(f"{o} {section_ref(s)}" for o, s in lifted) or data["atom"]
    lines = [f"exception to {title} not met"]
    ways = _ways(data)
    for way in ways:
        needed = " and ".join(_fact_words(m["fact"], m["description"]) for m in way["missing"])
        cited = ", ".join(section_ref(s["section"]) for s in way["sections"])
        either = "or " if len(lines) > 1 else ""
        lines.append(_wrap(f"{either}{cited or 'a rule'} would have needed: {needed}", 4))
    if not ways:
        lines.append(_wrap(_why_none(data)))
    lawyer.add_node(key, kind="exception not met", sections=[s for _, s in lifted], ways=ways,
                    label="\n".join(lines))
    for way in ways:
        for missing in way["missing"]:
            absent = _add_absent(lawyer, missing["fact"], missing["description"])
            lawyer.add_edge(absent, key, relation="needed")


def _lifted_norms(graph: nx.DiGraph, node: str) -> list[str]:
    """The rule instances stating the norm an absent ``lifted`` atom would have lifted: those
    deriving the norm beside it in the body of the rules it blocks."""
    return sorted({r for use in graph.successors(node) for atom in graph.predecessors(use)
                   for r in graph.predecessors(atom)
                   if graph.nodes[r]["kind"] == "rule" and graph.nodes[r]["section"]})


def _lifted_sections(graph: nx.DiGraph, node: str) -> list[tuple[str, str]]:
    """The (ordinance, section) of those norms."""
    return sorted({(graph.nodes[r]["ordinance"], graph.nodes[r]["section"])
                   for r in _lifted_norms(graph, node)})


def _none_given(data: dict[str, Any]) -> bool:
    """Whether the rules give no way at all to meet an exception (rather than ways that the
    changed case, decided again, showed not to work)."""
    return not (data["ways_read"] if data.get("verified") else data["ways"])


def _why_none(data: dict[str, Any]) -> str:
    """Why no way is shown when the rules give some: none of them is met by facts a case can
    state (each tried by deciding the changed case), or, in a graph whose ways were not
    tried, they leave open which facts."""
    if data.get("verified"):
        return ("no change of the case's facts meets it: each way the rules give was tried by deciding "
                "the changed case")
    return "the rules leave open which facts of the case would meet it"


def _relation(lawyer: nx.DiGraph, source: str, target: str) -> str:
    kinds = (lawyer.nodes[source]["kind"], lawyer.nodes[target]["kind"])
    if kinds[0] == "exception not met":
        return "not met"
    if kinds[0] == "not in the case":
        return "needed"
    return "tension" if kinds[1] == "tension" else "supports"


def _wrap(text: str, lines: int = 4, width: int = WIDTH) -> str:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] += " ..."
    return "\n".join(wrapped)


def render_lawyer(lawyer: nx.DiGraph, legend: bool = True):
    """A `graphviz.Digraph` of a lawyer graph (`lawyer_graph`), left to right (facts, sections, conclusion:
    the way the text reads, and a page's shape), with its legend."""
    import graphviz  # imported here: building graphs must not need it

    conclusion, case = lawyer.graph.get("conclusion"), lawyer.graph.get("case")
    # The case (when the graph knows it) and the one conclusion drawn; a list of them would be long.
    comment = " ".join([*([f"case {case}"] if case is not None else []),
                        *([conclusion] if isinstance(conclusion, str) else [])])
    dot = graphviz.Digraph(comment=dot_comment(comment),
                           graph_attr={"rankdir": "LR", "fontname": "Helvetica", "nodesep": "0.3",
                                       "ranksep": "0.4"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"color": "#555555", "arrowsize": "0.7"})
    order = list(KINDS)
    nodes = sorted(lawyer.nodes(data=True),
                   key=lambda item: (order.index(item[1]["kind"]), item[1]["label"]))
    ids = {node: f"n{i}" for i, (node, _) in enumerate(nodes)}
    for node, data in nodes:
        style = dict(KINDS[data["kind"]])
        if data["kind"] == "conclusion":
            colour = STATUS_COLOURS.get(data["status"] or "")
            style.update(fillcolor=colour or "#ffffff", fontcolor="white" if colour else "black")
        dot.node(ids[node], dot_text(data["label"]), **style)
    for source, target, data in sorted(lawyer.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]])):
        dot.edge(ids[source], ids[target], **EDGE_STYLES[data["relation"]])
    if legend:
        _legend(dot)
    return dot


def _legend(dot) -> None:
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Legend", fontsize="10", style="dashed", color="#999999")
        for index, (name, style) in reversed(list(enumerate(KINDS.items()))):
            style = dict(style)
            if name == "conclusion":
                style.update(fillcolor=STATUS_COLOURS["forbidden"], fontcolor="white")
                name = "conclusion\n(status colour)"
            legend.node(f"legend{index}", name, fontsize="9", **style)
        legend.node("legend_tension_edge", "dotted arrow: pulls\nthe other way", fontsize="9",
                    shape="plaintext", fontcolor="#e65100")
