"""Drawing a derivation graph (`engine.explain.derivation`) with graphviz, in one of two views.

``detail="lawyer"`` (the default) draws the lawyer's view: the case's facts in words, the
sections that apply, the exceptions not met, tensions and the conclusion in words
(`visualize.lawyer_view`, a contraction of the same graph).  ``detail="full"`` draws the
engineer's view: every rule instance and atom of the derivation, in one visual language
shown in the legend drawn with it:

* case fact: yellow box, with the vocabulary's words for it;
* fact of the rule files: grey box;
* derived atom: white ellipse;
* rule instance citing a section: blue note with "ordinance § section" (the
  bare label where it is no section number) and the section's words; any other
  rule (the deontic layer, a helper whose predicate no concept/3 declares): small
  rounded box with where it is written, its text as the tooltip;
* condition that did not hold (``not ...``, an exception not met): dashed box
  with what it would have needed;
* the conclusion: ellipse filled with its status colour.

Reasons point to what they support, top down: case facts at the top, the
conclusion at the bottom, the legend in a row above them.  Building the `graphviz.Digraph` needs no Graphviz binary
(DOT output); SVG and PNG do, and their absence is an `EngineError` naming it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx

from engine.core.errors import EngineError
from engine.core.catalog import section_ref
from visualize.decision_graph import STATUS_COLOURS
from visualize.dot_text import dot_comment, dot_text

__all__ = ["render_derivation", "write_graph", "GRAPH_FORMATS", "DETAILS"]

GRAPH_FORMATS = ("dot", "svg", "png")
#: The views of a derivation: the lawyer's (the default) and the engineer's (every rule and atom).
DETAILS = ("lawyer", "full")
WIDTH = 44
MAX_LINES = 6
STYLES = {
    "case fact": {"shape": "box", "style": "filled", "fillcolor": "#fff3b0"},
    "rule-file fact": {"shape": "box", "style": "filled", "fillcolor": "#e0e0e0"},
    "derived atom": {"shape": "ellipse", "style": "solid"},
    "section": {"shape": "note", "style": "filled", "fillcolor": "#dbe8fb"},
    "other rule (file:line)": {"shape": "box", "style": "rounded", "fontsize": "8", "height": "0.2"},
    "not met": {"shape": "box", "style": "dashed", "fontcolor": "#555555"},
}


def _wrap(text: str, lines: int = MAX_LINES) -> str:
    wrapped = textwrap.wrap(text, WIDTH) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] += " ..."
    return "\n".join(wrapped)


def _atom_style(data: dict) -> tuple[str, dict[str, str]]:
    if data["role"] == "conclusion":
        colour = STATUS_COLOURS.get(data["status"])
        return data["atom"], {"shape": "ellipse", "style": "filled,bold", "penwidth": "2",
                              "fillcolor": colour or "#ffffff", "fontcolor": "white" if colour else "black"}
    if data["role"] == "fact":
        kind = "case fact" if data["origin"] == "case" else "rule-file fact"
        label = f"{_wrap(data['description'], 2)}\n{data['atom']}" if data["description"] else data["atom"]
        return label, STYLES[kind]
    return data["atom"], STYLES["derived atom"]


def _rule_style(data: dict) -> tuple[str, dict[str, str]]:
    if data["section"] is None:
        # Kept small: the deontic layer is the same for every ordinance; its text is the tooltip.
        return data["where"].rsplit("/", 1)[-1], {**STYLES["other rule (file:line)"],
                                                  "tooltip": dot_text(data["text"])}
    return (f"{data['ordinance']} {section_ref(data['section'])}\n\"{_wrap(data['quote'])}\"",
            {**STYLES["section"], "tooltip": dot_text(data["text"])})


def _negated_style(data: dict) -> tuple[str, dict[str, str]]:
    lines = [f"not {data['atom']}"]
    for way in data["ways"]:
        sections = ", ".join(section_ref(s['section']) for s in way["sections"])
        if not way["missing"]:
            # Nothing of the case missing: what blocked it is a negated or arithmetic condition,
            # which the reading of the rules does not follow (engine.explain.needs).
            if sections:
                lines.append(_wrap(f"{sections}: blocked by a negated or arithmetic condition", 3))
            continue
        needs = " and ".join(m["description"] or m["fact"] for m in way["missing"])
        lines.append(_wrap(f"{sections or 'a rule'} would need: {needs}", 3))
    if len(lines) == 1:
        lines.append("(no rule could derive it)" if not data["ways"]
                     else "(blocked by a negated or arithmetic condition)")
    return "\n".join(lines), STYLES["not met"]


def _legend(dot) -> None:
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Legend", fontsize="10", style="dashed", color="#999999")
        for index, (name, style) in reversed(list(enumerate(STYLES.items()))):
            legend.node(f"legend{index}", name, fontsize="9", **{k: v for k, v in style.items()
                                                                  if k != "fontsize"})
        legend.node("legend_conclusion", "conclusion\n(status colour)", fontsize="9", shape="ellipse",
                    style="filled,bold", fillcolor=STATUS_COLOURS["forbidden"], fontcolor="white")


def render_derivation(graph: nx.DiGraph, legend: bool = True, *, detail: str = "lawyer"):
    """A `graphviz.Digraph` of a derivation graph (Jupyter shows it inline): the lawyer's view
    (``detail="lawyer"``, `visualize.lawyer_view`) or every rule and atom (``detail="full"``)."""
    if detail not in DETAILS:
        raise EngineError(f"detail '{detail}': unknown view. Fix: use one of {', '.join(DETAILS)}.")
    if detail == "lawyer":
        from visualize.lawyer_view import lawyer_graph, render_lawyer

        return render_lawyer(lawyer_graph(graph), legend)
    import graphviz  # imported here: building graphs must not need it

    dot = graphviz.Digraph(comment=dot_comment(str(graph.graph.get("conclusion", ""))),
                           graph_attr={"rankdir": "TB", "fontname": "Helvetica", "nodesep": "0.3",
                                       "ranksep": "0.3"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"color": "#555555", "arrowsize": "0.7"})
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    for node, data in graph.nodes(data=True):
        style = {"atom": _atom_style, "rule": _rule_style, "negated": _negated_style}[data["kind"]]
        label, attributes = style(data)
        dot.node(ids[node], dot_text(label), **attributes)
    for source, target, data in graph.edges(data=True):
        dot.edge(ids[source], ids[target], style="dashed" if data["relation"] == "absent" else "solid")
    if legend:
        _legend(dot)
    return dot


def write_graph(dot, target: Path) -> None:
    """Write the drawing as .dot (no binary needed), .svg or .png (needs Graphviz's `dot`)."""
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in GRAPH_FORMATS:
        raise EngineError(f"--graph {target}: unknown format '{suffix}'. "
                          "Fix: end the name in .dot, .svg or .png.")
    if suffix == "dot":
        target.write_text(dot.source, encoding="utf-8")
        return
    import graphviz

    try:
        drawing = dot.pipe(format=suffix)
    except graphviz.ExecutableNotFound:
        raise EngineError(f"--graph {target}: the Graphviz program `dot` is not installed. Fix: install "
                          "the Graphviz package (e.g. `apt-get install graphviz`) or write a .dot "
                          "file.") from None
    except (graphviz.CalledProcessError, OSError) as error:
        # Not a missing install: Graphviz ran and failed (every user text reaches it escaped).
        raise EngineError(f"--graph {target}: Graphviz could not render ({error}). Fix: write a .dot "
                          "file and check it with `dot`.") from None
    target.write_bytes(drawing)  # a path it cannot write to is an OSError, named as such by the command line
