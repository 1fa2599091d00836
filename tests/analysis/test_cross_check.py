"""An independent cross-check of `check` and `compare`: enumerate a bounded part of the case
space, decide every case with the batch solver, and confirm the analyses' verdicts on it.

The analyses search the whole space with the solver (asp/analysis/); here no
encoding of the analysis is used, only decisions.  The part enumerated: every
agency or none, and no request or one request of each kind, asking for no item
or one item of information.  On it:

* an action `check` proves free of conflict never shows a conflict (the local
  ordinance forbids the act where § 1373 protects it, for the same item);
* every action with a conflict found here is among those `check` reports, and (the seeds'
  witnesses being this small) every conflict `check` reports shows here too;
* `compare` finds a difference on every action where two decisions differ.
"""

from __future__ import annotations

import itertools

import pytest

from engine.analysis.check import check
from engine.analysis.comparison import compare
from engine.batch.solver import BatchOptions, CaseInput, decide_chunk

LOCAL = ("beacon", "westchester", "nyc", "trust-act")


def bounded_cases(rules) -> list[dict]:
    domains = rules.catalog.domains
    requests = [None] + [{"kind": kind, **({"info": [info]} if info else {})}
                         for kind in domains["request_kind"] for info in (None, *domains["request_info"])]
    cases = []
    for number, (agency, request) in enumerate(itertools.product((None, *domains["agency"]), requests)):
        case: dict = {"id": f"bounded-{number}"}
        if agency:
            case["agency"] = agency
        if request:
            case["requests"] = [request]
        cases.append(case)
    return cases


def _rows(rules, cases: list[dict], readings: dict[str, str]) -> list[dict]:
    options = BatchOptions(ordinances=(*LOCAL, "usc-1373"), readings=tuple(readings.items()), include_silent=True)
    rows = decide_chunk([CaseInput(c["id"], c["id"], c) for c in cases], rules, options)
    assert len(rows) == len(cases) and all("results" in row for row in rows)
    return rows


def _conflicts(row: dict, local: str) -> set[str]:
    """The actions this decision puts in conflict: forbidden locally, protected federally,
    on the same item of information where either side decides item by item."""
    by_pair = {(r["ordinance"], r["action"]): r for r in row["results"]}
    found = set()
    for (ordinance, action), mine in by_pair.items():
        theirs = by_pair[("usc-1373", action)]
        if ordinance != local or mine["status"] not in ("forbidden", "conflict") or theirs["status"] != "permitted":
            continue
        if mine.get("items") and theirs.get("items"):
            forbidden = {(i["request"], i["info"]) for i in mine["items"] if i["status"] == "forbidden"}
            protected = {(i["request"], i["info"]) for i in theirs["items"] if i["status"] == "permitted"}
            if not forbidden & protected:
                continue
        found.add(action)
    return found


@pytest.mark.parametrize("reading", ["narrow", "broad"])
def test_check_agrees_with_every_decision_of_the_bounded_space(rules, reading: str) -> None:
    cases = bounded_cases(rules)
    rows = _rows(rules, cases, {"usc_1373": reading})
    for local in LOCAL:
        result = check(rules, local, against="usc-1373", reading=reading, internal=False)
        assert result.conflict_search.complete
        reported = {c.action for c in result.conflicts}
        seen = set().union(*(_conflicts(row, local) for row in rows))
        assert seen <= reported, f"{local} ({reading}): decisions show conflicts check proved impossible: " \
                                 f"{sorted(seen - reported)}"
        # The seeds' conflicts all have witnesses this small, so the part enumerated shows each of them.
        assert seen == reported, f"{local} ({reading}): check reports {sorted(reported - seen)} unseen here"


@pytest.mark.parametrize("first,second", [("beacon", "westchester"), ("nyc", "trust-act")])
def test_compare_finds_every_difference_of_the_bounded_space(rules, first: str, second: str) -> None:
    rows = _rows(rules, bounded_cases(rules), {})
    differing = set()
    for row in rows:
        status = {(r["ordinance"], r["action"]): r["status"] for r in row["results"]}
        differing |= {action for (ordinance, action), value in status.items()
                      if ordinance == first and status[(second, action)] != value}
    comparison = compare(rules, first, second)
    assert comparison.search.complete
    assert differing <= {d.action for d in comparison.differences}
