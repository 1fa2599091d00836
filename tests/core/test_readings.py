"""READING/QUESTION ids: the rules' comments and docs/interpretations.md must agree.

The document explains every interpretive choice to lawyers; these tests keep it
from drifting away from the comments beside the rules (engine/core/readings.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import RuleBase
from engine.core.readings import (Reading, ReadingError, check_citations, check_document, citing_files,
                                  parse_rules, write_document)
from tests.conftest import ROOT

DOCUMENT = ROOT / "docs" / "interpretations.md"

FIX = "Fix: edit the comments in asp/ and run `python -m engine.core.readings --write`."
SWITCHES = {"toy_switch": ("plain", ("plain", "wide"))}


def _project_readings() -> list[Reading]:
    return parse_rules(ROOT / "asp", root=ROOT)


def _rules(tmp_path: Path, text: str) -> Path:
    (tmp_path / "toy").mkdir(exist_ok=True)
    (tmp_path / "toy" / "toy.lp").write_text(
        'ordinance(toy, "toy", "Toy ordinance").\n' + text, encoding="utf-8")
    return tmp_path


def test_every_reading_in_the_rules_has_a_unique_id_of_its_ordinance() -> None:
    readings = _project_readings()  # raises ReadingError, listing file:line, on a marker without an id
    assert len(readings) > 50
    assert {r.id.split("-")[0] for r in readings} >= {"beacon", "westchester", "nyc", "trust", "usc"}


def test_the_document_agrees_with_the_rules(rules: RuleBase) -> None:
    problems = check_document(DOCUMENT.read_text(encoding="utf-8"), _project_readings(), rules.catalog.switches)
    assert not problems, "\n".join(problems) + "\n" + FIX


def test_tests_examples_and_other_documents_cite_only_ids_the_rules_have() -> None:
    readings = _project_readings()
    files = citing_files(ROOT)
    assert ROOT / "tests" / "examples_expected.yaml" in files and DOCUMENT not in files
    problems = [f"{path.relative_to(ROOT)}: {problem}" for path in files
                for problem in check_citations(path.read_text(encoding="utf-8"), readings)]
    assert not problems, "\n".join(problems)


def test_every_switch_value_has_a_reading_listed_in_the_document(rules: RuleBase) -> None:
    document = DOCUMENT.read_text(encoding="utf-8")
    readings = _project_readings()
    for law, (default, values) in rules.catalog.switches.items():
        for value in {default, *values}:
            ids = [r.id for r in readings if r.switch == (law, value)]
            assert ids, f"switch {law}={value}: no READING in asp/ names it with (switch {law}={value})"
            assert all(f"| `{law}` | `{value}`" in document and f"(#{i})" in document for i in ids)


@pytest.mark.parametrize("comment", ["% READING: x is y.", "% QUESTION: is x y?", "% x is y (QUESTION).",
                                     "% READING (switch toy_switch=wide): x.", "% READING Toy-X: x."])
def test_a_marker_without_a_well_formed_id_fails(tmp_path: Path, comment: str) -> None:
    with pytest.raises(ReadingError, match=r"toy/toy\.lp:2: "):
        parse_rules(_rules(tmp_path, comment + "\n"), root=tmp_path)


def test_an_id_used_twice_or_of_another_ordinance_fails(tmp_path: Path) -> None:
    text = "% READING toy-1-a: one.\np.\n% QUESTION toy-1-a: two.\n% READING beacon-1-b: three.\n"
    with pytest.raises(ReadingError) as error:
        parse_rules(_rules(tmp_path, text), root=tmp_path)
    assert [p.split(": ")[0] for p in error.value.problems] == ["toy/toy.lp:5", "toy/toy.lp:4"]
    assert "must start with 'toy-'" in error.value.problems[0]
    assert "already the id of toy/toy.lp:2" in error.value.problems[1]


def test_a_comment_s_text_runs_to_a_blank_line_a_rule_or_the_next_marker(tmp_path: Path) -> None:
    text = ("%## 1(a) Words\n% READING toy-1a-one: first\n% line.\n% QUESTION toy-1a-two: second.\n"
            "% EXCEPTION not part of it\n% READING toy-1a-three (switch toy_switch=wide): third\n%\n% no.\n")
    one, two, three = parse_rules(_rules(tmp_path, text), root=tmp_path)
    assert (one.kind, one.heading, one.text) == ("READING", "1(a) Words", "first line.")
    assert (two.kind, two.text) == ("QUESTION", "second.")
    assert (three.switch, three.text) == (("toy_switch", "wide"), "third")


def test_the_check_reports_drift_unknown_ids_and_switch_values_without_a_reading(tmp_path: Path) -> None:
    readings = parse_rules(_rules(tmp_path, "% READING toy-1-a (switch toy_switch=wide): a.\n"), root=tmp_path)
    document = write_document("# Doc\n", readings, SWITCHES)
    assert check_document(document, readings, SWITCHES) == [
        "switch toy_switch=plain has no READING (switch toy_switch=plain) in the rules"]
    switches = {"toy_switch": ("wide", ("wide",))}
    assert check_document(document.replace("a.\n", "b.\n"), readings, switches) == [
        "the block for toy/toy.lp is not what the rules say", "the block for switches is not what the rules say"]
    assert check_document(write_document("See READING toy-1-b.\n", readings, switches), readings, switches) == [
        "the document cites READING toy-1-b, which no rule file has"]
    assert check_citations("(READING T-6) and QUESTION toy-1-a", readings) == [
        "cites toy-1-a as a QUESTION; the rules have a READING", "cites READING T-6, an id of the old scheme"]
    assert check_document("# Doc\n", readings, switches) == ["no block for toy/toy.lp", "no block for switches"]
