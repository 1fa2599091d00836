"""The conflict matrix of `check --all`, pinned cell by cell, each cell justified from the texts.

Under case model v2 (issue 10): information is decided item by item, so no
cell comes from a request that mixes a forbidden item with a protected one;
a detainer asks for notification; restrictions are reported.  Both readings of
8 U.S.C. § 1373 and both readings of the restriction switch are pinned.
"""

from __future__ import annotations

import pytest

from engine.analysis.check import check, check_all

#: (ordinance, reading) -> the actions in conflict with § 1373, and why.
EXPECTED_CONFLICTS = {
    # Narrow reading: § 1373 covers citizenship and immigration status only.
    # Beacon 3(a)(i)-(iii): "nothing in this resolution shall restrict ... (i) sending to, or requesting
    # or receiving from ICE information regarding an individual's citizenship or immigration status,
    # (ii) maintaining such information, (iii) exchanging such information".
    ("beacon", "narrow"): set(),
    # NYC: Local Law 228 "does not regulate" § 1373 information (READING nyc-1373-not-regulated-scope).
    ("nyc", "narrow"): set(),
    # Trust Act 2(d) forbids "personal information other than citizenship or immigration status";
    # 2(j) "nothing ... shall be construed ... to prohibit ... providing ... citizenship or [immigration]
    # status, consistent with 8 U.S.C. § 1373".
    ("trust-act", "narrow"): set(),
    # Westchester 7(a) "Except for the sharing of information specified in 8 USC § 1373" and § 15
    # "Nothing in this Act prohibits ... sending to or receiving from ... information regarding an
    # individual's Citizenship or Immigration Status".
    ("westchester", "narrow"): set(),
    # Broad reading: § 1373 also covers release dates, custody status and home/work addresses.
    # Beacon 3(a): "Decline to respond affirmatively to requests from [ICE or CBP] for non-public
    # information" (an address, a release date) without a judicial warrant or a purpose "exclusive of the
    # enforcement of immigration laws"; 3(a)(i)-(iii) save only citizenship or immigration status.
    ("beacon", "broad"): {"notify_release", "share_nonpublic_info"},
    # NYC: what § 1373 covers under the reading in force is left unregulated (the same READING).
    ("nyc", "broad"): set(),
    # Trust Act 2(d): no response to "any ICE notification request by providing ... home address, work
    # address, ... or pending release"; 2(j) saves citizenship or immigration status only.
    ("trust-act", "broad"): {"notify_release", "share_nonpublic_info"},
    # Westchester: the 7(a) carve-out and § 15 ("as per 8 USC § 1373") follow the reading of § 1373
    # (READINGs westchester-7a-carve-out-1373, westchester-15-as-per-1373), item by item: an address or
    # a release date is freed where § 1373 protects it; a confidential item, which § 1373 does not
    # protect, stays forbidden, and no conflict arises from asking for both in one request.
    ("westchester", "broad"): set(),
}

#: Internal findings (narrow reading): (kind, action).
EXPECTED_INTERNAL = {
    "beacon": set(),
    # The NYPD protocol permits assisting ICE on the Duty Chief's public-safety finding and the Legal
    # Bureau's advice; the citywide policy forbids it unless required by law: one case has both.
    "nyc": {("tension", "assist_enforcement_operation"), ("tension", "coordinate_with_ice")},
    "trust-act": set(),
    # 10(a) "shall not delay an inmate's release ... because of ... a Civil Immigration Detainer" against
    # 10(b)'s "unless accompanied by a Judicial Warrant"; 2(b) against 3(c) ("Necessary for criminal
    # investigation purposes") on inquiries about status.
    "westchester": {("tension", "delay_release"), ("tension", "honor_detainer"),
                    ("tension", "inquire_status"), ("tension", "request_status_proof")},
}


@pytest.mark.parametrize("restrictions", ["restriction_conflicts", "prohibition_only"])
def test_the_conflict_matrix_is_what_the_texts_say(rules, restrictions: str) -> None:
    """The only restriction of the seeds (Westchester 11(b), simultaneous disclosure) is lifted by
    § 15 where § 1373 protects the act (QUESTION westchester-15-prohibits-only), so both readings of
    the restriction switch give the same matrix."""
    checks, _ = check_all(rules, switches={"usc_1373_restrictions": restrictions})
    found = {(c.ordinance, c.reading): {f.action for f in c.conflicts} for c in checks}
    assert found == EXPECTED_CONFLICTS
    assert all(c.conflict_search.complete for c in checks), "every cell is proved, none timed out"
    internal = {c.ordinance: {(f.kind, f.action) for f in c.internal} for c in checks if c.reading == "narrow"}
    assert internal == EXPECTED_INTERNAL
    for result in checks:
        for conflict in result.conflicts:
            info = [i for r in conflict.witness.case.to_dict().get("requests", []) for i in r.get("info", [])]
            assert len(info) <= 1, f"{result.ordinance} {conflict.action}: a witness mixing items {info}"


def test_a_conflict_names_the_item_it_is_about(rules, cli) -> None:
    result = check(rules, "beacon", against="usc-1373", reading="broad", internal=False)
    conflict = next(c for c in result.conflicts if c.action == "share_nonpublic_info")
    (item,) = conflict.items
    assert conflict.to_dict()["items"] == [{"request": item[0], "info": item[1]}]
    status, out, _ = cli("check", "beacon", "--against", "usc-1373", "--reading", "broad")
    assert f"(item by item: request {item[0]} asking for {item[1].replace('_', ' ')})" in out
