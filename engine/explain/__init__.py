"""Explanations: which rules fired (trace), which sections they encode (provenance),
the derivation graph, its reasons in words, and what-if on the case and on the law."""

from engine.explain.explanation import Explanation, explain

__all__ = ["Explanation", "explain"]
