"""Counterexamples the property suite (this directory) found, kept as plain tests so that
each fix is pinned by the example that showed the bug, whatever the properties draw."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from engine import RuleBase, load_case, parse_case


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_bom_is_no_part_of_a_case_file(rules: RuleBase, suffix: str, tmp_path: Path) -> None:
    """Editors on Windows save UTF-8 with a BOM; the file means what it says without one
    (a JSON case file with a BOM was refused as "invalid JSON: Unexpected UTF-8 BOM")."""
    path = tmp_path / f"c{suffix}"
    path.write_bytes(codecs.BOM_UTF8 + b'{"id": "x", "agency": "police"}')
    assert load_case(path, rules.catalog) == parse_case({"id": "x", "agency": "police"}, rules.catalog, "", "")
