"""The relation of two ordinances on each action (`compare`): equivalent, one stricter, incomparable.

Checked against what the analysis does not use: every case of an enumerated part of the case
space decided with the batch solver, the restraint of each status written down here from the
contract ("A result": forbidden forbids, obligated obliges, conflict does both), and each
direction's witness decided again.  A direction proved absent must show in no enumerated case;
a direction an enumerated case shows must be found; each witness must show its direction.  A
search that times out must leave a relation "unknown", never "equivalent".
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from engine import load_rule_base
from engine.analysis.comparison import compare
from engine.analysis.findings import ActionRelation, Comparison, Direction, Relation, SearchStatus
from engine.analysis.search import CaseSearch
from engine.batch.solver import BatchOptions, CaseInput, decide_chunk
from engine.core.rulebase import RuleBase
from tests.conftest import ROOT, Cli

#: The restraints each status puts on an act (docs/contract.md, "A result"), written here
#: apart from asp/analysis/comparison.lp so that a wrong table there fails these tests.
RESTRAINTS = {"forbidden": {"forbid"}, "obligated": {"oblige"}, "conflict": {"forbid", "oblige"},
              "permitted": set(), "silent": set()}
AMENDED = ROOT / "examples" / "amended"


@pytest.fixture(scope="module")
def amended() -> RuleBase:
    """The built-in ordinances and the example draft beacon-2027 (Beacon with 3(a)(i) struck)."""
    return load_rule_base([AMENDED], use_env=False)


def enumerated_cases(rules: RuleBase) -> list[dict]:
    """A part of the case space small enough to decide case by case: an agency or none; a person
    with nothing, in custody and release-eligible, under criminal investigation, consenting, or a
    helpful victim; no determination or one of two; no request or one of each kind, with no
    warrant, a judicial or an administrative one, and (notification and information) one item."""
    domains = rules.catalog.domains
    people = [{}, {"in_custody": True, "release_eligible": True}, {"criminal_investigation": True},
              {"consent": True}, {"roles": ["victim"], "crime_victim_qualifying": True,
                                  "helpful_to_investigation": True}]
    determinations = [{}, {"supervisory_public_safety": True}, {"required_by_law": True}]
    requests: list[dict | None] = [None]
    for kind in domains["request_kind"]:
        items = (None, *domains["request_info"]) if kind in ("notification", "information") else (None,)
        for info, warrant in itertools.product(items, (None, "judicial_warrant", "administrative_warrant")):
            requests.append({"kind": kind, **({"info": [info]} if info else {}), **({warrant: True} if warrant else {})})
    cases = []
    for number, (agency, person, found, request) in enumerate(
            itertools.product((None, "police", "corrections"), people, determinations, requests)):
        case: dict = {"id": f"enumerated-{number}", "person": person, "determinations": found}
        if agency:
            case["agency"] = agency
        if request:
            case["requests"] = [request]
        cases.append(case)
    return cases


def _statuses(rules: RuleBase, cases: list[dict], first: str, second: str) -> list[dict[tuple[str, str], str]]:
    """Each case's status of every (ordinance, action), the two ordinances decided by the batch solver."""
    options = BatchOptions(ordinances=(first, second), include_silent=True)
    rows = decide_chunk([CaseInput(c["id"], c["id"], c) for c in cases], rules, options)
    assert all("results" in row for row in rows), [row for row in rows if "results" not in row][:1]
    return [{(r["ordinance"], r["action"]): r["status"] for r in row["results"]} for row in rows]


def _beyond(own: str, other: str) -> bool:
    """Whether status ``own`` restrains an act in a way status ``other`` does not."""
    return bool(RESTRAINTS[own] - RESTRAINTS[other])


def _witness_shows(rules: RuleBase, comparison: Comparison, direction: Direction, own_first: bool) -> None:
    """The direction's witness, decided again, shows the statuses it claims, and they show the direction."""
    difference = direction.witness
    assert difference is not None
    [row] = decide_chunk([CaseInput("w", "w", difference.witness.case.to_dict())], rules,
                         BatchOptions(ordinances=(comparison.first, comparison.second), include_silent=True))
    status = {r["ordinance"]: r["status"] for r in row["results"] if r["action"] == difference.action}
    shown = (status[comparison.first], status[comparison.second])
    assert shown == (difference.first.status, difference.second.status)
    assert _beyond(*shown) if own_first else _beyond(shown[1], shown[0])


@pytest.mark.parametrize("first,second", [("beacon", "westchester"), ("nyc", "trust-act"),
                                          ("beacon", "beacon-2027")])
