"""What a notebook shows of a result: the HTML of Jupyter's rich display (``_repr_html_``).

`Decision`, `Explanation`, `Check`, `Comparison` and `Counterfactuals` each have a
``_repr_html_`` that is one call into this module, so that a bare ``decision`` in a cell is a
table instead of a dump of every row.  The words are those of the text renderers (the same
columns as `engine.render.decision_text`, the verdicts of `engine.render.check_text`, the
witness as the contract's JSON); an explanation's graph is the lawyer's view
(`visualize.render_derivation`) drawn by Graphviz as inline SVG, or, where Graphviz's ``dot``
program is not installed, a note saying so under the reasons.

Everything a user can write (a case id, a section label, the words and ids of a ``--rules``
file) is escaped with `html.escape` after its control and bidi characters are made visible
(`engine.core.printable`), so no user text becomes markup or reorders what is shown; an
``<svg>`` is Graphviz's own output, which escapes the labels it is given.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Iterable, Sequence

from engine.core.printable import printable

if TYPE_CHECKING:  # the result types import this module lazily: no import of theirs at start
    import graphviz

    from engine.analysis.findings import Check, Comparison, SearchReport, Witness
    from engine.core.results import Decision
    from engine.explain.explanation import Explanation
    from engine.explain.whatif import Counterfactuals

__all__ = ["decision_html", "explanation_html", "check_html", "comparison_html", "counterfactuals_html",
           "graph_svg", "NO_DOT_NOTE"]

#: Said in place of a graph where Graphviz's `dot` program is missing (the `graphviz` Python
#: package only writes DOT; drawing needs the program).
NO_DOT_NOTE = ("The derivation graph is not shown: Graphviz's `dot` program is not installed. "
               "Install the Graphviz package (e.g. `apt-get install graphviz` or `brew install graphviz`) "
               "and display the result again.")


class Markup(str):
    """HTML this module built (its user text already escaped): a table puts it in as it is."""


def _text(value: object, *, lines: bool = False) -> Markup:
    """User text as HTML: controls and bidi characters shown as escapes, then HTML-escaped;
    with ``lines`` its line breaks are kept (a block of reasons)."""
    return Markup(html.escape(printable(str(value), keep="\n" if lines else "")))


def _status(word: str) -> Markup:
    """A status word in its colour (the graphs' colours), bold: the cell a reader looks for."""
    from visualize.decision_graph import STATUS_COLOURS

    colour = STATUS_COLOURS.get(str(word), "inherit")
    return Markup(f'<span style="color:{colour};font-weight:bold">{_text(word)}</span>')


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Markup:
    """An HTML table; each cell escaped unless it is `Markup`."""
    head = "".join(f'<th style="text-align:left">{_text(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(
        f'<td style="text-align:left">{cell if isinstance(cell, Markup) else _text(cell)}</td>'
        for cell in row) + "</tr>" for row in rows)
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _block(kind: str, heading: str, *parts: str) -> str:
    """A result's HTML: one ``div`` (its class names the kind of result), a heading, the parts."""
    return (f'<div class="ordinance-engine {kind}"><p><strong>{heading}</strong></p>'
            + "".join(parts) + "</div>")


def _note(text: str) -> Markup:
    return Markup(f"<p><em>{_text(text)}</em></p>")


def _sections(sections: Sequence[str]) -> str:
    return " ".join(sections)


