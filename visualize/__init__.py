"""Graphs of what the engine concluded, as networkx graphs rendered with graphviz."""

from visualize.decision_graph import decision_graph, render_decision
from visualize.derivation import render_derivation, write_graph

__all__ = ["decision_graph", "render_decision", "render_derivation", "write_graph"]