def test_relations_agree_with_every_decision_of_an_enumerated_space(amended: RuleBase, first: str,
                                                                    second: str) -> None:
    comparison = compare(amended, first, second)
    assert comparison.search.complete
    assert [r.action for r in comparison.relations] == list(amended.catalog.actions)
    cases = enumerated_cases(amended)
    seen: dict[str, set[str]] = {action: set() for action in amended.catalog.actions}
    for statuses in _statuses(amended, cases, first, second):
        for action in amended.catalog.actions:
            mine, theirs = statuses[(first, action)], statuses[(second, action)]
            if _beyond(mine, theirs):
                seen[action].add("first")
            if _beyond(theirs, mine):
                seen[action].add("second")
            if mine != theirs:
                seen[action].add("differ")
    for relation in comparison.relations:
        action = relation.action
        # Complete searches settle every direction: a witness or a proof.
        assert relation.first_beyond.holds is not None and relation.second_beyond.holds is not None
        assert relation.relation is not Relation.UNKNOWN and relation.possible == (relation.relation,)
        # A direction some decided case shows is never "proved absent" ...
        assert relation.first_beyond.holds or "first" not in seen[action], action
        assert relation.second_beyond.holds or "second" not in seen[action], action
        assert relation.identical is False or "differ" not in seen[action], action
        # ... and each direction found has a witness that shows it, decided again.
        if relation.first_beyond.holds:
            _witness_shows(amended, comparison, relation.first_beyond, own_first=True)
        if relation.second_beyond.holds:
            _witness_shows(amended, comparison, relation.second_beyond, own_first=False)
        expected = {(False, False): Relation.EQUIVALENT, (True, False): Relation.FIRST_STRICTER,
                    (False, True): Relation.SECOND_STRICTER, (True, True): Relation.INCOMPARABLE}
        assert relation.relation is expected[(relation.first_beyond.holds, relation.second_beyond.holds)]
        # Identical statuses in every case exactly when no difference was found for the action.
        assert relation.identical is not any(d.action == action for d in comparison.differences)
    # The enumerated part is not empty of findings: it shows directions the search found.
    assert any(seen[action] & {"first", "second"} for action in seen)


def test_a_direction_witness_is_the_smallest_of_its_pairs(rules: RuleBase) -> None:
    comparison = compare(rules, "beacon", "westchester")
    for relation in comparison.relations:
        for direction, own_first in ((relation.first_beyond, True), (relation.second_beyond, False)):
            showing = [d for d in comparison.differences if d.action == relation.action
                       and (_beyond(d.first.status, d.second.status) if own_first
                            else _beyond(d.second.status, d.first.status))]
            assert bool(showing) is bool(direction.holds)
            if showing:
                assert direction.witness.witness.facts == min(d.witness.facts for d in showing)
                assert direction.witness_minimal


def test_known_relations_of_the_seed_ordinances(rules: RuleBase) -> None:
    """What the texts say, read by hand: Westchester 10(b) forbids honoring a detainer that Beacon
    2(b)(ii) can permit, and Beacon never restrains it where Westchester does not; Beacon forbids
    granting ICE database access (3(a)) where Westchester 7(b)(1) permits it, and the reverse too."""
    comparison = compare(rules, "beacon", "westchester")
    assert comparison.relation("honor_detainer").relation is Relation.SECOND_STRICTER
    assert comparison.relation("grant_database_access").relation is Relation.INCOMPARABLE
    assert comparison.overall == (Relation.INCOMPARABLE, (Relation.INCOMPARABLE,))
    with pytest.raises(KeyError):
        comparison.relation("no_such_action")


