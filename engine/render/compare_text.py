"""Readable text for comparisons: how the two stand on each action (equivalent, one stricter,
incomparable), then each difference with the sections on both sides and its witness."""

from __future__ import annotations

from engine.analysis.caseload import CaseloadComparison
from engine.analysis.findings import ActionRelation, Comparison, Direction, Relation
from engine.core.printable import printable
from engine.render.check_text import DROPPED_NOTE, timed_out_lines, witness_line
from engine.render.json_text import json_text

__all__ = ["format_comparison", "render_comparison", "format_caseload", "render_caseload", "relation_name",
           "relation_summary", "direction_text", "STRICTER"]

#: What "stricter" means, said once for every output that names a relation.
STRICTER = ("X stricter: X forbids or obliges the act in every case in which the other does, and in some "
            "case more; a prohibition and a duty are different restraints, so forbidding what the other "
            "obliges makes the two incomparable")


def _by(sections: tuple[str, ...]) -> str:
    return " ".join(sections) or "no section applies"


def relation_name(relation: Relation, first: str, second: str) -> str:
    """A relation in words, with the ordinances' ids: "westchester stricter"."""
    return {Relation.FIRST_STRICTER: f"{first} stricter", Relation.SECOND_STRICTER: f"{second} stricter",
            Relation.UNKNOWN: "not known"}.get(relation, str(relation))


def relation_summary(relation: Relation, possible: tuple[Relation, ...], first: str, second: str) -> str:
    """The relation, or, when a search timed out, what is proved and what is still open:
    "westchester at least as strict (proved); equivalent or westchester stricter: not known, ..."."""
    if relation is not Relation.UNKNOWN:
        return relation_name(relation, first, second)
    names = " or ".join(relation_name(r, first, second) for r in possible)
    for stricter, ordinance in ((Relation.FIRST_STRICTER, first), (Relation.SECOND_STRICTER, second)):
        if set(possible) == {Relation.EQUIVALENT, stricter}:
            return f"{ordinance} at least as strict (proved); {names}: not known, a search TIMED OUT"
    return f"not known, a search TIMED OUT: {names}"


def direction_text(direction: Direction, own: str, other: str, first: str, second: str) -> str:
    """One direction: "beacon beyond westchester: beacon forbidden, westchester silent (witness
    below, minimal)", "...: none, proved", or "...: not known, the search TIMED OUT on ..."."""
    head = f"{own} beyond {other}: "
    if direction.holds is None:
        return head + f"not known, the search TIMED OUT on {', '.join(direction.open)}"
    if direction.witness is None:
        return head + "none, proved"
    shown = direction.witness
    quality = "minimal" if direction.witness_minimal else "not proved minimal"
    return head + f"{first} {shown.first.status}, {second} {shown.second.status} (witness below, {quality})"


def _relation_lines(comparison: Comparison) -> list[str]:
    """How the two stand on each action: the actions on which they are not equivalent, each with
    both directions, then the equivalent ones in groups (by grounding, by the solver)."""
    first, second = comparison.first, comparison.second
    relation, possible = comparison.overall
    lines = [f"  relations over every possible case ({STRICTER}):",
             f"    every action at once: {relation_summary(relation, possible, first, second)}"]
    equivalent: dict[bool, list[ActionRelation]] = {True: [], False: []}  # by grounding alone, or not
    for r in comparison.relations:
        if r.relation is Relation.EQUIVALENT:
            equivalent[not (r.first_beyond.pairs_searched or r.second_beyond.pairs_searched)].append(r)
            continue
        lines.append(f"    {r.action}: {relation_summary(r.relation, r.possible, first, second)}")
        lines.append("      " + "; ".join((direction_text(r.first_beyond, first, second, first, second),
                                           direction_text(r.second_beyond, second, first, first, second))))
    untouched = "" if comparison.search.complete else ", so not touched by the searches that TIMED OUT"
    for by_grounding, how in ((False, "proved by the solver"),
                              (True, "proved by grounding alone (no case can make one restrain an act where "
                                     f"the other does not{untouched})")):
        group = equivalent[by_grounding]
        if not group:
            continue
        lines.append(f"    equivalent on {len(group)} action{'s' if len(group) != 1 else ''}, {how}: "
                     + " ".join(r.action for r in group))
        differing = [r.action for r in group if r.identical is False]
        if differing:
            lines.append("      their statuses still differ in some case, though neither restrains the act "
                         f"more (see below): {' '.join(differing)}")
        unknown = [r.action for r in group if r.identical is None]
        if unknown:
            lines.append("      whether their statuses are the same in every case is not known, a search "
                         f"TIMED OUT: {' '.join(unknown)}")
    return lines


