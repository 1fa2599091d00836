"""A JSON Schema for case files, written from the vocabulary table and the catalog.

Editors (VS Code's YAML and JSON support, JetBrains IDEs) complete and check a
case file against it as it is typed; ``docs/case.schema.json`` is the schema of
the built-in rules (a test keeps it current) and ``ordinance schema`` prints it
for the rules loaded, so ordinances added with ``--rules`` are included.  The
engine's own validator (`engine.core.cases`) follows the same table, with one
rule a schema cannot say in this form: `IMPLICATIONS` (a fact that needs another).
"""

from __future__ import annotations

from typing import Any

from engine.core.catalog import Catalog
from engine.core.vocabulary import CASE_FORMAT, IMPLICATIONS, Container, MetaField, Shape, fact_label

__all__ = ["case_schema", "SCHEMA_ID"]

SCHEMA_ID = "https://ordinance-engine.invalid/case.schema.json"


def _enum(values: tuple[str, ...], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _object(container: Container, catalog: Catalog) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for item in container.fields:
        if isinstance(item, MetaField):
            properties[item.key] = _meta(item, catalog)
        elif isinstance(item, Container):
            inner = _object(item, catalog)
            properties[item.key] = ({"type": "array", "items": inner, "description": item.help}
                                    if item.repeated else {**inner, "description": item.help})
        elif item.shape is Shape.FLAGS:
            for value in catalog.domains[item.domain]:
                words = catalog.descriptions.get((item.domain, value), item.help)
                properties[value] = {"type": "boolean", "description": words}
        elif item.shape is Shape.LIST:
            properties[item.key] = {"type": "array", "uniqueItems": True, "description": item.help,
                                    "items": _enum(catalog.domains[item.domain], item.help)}
        else:
            properties[item.key] = _enum(catalog.domains[item.domain], item.help)
            if item.default is not None:
                properties[item.key]["default"] = item.default
            if item.required:
                required.append(item.key)
    for key, value in properties.items():
        if key not in required:
            properties[key] = _or_absent(value)
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def _or_absent(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema, also accepting null: the engine reads a null field as absent (YAML writes
    ``agency:`` with nothing after it as null), so an editor must not flag it."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    widened = {**schema, "type": [*types, "null"]}
    if "enum" in schema:
        widened["enum"] = [*schema["enum"], None]
    return widened


def _meta(item: MetaField, catalog: Catalog) -> dict[str, Any]:
    if item.key == "id":
        return {"type": ["string", "integer"], "description": item.help}
    values = tuple(catalog.ordinances) if item.key == "ordinances" else tuple(catalog.actions)
    return {"type": "array", "uniqueItems": True, "items": {"type": "string", "enum": list(values)},
            "description": item.help}


def case_schema(catalog: Catalog) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case file: one case object or a list of them."""
    case = _object(CASE_FORMAT, catalog)
    notes = "; ".join(f"{fact_label(*r.fact)} needs {fact_label(*r.needs)}: {r.why}" for r in IMPLICATIONS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ordinance-engine case file",
        "description": "One case, or a list of cases (docs/contract.md). Checked by the engine "
                       f"beyond this schema: {notes}.",
        "$defs": {"case": {**case, "description": CASE_FORMAT.help}},
        "oneOf": [{"$ref": "#/$defs/case"},
                  {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/case"}}],
    }
