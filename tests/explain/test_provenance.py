"""Every helper predicate of the shipped rule files says which section it encodes.

An explanation cites a helper rule's section through the ``concept/3`` fact
that declares its head predicate (`engine.explain.provenance`), never through
where the rule sits in its file.  So a helper added without a declaration
would silently cite nothing: this test makes that a decision, not an accident.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clingo import ast

from engine import load_rule_base
from engine.core.ast_terms import constant, head_atoms
from engine.core.vocabulary import DECLARATIONS, NORMS, ORDINANCE, PREVAILS
from engine.core.catalog import section_ref
from engine.explain.provenance import Citation, declared_concepts, rule_citations
from engine.explain.trace import traced_program
from tests.conftest import ROOT

RULE_FILES = sorted([*(ROOT / "asp" / "ordinances").glob("*.lp"), *(ROOT / "asp" / "federal").glob("*.lp"),
                     ROOT / "docs" / "own-ordinance" / "riverton.lp", ROOT / "tests" / "toy_ordinance" / "toy.lp"])

#: Not helpers: what every encoding states (norms, savings clauses, declarations).
STATED = frozenset(p.name for p in (*NORMS, PREVAILS, *DECLARATIONS))

#: Helpers that deliberately cite no section, per file: each serves several
#: sections (or a clause with no ``provision/3`` of its own), so an explanation
#: shows the helper rule itself and cites the sections of the norms using it.
UNCITED = {
    "beacon.lp": {"beacon_info_request", "beacon_ice_or_cbp"},  # "Helpers": 3(a), 3(c)
    "westchester.lp": {
        # "Helpers: what the requests are about": 7(a), 9, 10(a), 12, 15
        "westchester_civil_kind", "westchester_other_purpose", "westchester_civil_matter",
        "westchester_info_request", "westchester_info_action", "westchester_has_topic",
        "westchester_interview_on", "westchester_interview_known", "westchester_inmate",
        # the 7(a) carve-out for 8 U.S.C. § 1373, which has no section text of its own
        "westchester_1373_action", "westchester_broad_1373_info",
    },
    "nyc.lp": {"nyc_nypd", "nyc_assist",  # "Helpers": the citywide policy and the NYPD sections
               "nyc_assistance_requested", "nyc_assist_occasion"},  # the occasion of both
    "trust_act.lp": {  # "Helpers": who is Law Enforcement, what is a hold, a notification, a warrant
        "trust_act_le_agency", "trust_act_le", "trust_act_hold", "trust_act_hold_or_warrant",
        "trust_act_notification_request", "trust_act_criminal_warrant",
    },
    "usc_1373.lp": {"usc_1373_broad_info", "usc_1373_broad_section",  # the broad reading: (a) and (b)(1)
                    "usc_1373_status_item"},  # which of (a), (b)(1) covers citizenship, status
}


def _statements(path: Path) -> list[ast.AST]:
    statements: list[ast.AST] = []
    ast.parse_files([str(path)], statements.append)
    return [rule for statement in statements
            for rule in (statement.unpool() if statement.ast_type == ast.ASTType.Rule else [statement])]


def _helpers(statements: list[ast.AST]) -> set[str]:
    return {atom.name for statement in statements for atom in head_atoms(statement)} - STATED


@pytest.fixture(scope="module")
def catalog():
    return load_rule_base([ROOT / "docs" / "own-ordinance", ROOT / "tests" / "toy_ordinance"],
                          use_env=False).catalog


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_helper_predicate_is_declared_or_deliberately_uncited(path: Path) -> None:
    statements = _statements(path)
    helpers, declared = _helpers(statements), set(declared_concepts(statements))
    uncited = UNCITED.get(path.name, set())
    assert helpers - declared - uncited == set(), \
        f"{path.name}: declare which section each helper encodes, concept(O, \"S\", helper)."
    assert declared & uncited == set(), "declared and listed as uncited"
    assert uncited <= helpers, "UNCITED lists a predicate the file no longer defines"
    assert set(declared) <= helpers, "a concept/3 names a predicate the file does not define"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_each_declaration_names_one_encoded_section_of_the_file_s_ordinance(path: Path, catalog) -> None:
    statements = _statements(path)
    owners = {constant(atom.arguments[ORDINANCE.position("ordinance")])
              for statement in statements for atom in head_atoms(statement) if atom.name == ORDINANCE.name}
    for helper, sections in declared_concepts(statements).items():
        assert len(sections) == 1, (helper, sections)
        ((ordinance, section),) = sections
        assert ordinance in owners, (helper, ordinance)
        assert section in catalog.ordinance_by_constant(ordinance).sections, (helper, section)


LAYOUT = """
ordinance(tiny, "tiny", "A two-section ordinance").
provision(tiny, "1", "a detainer request is a request").
provision(tiny, "2", "shall not honor a detainer request").
%## Helpers, placed after section 2 on purpose
tiny_detainer(Q) :- request(Q, detainer).
prohibits(tiny, "2", honor_detainer, Q) :- tiny_detainer(Q).
tiny_unused(Q) :- request(Q, transfer).
concept(tiny, "1", tiny_detainer).
"""


def test_a_helper_cites_its_declared_section_wherever_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "tiny.lp").write_text(LAYOUT, encoding="utf-8")
    rule_base = load_rule_base([tmp_path], use_env=False)
    program = traced_program(rule_base)
    citations = rule_citations(program, rule_base.catalog)
    cited = {program.rules[index].rule.head.atom.symbol.name: citation.section
             for index, citation in citations.items() if program.rules[index].file.endswith("tiny.lp")}
    assert cited == {"tiny_detainer": "1"}  # not "2", the provision above it; tiny_unused: none


def test_only_a_section_number_is_cited_with_the_section_sign(catalog) -> None:
    """NYC's labels describe paragraphs of a press release; they are no sections of law (issue 10, 9)."""
    for number in ("10(b)", "3(a)(iv)", "1373(b)(1)", "15", "4(a)"):
        assert section_ref(number) == f"§ {number}"
    for label in ("citywide-policy", "1373-not-regulated", "LL228-287g", "NYPD-protocol", "policy"):
        assert section_ref(label) == label
    nyc = catalog.ordinances["nyc"]
    assert Citation("nyc", "nyc", "citywide-policy", nyc.sections["citywide-policy"]).label == "nyc citywide-policy"
    westchester = catalog.ordinances["westchester"]
    assert Citation("westchester", "westchester", "10(b)", westchester.sections["10(b)"]).label == "westchester § 10(b)"
