"""The core: the case vocabulary, the rule base, case files, facts, solving and results.

Everything else (explanations, analysis, batch, rendering) is built on these
modules; none of them imports from the other subpackages.
"""