def decision_html(decision: Decision) -> str:
    """A decision: the rows where an ordinance says something, as `ordinance decide` tables
    them (silent rows counted), then the rows decided item by item."""
    from engine.core.results import Status

    shown = [r for r in decision.results if r.status != Status.SILENT]
    restricted = any(r.restrictions for r in shown)
    headers = ["ordinance", "action", "status", "sections", "exceptions", "tensions",
               *(["restrictions"] if restricted else [])]
    rows = [[r.ordinance, r.action, _status(r.status), _sections(r.sections), _sections(r.exceptions),
             _sections(r.tensions), *([_sections(r.restrictions)] if restricted else [])] for r in shown]
    parts = [_table(headers, rows)] if rows else []
    silent = len(decision.results) - len(shown)
    if silent:
        parts.append(_note(f"{silent} silent pairs not shown: the ordinance says nothing that applies "
                           "(all rows: .results, or .to_pandas())."))
    items = [f"<li>{_text(f'{r.ordinance} {r.action}')}: " + "; ".join(
        f"request {i.request} {_text(i.info)}: {_status(i.status)}"
        + (f" ({_text(_sections(i.sections))})" if i.sections else "") for i in r.items) + "</li>"
        for r in shown if r.items]
    if items:
        parts.append("<p>Item by item (the information each request asks for):</p><ul>" + "".join(items) + "</ul>")
    return _block("decision", f"Case {_text(decision.case)}: {_text(decision.summary())}", *parts)


def graph_svg(dot: graphviz.Digraph) -> str | None:
    """A drawing as inline ``<svg>`` (without Graphviz's XML prolog and comments), or None where
    the `dot` program is not installed."""
    import graphviz

    try:
        svg = dot.pipe(format="svg").decode("utf-8")
    except graphviz.ExecutableNotFound:
        return None
    return re.sub(r"<!--.*?-->", "", svg[svg.index("<svg"):], flags=re.S)


def explanation_html(explanation: Explanation) -> str:
    """An explanation: the pair and its status, the reasons (as `ordinance explain` words them),
    the tensions, then the derivation drawn as the lawyer's view."""
    from visualize import render_derivation

    summary = _table(["case", "ordinance", "action", "status"],
                     [[explanation.case, explanation.ordinance, explanation.action, _status(explanation.status)]])
    reasons = Markup(f'<div style="white-space:pre-wrap">{_text(explanation.text, lines=True)}</div>')
    parts = [summary, reasons]
    if explanation.tensions:
        parts.append(_table(["section in tension (permits it)", "against (forbid it)"],
                            [[t["section"], _sections(t["against"])] for t in explanation.tensions]))
    svg = graph_svg(render_derivation(explanation.graph))
    parts.append(_note(NO_DOT_NOTE) if svg is None
                 else Markup(f'<div class="derivation" style="overflow-x:auto">{svg}</div>'))
    heading = f"Why {_text(explanation.action)} is {_text(explanation.status)} under {_text(explanation.ordinance)}"
    return _block("explanation", heading, *parts)


def _witness(witness: Witness) -> Markup:
    """A witness case as the contract's JSON (to copy into a file for `ordinance decide`), with
    its size and whether it is proved minimal."""
    from engine.render.check_text import witness_json

    quality = "minimal" if witness.minimal else "not proved minimal"
    return Markup(f"<code>{_text(witness_json(witness))}</code><br><small>{quality}, "
                  f"{witness.facts} fact{'s' if witness.facts != 1 else ''}</small>")


def _search_note(report: SearchReport | None, what: str, found: bool) -> list[Markup]:
    """Under a part: a proof of none, or the questions a timed-out search left open."""
    if report is not None and not report.complete:
        return [_note(f"The search for {what} TIMED OUT on: {', '.join(report.open_questions)} "
                      "(nothing there found, nothing proved).")]
    return [] if found else [_note(f"No {what}: proved, no possible case has one.")]


