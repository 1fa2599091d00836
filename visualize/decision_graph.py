"""Which sections decided which actions: a decision as a bipartite graph.

Nodes are sections (``("section", ordinance, label)``) and actions
(``("action", ordinance, action)``); an edge says how the section bears on the
action: it ``decides`` its status, its exception ``excepts`` it, or it stands
in ``tension`` with another section.  Everything is read from the `Decision`,
i.e. from the solver's answer.  Graphviz is only needed to render, not to build.
"""

from __future__ import annotations

import networkx as nx

from engine.core.results import Decision
from engine.core.catalog import section_ref
from visualize.dot_text import dot_comment, dot_text

__all__ = ["decision_graph", "render_decision", "STATUS_COLOURS"]

STATUS_COLOURS = {"forbidden": "#d62728", "obligated": "#1f77b4", "permitted": "#2ca02c",
                  "conflict": "#9467bd", "silent": "#7f7f7f"}
EDGE_STYLES = {"decides": "solid", "excepts": "dashed", "tension": "dotted"}


def decision_graph(decision: Decision, include_silent: bool = False) -> nx.MultiDiGraph:
    """The sections and actions of a decision; one edge per way a section bears on an action

    (a section can both except an action and stand in tension over it, hence a multigraph).
    """
    graph = nx.MultiDiGraph(case=decision.case)
    for row in decision.results:
        if row.status == "silent" and not include_silent:
            continue
        action = ("action", row.ordinance, row.action)
        graph.add_node(action, kind="action", label=row.action, status=row.status,
                       ordinance=row.ordinance)
        for relation, sections in (("decides", row.sections), ("excepts", row.exceptions),
                                   ("tension", row.tensions)):
            for section in sections:
                node = ("section", row.ordinance, section)
                graph.add_node(node, kind="section", label=f"{row.ordinance} {section_ref(section)}",
                               ordinance=row.ordinance)
                graph.add_edge(node, action, key=relation, relation=relation)
    return graph


def render_decision(graph: nx.MultiDiGraph):
    """A `graphviz.Digraph` of the graph (shown inline by Jupyter), left to right."""
    import graphviz  # imported here: building graphs must not need it

    dot = graphviz.Digraph(comment=dot_comment(f"case {graph.graph.get('case', '')}"),
                           graph_attr={"rankdir": "LR", "fontname": "Helvetica"},
                           node_attr={"fontname": "Helvetica", "fontsize": "11"})
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes, key=str))}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "section":
            dot.node(ids[node], dot_text(data["label"]), shape="note")
        else:
            dot.node(ids[node], dot_text(f"{data['label']}\n{data['status']}"), shape="box",
                     style="rounded,filled", fillcolor=STATUS_COLOURS[data["status"]], fontcolor="white")
    for source, target, data in graph.edges(data=True):
        dot.edge(ids[source], ids[target], label=data["relation"], style=EDGE_STYLES[data["relation"]])
    return dot
