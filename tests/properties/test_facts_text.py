"""The facts text of a case states exactly the case's facts, and they give the case back
(issue 12, item 7).

`ordinance facts` prints `case_to_lp`: whatever the case's id (a line break, a
``%``, a quote, U+2028), clingo reads from it exactly the facts of the case and
the readings chosen, nothing more (no rule, no other fact); each fact line is
one term; and the case read back from those atoms (`case_from_atoms`, how a
witness or a what-if answer becomes a case) states the same facts, which
`Case.from_facts` puts back in the case's own order.
"""

from __future__ import annotations

import clingo
from hypothesis import example, given
from hypothesis import strategies as st

from engine.core.cases import Case, parse_case
from engine.core.facts import case_facts, case_from_atoms, case_to_lp, reading_facts
from tests.properties.strategies import CATALOG, cases


def switches() -> st.SearchStrategy[dict[str, str]]:
    """Readings a user can choose with ``--switch``."""
    return st.fixed_dictionaries({}, optional={law: st.sampled_from(values)
                                               for law, (_, values) in CATALOG.switches.items()})


def _case(data: dict) -> Case:
    return parse_case(data, CATALOG, "test", "default")


def _atoms(text: str) -> set[clingo.Symbol]:
    """Every atom a program of ``text`` alone makes true, read by clingo itself."""
    control = clingo.Control(["--warn=none"])
    control.add("base", [], text)
    control.ground([("base", [])])
    atoms: set[clingo.Symbol] = set()
    control.solve(on_model=lambda model: atoms.update(model.symbols(atoms=True)))
    return atoms


@given(cases(), switches())
@example({"id": "x\n#show.\nrule :- .\n% "}, {})
@example({"id": "\u2028p.\u2029q.\x85r.", "agency": "police"}, {"usc_1373": "broad"})
@example({"id": "*% %*"}, {})
def test_the_facts_text_states_exactly_the_cases_facts(data: dict, readings: dict[str, str]) -> None:
    case = _case(data)
    text = case_to_lp(case, readings)
    expected = case_facts(case) + reading_facts(readings)
    assert _atoms(text) == set(expected)
    lines = text.splitlines()
    assert len(lines) == len(text.split("\n")) - 1  # no line break but "\n": each line is what it seems
    comments = [line for line in lines if line.startswith("%")]
    facts = [line for line in lines if not line.startswith("%")]
    assert all(not line.startswith("%*") for line in comments)  # no block comment swallowing facts
    assert [clingo.parse_term(line.removesuffix(".")) for line in facts] == expected


@given(cases(), st.randoms(use_true_random=False))
def test_the_facts_give_the_case_back(data: dict, random) -> None:
    case = _case(data)
    atoms = list(_atoms(case_to_lp(case, {"usc_1373": "broad"})))
    read = case_from_atoms(atoms, case.id)
    assert set(read.facts) == set(case.facts) and len(read.facts) == len(case.facts)
    assert _case({**read.to_dict(), "id": case.id}).facts == read.facts  # a case read back is a valid case
    shuffled = list(case.facts)
    random.shuffle(shuffled)
    assert Case.from_facts(case.id, shuffled, like=case) == case