def test_a_built_in_against_its_draft_from_rules(cli: Cli) -> None:
    """beacon-2027 (loaded with --rules) is Beacon with the 3(a)(i) savings clause struck: stricter
    on sharing status information, equivalent on every other act, and stricter over all."""
    status, out, err = cli("compare", "beacon", "beacon-2027", "--rules", str(AMENDED), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert {"first", "second", "reading", "switches", "dropped", "differences", "search"} <= set(data)
    assert data["overall_relation"] == {"relation": "second_stricter", "possible": ["second_stricter"]}
    by_action = {r["action"]: r for r in data["relations"]}
    shared = by_action["share_status_info"]
    assert set(shared) == {"action", "relation", "possible", "identical", "pairs_searched",
                           "first_beyond_second", "second_beyond_first"}
    assert shared["relation"] == "second_stricter" and shared["identical"] is False
    assert shared["first_beyond_second"]["holds"] is False and shared["first_beyond_second"]["open"] == []
    assert "witness" not in shared["first_beyond_second"]
    later = shared["second_beyond_first"]
    assert later["holds"] is True and later["open"] == [] and later["witness_minimal"] is True
    assert (later["first_status"], later["second_status"]) == ("permitted", "forbidden")
    assert later["witness"]["requests"][0]["info"] == ["immigration_status"]
    others = {r["relation"] for action, r in by_action.items() if action != "share_status_info"}
    assert others == {"equivalent"}
    # request_status_info: permitted by 3(a)(i) against silent: equivalent, yet not identical.
    assert by_action["request_status_info"]["identical"] is False
    status, text, err = cli("compare", "beacon", "beacon-2027", "--rules", str(AMENDED))
    assert status == 0, err
    assert "every action at once: beacon-2027 stricter" in text
    assert re.search(r"share_status_info: beacon-2027 stricter\n.*beacon beyond beacon-2027: none, proved; "
                     r"beacon-2027 beyond beacon: beacon permitted, beacon-2027 forbidden \(witness below, minimal\)",
                     text)


def _draft_and_copy(directory: Path) -> Path:
    """The example draft, and the same text under another public id and constant, in one file
    (the linter takes prevails/2 stated in two user files for a shared helper)."""
    text = (AMENDED / "beacon-2027.lp").read_text(encoding="utf-8")
    copy = text.replace("beacon_2027", "beacon_copy").replace('"beacon-2027"', '"beacon-copy"')
    (directory / "beacon-drafts.lp").write_text(text + "\n" + copy, encoding="utf-8")
    return directory


def test_an_ordinance_and_a_copy_of_it_are_equivalent(tmp_path: Path) -> None:
    rules = load_rule_base([_draft_and_copy(tmp_path)], use_env=False)
    comparison = compare(rules, "beacon-2027", "beacon-copy")
    assert comparison.search.complete and not comparison.differences
    assert comparison.overall == (Relation.EQUIVALENT, (Relation.EQUIVALENT,))
    assert all(r.relation is Relation.EQUIVALENT and r.identical is True for r in comparison.relations)


def test_dropping_the_struck_clause_makes_the_two_equivalent(cli: Cli) -> None:
    status, out, err = cli("compare", "beacon", "beacon-2027", "--rules", str(AMENDED),
                           "--drop", "beacon:3(a)(i)", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["differences"] == [] and data["overall_relation"]["relation"] == "equivalent"
    assert {r["relation"] for r in data["relations"]} == {"equivalent"}


@pytest.fixture
def nothing_finishes(monkeypatch) -> None:
    """Every solve runs out of time before it finds anything (the grounder still proves what it can)."""
    monkeypatch.setattr(CaseSearch, "_solve", lambda self, timeout, on_model, assumptions=(): (
        None, SearchStatus.TIMED_OUT))


@pytest.mark.usefixtures("nothing_finishes")
def test_a_timed_out_search_never_makes_a_relation(rules: RuleBase) -> None:
    comparison = compare(rules, "beacon", "westchester")
    assert not comparison.search.complete
    assert comparison.overall[0] is Relation.UNKNOWN
    for relation in comparison.relations:
        for direction in (relation.first_beyond, relation.second_beyond):
            assert direction.holds is not True
            # A direction with a pair to search is not known; one without is proved by grounding.
            assert (direction.holds is None) is bool(direction.pairs_searched), relation.action
            assert bool(direction.open) is bool(direction.pairs_searched)
        if relation.relation is Relation.EQUIVALENT:
            assert not relation.first_beyond.pairs_searched and not relation.second_beyond.pairs_searched
    unknown = [r for r in comparison.relations if r.relation is Relation.UNKNOWN]
    assert unknown and all(len(r.possible) > 1 for r in unknown)


@pytest.mark.usefixtures("nothing_finishes")
def test_timed_out_relations_in_text_and_json(cli: Cli) -> None:
    status, out, err = cli("compare", "beacon", "westchester", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["overall_relation"]["relation"] == "unknown"
    assert len(data["overall_relation"]["possible"]) == 4
    honor = next(r for r in data["relations"] if r["action"] == "honor_detainer")
    assert honor["relation"] == "unknown" and honor["identical"] is None
    assert honor["second_beyond_first"]["holds"] is None and honor["second_beyond_first"]["open"]
    status, text, err = cli("compare", "beacon", "westchester")
    assert status == 0, err
    assert "every action at once: not known, a search TIMED OUT" in text
    assert "proved by the solver" not in text
    for line in text.splitlines():
        if re.match(r"\s+equivalent on", line):
            assert "grounding alone" in line and "TIMED OUT" in line


def test_a_short_time_limit_leaves_only_true_relations_possible(rules: RuleBase) -> None:
    """With a real, very short time limit some searches finish and some do not: whatever is
    claimed must hold in the full comparison, and what is open must include the truth."""
    full = compare(rules, "beacon", "westchester")
    short = compare(rules, "beacon", "westchester", timeout=0.001)
    for whole, hurried in zip(full.relations, short.relations):
        assert whole.relation in hurried.possible, whole.action
        if hurried.relation is not Relation.UNKNOWN:
            assert hurried.relation is whole.relation
        for done, rushed in ((whole.first_beyond, hurried.first_beyond),
                             (whole.second_beyond, hurried.second_beyond)):
            assert rushed.holds is None or rushed.holds is done.holds
    assert full.overall[0] in short.overall[1]


def test_a_comparison_without_relations_claims_none() -> None:
    """A Comparison made by hand (no relation computed) says nothing is known over all."""
    from engine.analysis.findings import SearchReport

    bare = Comparison("a", "b", "narrow", (), SearchReport(), 1, 1.0)
    assert bare.overall[0] is Relation.UNKNOWN
    assert bare.to_dict()["relations"] == []
    assert bare.to_dict()["overall_relation"]["possible"] == [r.value for r in Relation if r is not Relation.UNKNOWN]


@pytest.mark.parametrize("first,second,relation,possible", [
    (True, False, Relation.FIRST_STRICTER, (Relation.FIRST_STRICTER,)),
    (None, False, Relation.UNKNOWN, (Relation.EQUIVALENT, Relation.FIRST_STRICTER)),
    (True, None, Relation.UNKNOWN, (Relation.FIRST_STRICTER, Relation.INCOMPARABLE)),
    (False, None, Relation.UNKNOWN, (Relation.EQUIVALENT, Relation.SECOND_STRICTER)),
])
def test_what_an_unknown_direction_leaves_open(first, second, relation, possible) -> None:
    made = ActionRelation("x", Direction(first), Direction(second), None)
    assert (made.relation, made.possible) == (relation, possible)


def _report(rules: RuleBase, comparison: Comparison) -> str:
    from engine.render.report_html import render_report

    return render_report(rules, [], [], [comparison])


def test_the_report_has_a_relation_column_linked_to_the_witnesses(amended: RuleBase) -> None:
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (.ci/run installs it)")
    comparison = compare(amended, "beacon", "beacon-2027")
    page = _report(amended, comparison)
    table = page[page.index('<table class="statuses">'):]
    table = table[:table.index("</table>")]
    assert "<th>relation</th>" in table
    cells = re.findall(r'<td class="(rel-[a-z]+|timeout)"(?: rowspan="(\d+)")?>(.*?)</td>', table)
    rows = {action: sum(1 for d in comparison.differences if d.action == action)
            for action in dict.fromkeys(d.action for d in comparison.differences)}
    assert len(cells) == len(rows)  # one relation cell per action of the table, spanning its rows
    by_text = {re.sub(r"<[^>]+>", "|", body): (css, span) for css, span, body in cells}
    [(text, (css, span))] = [(t, v) for t, v in by_text.items() if "beacon-2027 stricter" in t]
    assert css == "rel-stricter" and int(span or 1) == rows["share_status_info"]
    witness = comparison.relation("share_status_info").second_beyond.witness
    anchor = re.search(r'<td class="rel-stricter"[^>]*>.*?<a href="#([^"]+)">beacon-2027 beyond beacon</a>',
                       table).group(1)
    finding = page[page.index(f'id="{anchor}"'):]
    assert json.loads(re.search(r"<pre[^>]*>(.*?)</pre>", finding, re.S).group(1).replace("&#34;", '"')
                      .replace("&quot;", '"')) == witness.witness.to_dict()
    assert "Over every action at once: beacon-2027 stricter." in page


@pytest.mark.usefixtures("nothing_finishes")
def test_the_report_says_a_timed_out_relation_is_not_known(rules: RuleBase) -> None:
    page = _report(rules, compare(rules, "beacon", "westchester"))
    assert "Over every action at once: not known, a search TIMED OUT" in page
    assert "honor_detainer: not known, a search TIMED OUT" in page
    assert not re.search(r'class="rel-(equivalent|stricter|incomparable)"', page)
