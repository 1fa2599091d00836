"""minimal.lp's tie-break ranks the possible facts, field by field, exactly as clingo orders them.

The ranks are spelled out per field (engine.core.asp_blocks.fact_rank_block) so that
grounding them does not compare every pair of possible facts; they must still be the
ranks of clingo's order of terms, or witnesses would change with the number of requests.
"""

from __future__ import annotations

import pytest

from engine.analysis.search import analysis_file


@pytest.mark.parametrize("requests", [1, 2, 3, 12])
def test_ranks_are_those_of_the_order_of_terms(rules, requests: int) -> None:
    control = rules.control([], ["--warn=none", "-c", f"requests={requests}"])
    for name in ("case_space.lp", "minimal.lp"):
        control.load(str(analysis_file(name)))
    control.ground([("base", [])])
    possible = sorted(a.symbol.arguments[0] for a in control.symbolic_atoms.by_signature("possible_fact", 1))
    ranks = {a.symbol.arguments[0]: a.symbol.arguments[1].number
             for a in control.symbolic_atoms.by_signature("fact_rank", 2)}
    assert ranks == {fact: rank for rank, fact in enumerate(possible)}
