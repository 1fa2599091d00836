"""The vocabulary table is the one place that knows the case format.

Everything that spells out the case format is derived from it, or checked
against it here: the validator and the facts (round trips), the case space
that `check` searches and the what-if space (generated blocks, and the case
space holds exactly the cases the validator accepts), the JSON Schema, the CSV
columns, `generate`, and the ``#defined`` lines of asp/vocabulary/case.lp.
The last test walks through adding a field, as docs/vocabulary.md tells.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import clingo
import pytest

from engine.batch.csv_cases import case_columns, flatten_case, unflatten_case
from engine.batch.generate import generate_cases
from engine.core.asp_blocks import stale_blocks
from engine.core.cases import Case, load_cases, parse_case
from engine.core.errors import CaseError
from engine.core.facts import case_facts, case_from_atoms
from engine.core.rulebase import builtin_rules_dir
from engine.core.schema import case_schema
from engine.core.vocabulary import IMPLICATIONS, case_predicates, fact_fields
from tests.conftest import EXAMPLES, ROOT

REQUESTS = 2


def generated(rules, n: int = 300, seed: int = 11) -> list[Case]:
    """Generated cases, cut to the case space's request bound."""
    cases = []
    for data in generate_cases(rules.catalog, n, seed):
        data["requests"] = data.get("requests", [])[:REQUESTS]
        cases.append(parse_case(data, rules.catalog, "generated", data["id"]))
    return cases


def test_generated_asp_blocks_are_current() -> None:
    assert stale_blocks() == [], "run: python -m engine.core.asp_blocks --write"


def test_case_lp_declares_exactly_the_case_predicates() -> None:
    text = (builtin_rules_dir() / "vocabulary" / "case.lp").read_text(encoding="utf-8")
    declared = set(re.findall(r"^#defined (\w+)/\d+\.", text, re.MULTILINE))
    assert declared == set(case_predicates())


def test_shipped_schema_is_current(rules) -> None:
    shipped = json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))
    assert shipped == case_schema(rules.catalog), "run: ordinance schema > docs/case.schema.json"


def test_schema_accepts_what_the_validator_accepts_and_rejects_unknown_fields(rules) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(case_schema(rules.catalog))
    examples = [p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".json")]
    for path in examples:
        for case in load_cases(path, rules.catalog):
            assert not list(validator.iter_errors(case.to_dict())), path
    for case in generated(rules, 100):
        assert not list(validator.iter_errors(case.to_dict()))
    for bad in ({"agency": "sheriff"}, {"person": {"consnet": True}}, {"requests": [{"from": "ice"}]},
                {"requests": [{"kind": "detainer", "info": ["shoe_size"]}]}):
        assert list(validator.iter_errors(bad)), bad
        with pytest.raises(CaseError):
            parse_case(bad, rules.catalog, "bad", "bad")


def test_validator_round_trips_through_dict_csv_and_facts(rules) -> None:
    for case in generated(rules):
        assert parse_case(case.to_dict(), rules.catalog, "again", case.id) == case
        assert parse_case(unflatten_case(flatten_case(case.to_dict())), rules.catalog, "csv", case.id) == case
        assert set(flatten_case(case.to_dict())) <= set(case_columns(rules.catalog, REQUESTS))
        assert set(case_from_atoms(case_facts(case), case.id).facts) == set(case.facts)


def test_impossible_cases_are_rejected_with_the_fix(rules) -> None:
    for rule in IMPLICATIONS:
        case = Case.from_facts("x", [rule.fact])
        with pytest.raises(CaseError, match=f"needs .*{rule.needs[1]}.*Fix: state"):
            parse_case(case.to_dict(), rules.catalog, "x", "x")


def _case_space(rules) -> clingo.Control:
    control = rules.control([], ["--warn=none", "-c", f"requests={REQUESTS}"])
    control.load(str(builtin_rules_dir() / "analysis" / "case_space.lp"))
    control.ground([("base", [])])
    return control


