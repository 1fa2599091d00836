"""The one-pass validation (`quick_case`, issue 15 item 2) gives exactly the case the full check
gives, or leaves the object to the full check: never another case, and never a bad case accepted.
So every error message stays the full check's (test_bad_cases.py checks them)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from engine.batch.generate import generate_cases
from engine.core.cases import Case, check_case, parse_case, quick_case
from engine.core.errors import CaseError
from tests.properties.strategies import CATALOG, PYTHON_ONLY, cases, mutations, rewrites


def _full(data: Any) -> Case | CaseError:
    try:
        return check_case(data, CATALOG, "test", "default")
    except CaseError as error:
        return error


@given(cases().flatmap(rewrites))
@example({"id": "x", "person": {"release_eligible": True, "in_custody": True}})
@example({"requests": [{"kind": "detainer", "from": None, "determinations": None}], "person": None})
def test_a_valid_case_is_read_in_one_pass_as_the_full_check_reads_it(data: dict[str, Any]) -> None:
    assert quick_case(data, CATALOG, "default") == _full(data)


@given(cases().flatmap(lambda case: mutations(case, python_values=True)))
@example(({"person": {"release_eligible": True}}, "person.release_eligible"))
@example(({"id": True}, "id"))
@example(({"requests": [{"from": "ice"}]}, "requests[0].kind"))
@example(({"person": {"roles": ["victim", "victim"]}}, "person.roles"))
def test_a_case_with_one_thing_wrong_is_left_to_the_full_check(mutated: tuple[dict[str, Any], str]) -> None:
    data, _ = mutated
    assert quick_case(data, CATALOG, "default") is None
    assert isinstance(_full(data), CaseError)


@given(st.one_of(PYTHON_ONLY, st.lists(st.integers()), st.text()))
def test_what_is_not_a_case_object_is_left_to_the_full_check(data: Any) -> None:
    assert quick_case(data, CATALOG, "default") is None


def test_generated_batch_cases_take_the_one_pass_and_give_the_same_cases() -> None:
    generated = list(generate_cases(CATALOG, 300, seed=9))
    quick = [quick_case(data, CATALOG, "d") for data in generated]
    assert None not in quick
    assert quick == [check_case(data, CATALOG, "w", "d") for data in generated]
    assert quick == [parse_case(data, CATALOG, "w", "d") for data in generated]
