"""The JSON Schema of case files agrees with the validator (issue 12, item 7).

`engine.core.schema` and `engine.core.cases` are both written from the vocabulary
table; an editor checking a file against the schema must flag what the engine
refuses and accept what it reads.  The one rule the schema cannot state,
`IMPLICATIONS` (a fact that needs another), is the one allowed difference, and
JSON Schema counts ``1.0`` as an integer where the engine wants an id as text or
a whole number written as one.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given

from engine.core.cases import parse_case
from engine.core.errors import CaseError
from engine.core.schema import case_schema
from engine.core.vocabulary import IMPLICATIONS, fact_path
from tests.properties.strategies import CATALOG, cases, mutated, rewrites

VALIDATOR = jsonschema.Draft202012Validator(case_schema(CATALOG))
#: What an impossible case is refused for: a check the schema says in its description only.
IMPLIED = {fact_path(*rule.fact) for rule in IMPLICATIONS}


@given(cases().flatmap(rewrites))
def test_a_case_the_engine_reads_is_valid_under_the_schema(data: dict[str, Any]) -> None:
    parse_case(data, CATALOG, "test", "default")
    assert VALIDATOR.is_valid(data), next(VALIDATOR.iter_errors(data)).message


@given(mutated())
def test_a_case_the_engine_refuses_is_invalid_under_the_schema(pair: tuple[dict[str, Any], str]) -> None:
    data, field = pair
    try:
        parse_case(data, CATALOG, "test", "default")
    except CaseError as error:
        if VALIDATOR.is_valid(data):
            whole = isinstance(data.get("id"), float) and data["id"].is_integer()
            assert (error.field in IMPLIED and "needs" in error.problem) or (field == "id" and whole), str(error)
    else:
        raise AssertionError(f"accepted, though {field} is wrong")