def _space_atoms(control: clingo.Control) -> list[clingo.Symbol]:
    names = case_predicates()
    return [a.symbol for a in control.symbolic_atoms if a.symbol.name in names and a.symbol.name != "reading"]


def test_every_case_the_validator_accepts_is_in_the_case_space(rules) -> None:
    """Each generated case, its facts true and every other case fact false, is an answer set."""
    control = _case_space(rules)
    atoms = _space_atoms(control)
    for case in generated(rules):
        facts = set(case_facts(case))
        assert facts <= set(atoms), facts - set(atoms)
        assumptions = [(atom, atom in facts) for atom in atoms]
        assert control.solve(assumptions=assumptions).satisfiable, case.to_dict()


def test_every_case_in_the_case_space_is_one_the_validator_accepts(rules) -> None:
    """Random answer sets of the case space read back as valid cases with the same facts."""
    control = _case_space(rules)
    names = case_predicates()
    seen = 0
    for seed in range(60):
        control.configuration.solver.seed = seed
        control.configuration.solver.rand_freq = 1.0
        with control.solve(yield_=True) as handle:
            model = next(iter(handle))
            atoms = [a for a in model.symbols(atoms=True) if a.name in names]
        case = case_from_atoms(atoms, f"space-{seed}")
        assert parse_case(case.to_dict(), rules.catalog, "space", case.id).facts == case.facts
        assert set(case_facts(case)) == set(atoms)
        seen += bool(case.facts)
    assert seen > 50


def test_each_fact_field_has_a_domain_and_words(rules) -> None:
    for _, item in fact_fields():
        values = rules.catalog.domains[item.domain]
        assert values, item.domain
        for value in values:
            assert (item.domain, value) in rules.catalog.descriptions, (item.domain, value)


def test_adding_a_field_takes_the_table_and_the_rules_only(tmp_path: Path) -> None:
    """The walk-through of docs/vocabulary.md, on a copy of the package: one table entry,
    its domain/2 and describes/3 facts, the generated blocks rewritten; then a case
    file can state it, and facts, schema, CSV columns and the case space know it."""
    for package in ("engine", "asp", "visualize"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    table = tmp_path / "engine" / "core" / "vocabulary.py"
    text = table.read_text(encoding="utf-8")
    anchor = '        FactField("convictions", Shape.LIST, "conviction", "conviction", "the person\'s convictions"),\n'
    assert anchor in text
    table.write_text(text.replace(anchor, anchor + '        FactField("languages", Shape.LIST, "language", '
                                                   '"language", "languages the person speaks"),\n'),
                     encoding="utf-8")
    vocabulary = tmp_path / "asp" / "vocabulary" / "case.lp"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "#defined determination/1.\n", "#defined determination/1.\n#defined language/1.\n")
        + '\ndomain(language, (english; spanish)).\n'
          'describes(language, english, "the person speaks English").\n'
          'describes(language, spanish, "the person speaks Spanish").\n', encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text("person: {languages: [spanish]}\n", encoding="utf-8")

    def ordinance(*argv: str) -> str:
        return subprocess.run([sys.executable, "-m", *argv], cwd=tmp_path, capture_output=True,
                              text=True, check=True, env={"PATH": "/usr/bin:/bin"}).stdout

    assert "written" in ordinance("engine.core.asp_blocks", "--write")
    assert "language(spanish)." in ordinance("engine", "facts", str(case))
    schema = json.loads(ordinance("engine", "schema"))
    assert schema["$defs"]["case"]["properties"]["person"]["properties"]["languages"]["items"]["enum"] \
        == ["english", "spanish"]
    space = (tmp_path / "asp" / "analysis" / "case_space.lp").read_text(encoding="utf-8")
    assert "{ language(V) : domain(language, V) }." in space and "#show language/1." in space
    assert "whatif_now(language(V)) :- language(V)." in \
        (tmp_path / "asp" / "counterfactual" / "search.lp").read_text(encoding="utf-8")
    assert "person.languages" in ordinance("engine", "generate", "--n", "1", "--format", "csv").splitlines()[0]
    assert ordinance("engine", "decide", str(case), "--format", "json")