def check_html(check: Check) -> str:
    """A check: the conflicts with federal law, the internal findings, the dead rules and gaps,
    each a table whose rows carry their witness case."""
    from engine.render.check_text import conflict_how

    switches = "".join(f"; switch {name}={value}" for name, value in check.switches)
    scope = (f"{check.reading} reading of 8 U.S.C. 1373{switches}; dropped sections: "
             f"{', '.join(check.dropped) or 'none'}; every possible case with at most {check.requests} "
             f"request{'s' if check.requests != 1 else ''}, {check.timeout:g} s per search")
    parts = [_note(scope)]
    if check.conflicts is not None:
        parts.append(Markup(f"<p>Conflicts with {_text(check.against)}:</p>"))
        if check.conflicts:
            parts.append(_table(["action", "how", "witness"], [[c.action, conflict_how(c), _witness(c.witness)]
                                                            for c in check.conflicts]))
        parts += _search_note(check.conflict_search, "conflicts", bool(check.conflicts))
    if check.internal_search is not None:
        parts.append(Markup("<p>Internal consistency:</p>"))
        if check.internal:
            parts.append(_table(["kind", "action", "sections", "witness"],
                                [[f.kind, f.action, _sections(f.sections), _witness(f.witness)]
                                 for f in check.internal]))
        parts += _search_note(check.internal_search, "conflicts or tensions", bool(check.internal))
    if check.coverage_search is not None:
        if not check.coverage_search.complete:
            parts.append(_note("Dead rules and gaps: the search TIMED OUT."))
        else:
            parts.append(Markup("<p>Dead rules (fire in no possible case, under any reading):</p>"))
            parts.append(_table(["sections", "where", "rule"], [[_sections(d.sections), d.where, d.text]
                                                               for d in check.dead_rules])
                         if check.dead_rules else _note("none"))
            parts.append(_table(["never addressed", ""],
                                [["actions", " ".join(check.gap_actions) or "none"],
                                 ["request kinds", " ".join(check.gap_request_kinds) or "none"]]))
    against = f" against {_text(check.against)}" if check.against else ""
    return _block("check", f"Check of {_text(check.ordinance)}{against}", *parts)


def comparison_html(comparison: Comparison) -> str:
    """A comparison: how the two stand on each action (the relation), then each action on which
    they disagree, both sides' status and sections, and the witness case."""
    first, second = comparison.first, comparison.second
    switches = "".join(f"; switch {name}={value}" for name, value in comparison.switches)
    scope = (f"{comparison.reading} reading of 8 U.S.C. 1373{switches}; dropped sections: "
             f"{', '.join(comparison.dropped) or 'none'}; every possible case with at most "
             f"{comparison.requests} request{'s' if comparison.requests != 1 else ''}")
    parts = [_note(scope)]
    if comparison.relations:
        from engine.render.compare_text import STRICTER, relation_summary

        relation, possible = comparison.overall
        parts.append(_note(f"Every action at once: {relation_summary(relation, possible, first, second)} "
                           f"({STRICTER})."))
        parts.append(_table(["action", "relation", "same status in every case"],
                            [[r.action, relation_summary(r.relation, r.possible, first, second),
                              {True: "yes", False: "no", None: "not known"}[r.identical]]
                             for r in comparison.relations]))
    if comparison.differences:
        parts.append(_table(
            ["action", first, f"{first} sections", second, f"{second} sections", "witness"],
            [[d.action, _status(d.first.status), _sections(d.first.sections) or "no section applies",
              _status(d.second.status), _sections(d.second.sections) or "no section applies", _witness(d.witness)]
             for d in comparison.differences]))
    if not comparison.search.complete:
        parts.append(_note(f"The search TIMED OUT on: {', '.join(comparison.search.open_questions)} "
                           "(not a proof that nothing else differs)."))
    elif not comparison.differences:
        parts.append(_note("No difference: proved, they give every action the same status in every case."))
    return _block("comparison", f"{_text(first)} vs {_text(second)}: "
                                f"{len(comparison.differences)} difference{'s' if len(comparison.differences) != 1 else ''}",
                  *parts)


def counterfactuals_html(found: Counterfactuals) -> str:
    """The what-if answers: each changed case's status and its changes in the vocabulary's words."""
    rows = [[str(number), _status(c.status), Markup("<br>".join(_text(words) for words in c.change_words()))]
            for number, c in enumerate(found, start=1)]
    parts = [_table(["#", "status", "if"], rows)] if rows else []
    if not found.complete:
        parts.append(_note("The search TIMED OUT: these are the changes found so far, not proved the smallest"
                           + ("." if rows else "; none found is no proof that none exists.")))
    elif not rows:
        parts.append(_note("No change to the case's facts (within the fields not fixed) changes the status."))
    return _block("counterfactuals", "What if: the smallest changes to the case that change the status "
                                     "(each re-decided)", *parts)