def format_comparison(comparison: Comparison) -> str:
    """How the two stand on each action, then the differences as text, action by action (each
    line one line, whatever the rule files hold)."""
    first, second = comparison.first, comparison.second
    lines = [f"{first} vs {second} ({comparison.reading} reading of 8 U.S.C. 1373"
             + "".join(f"; switch {name}={value}" for name, value in comparison.switches)
             + "; every possible "
             f"case with at most {comparison.requests} requests; dropped sections: "
             f"{', '.join(comparison.dropped) or 'none'})"]
    if comparison.dropped:
        lines.append(DROPPED_NOTE)
    if comparison.relations:
        lines += _relation_lines(comparison)
    if comparison.differences:
        lines.append("  differences (each pair of statuses the two give an action in some case):")
    if not comparison.differences:
        lines.append("  no difference (proved: they give every action the same status in every case)"
                     if comparison.search.complete else
                     "  no difference found, but the search TIMED OUT (not a proof; the open questions below)")
    for d in comparison.differences:
        lines.append(f"  {d.action}: {first} {d.first.status} ({_by(d.first.sections)}), "
                     f"{second} {d.second.status} ({_by(d.second.sections)})")
        lines.append(witness_line(d.witness))
    lines += timed_out_lines(comparison.search)
    return "\n".join(map(printable, lines)) + "\n"


def render_comparison(comparison: Comparison, as_json: bool) -> str:
    """`ordinance compare` output: the comparison as text or JSON."""
    return json_text(comparison.to_dict()) if as_json else format_comparison(comparison)


def _cases(number: int) -> str:
    return f"{number:,} case{'' if number == 1 else 's'}"


def _ids(ids: tuple[str, ...], show: int) -> str:
    """The first ``show`` case ids, and how many more there are."""
    listed = ", ".join(ids[:show])
    more = len(ids) - show
    if more <= 0:
        return f" ({listed})"
    return f" ({listed}, and {more:,} more)" if listed else ""


def format_caseload(caseload: CaseloadComparison, show: int) -> str:
    """The counts as text: what they are counts over, then per action each status pair with the
    number of cases and the first ``show`` ids, then the cases that could not be decided."""
    first, second = caseload.first, caseload.second
    readings = "; ".join(f"{name}={value}" for name, value in caseload.readings)
    lines = [f"{first} vs {second} on the cases of {caseload.source} ({readings or 'default readings'}; "
             f"dropped sections: {', '.join(caseload.dropped) or 'none'})",
             f"  counts over these {_cases(caseload.total)} only, not over every possible case "
             "(`compare` without --cases searches those)",
             f"  {_cases(caseload.total)} read: {caseload.decided:,} decided, "
             f"{caseload.differing:,} decided differently on some action, "
             f"{len(caseload.errors):,} error{'' if len(caseload.errors) == 1 else 's'}"
             + (" (not decided, listed below)" if caseload.errors else "")]
    if not caseload.pairs:
        lines.append("  no difference: every decided case has the same status for every action under both")
    action = None
    for pair in caseload.pairs:
        if pair.action != action:
            action = pair.action
            lines.append(f"  {action}:")
        lines.append(f"    {pair.first_status} under {first}, {pair.second_status} under {second}: "
                     f"{_cases(len(pair.cases))}{_ids(pair.cases, show)}")
    if caseload.errors:
        lines.append("  errors (cases not decided, so in no count above):")
        lines += [f"    {error.case}: {error.message}" for error in caseload.errors]
    return "\n".join(map(printable, lines)) + "\n"


def render_caseload(caseload: CaseloadComparison, as_json: bool, show: int) -> str:
    """`ordinance compare A B --cases FILE` output: the counts as text or JSON (``show`` ids a pair)."""
    return json_text(caseload.to_dict(show)) if as_json else format_caseload(caseload, show)
