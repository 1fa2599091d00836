"""One self-contained HTML page of every check: the matrix, each finding, its witness and graph.

Everything is inline (CSS, SVG, one small script), so a researcher can e-mail
the file.  Every text comes from the findings; every graph is the solver's derivation
for the witness case (the rule instances that fired, down to the case's
facts, with the exceptions that did not apply), made in `finding_graph_svg`.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Sequence

from engine.cases import Case
from engine.derivation import derivation_graph
from engine.check import READINGS
from engine.check_text import conflict_cell
from engine.errors import EngineError
from engine.explain import traced_model
from engine.findings import COMPLETE, Check, Witness
from engine.program import RuleBase
from engine.savings import SavingsTrial

__all__ = ["finding_graph_svg", "render_report"]

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:70em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eee}td.none{color:#2a7a2a}td.found{color:#b22222;font-weight:bold}td.timeout{color:#b8860b}
.finding{border-left:4px solid #b22222;padding:.2em 1em;margin:1em 0;background:#fafafa}
.finding.tension{border-color:#b8860b}.finding.conflict{border-color:#6a3d9a}
pre{background:#f0f0f0;padding:.5em;overflow-x:auto;font-size:90%}figure{margin:.5em 0}
figure svg{max-width:100%;height:auto}
"""

#: Marks the page once laid out: how many graphs have a visible size (read by the browser test).
SELF_CHECK = """
window.addEventListener('load',function(){var n=0;document.querySelectorAll('figure svg').forEach(
function(s){var b=s.getBoundingClientRect();if(b.width>0&&b.height>0){n++;}});
document.body.setAttribute('data-graphs-rendered',String(n));
document.body.setAttribute('data-matrix-rows',String(document.querySelectorAll('#matrix tbody tr').length));});
"""


def finding_graph_svg(rule_base: RuleBase, case: Case, ordinances: Sequence[str], action: str,
                      reading: str) -> str:
    """The witness's derivation for the finding's action under each ordinance, as one inline <svg>.

    One traced solve of the witness; the conclusions of all ordinances share one
    graph, so a fact both sides rest on is drawn once.
    """
    from visualize import render_derivation

    model = traced_model(case, rule_base, {"usc_1373": reading})
    conclusions = [model.status(rule_base.catalog.ordinances[ordinance].constant, action)
                   for ordinance in ordinances]
    graph = derivation_graph(model.program, model.fired, conclusions, rule_base.catalog, model.facts)
    try:
        svg = render_derivation(graph).pipe(format="svg").decode()
    except Exception as error:  # graphviz.ExecutableNotFound and rendering failures
        raise EngineError(f"report: Graphviz could not draw a graph ({error}). Fix: install the Graphviz "
                          "package (e.g. `apt-get install graphviz`).") from None
    return svg[svg.index("<svg"):]


def _cell_class(check: Check) -> str:
    if check.conflict_search is not None and check.conflict_search.status != COMPLETE:
        return "timeout"
    return "found" if check.conflicts else "none"


def _matrix(checks: Sequence[Check]) -> str:
    by_key = {(c.ordinance, c.reading): c for c in checks}
    ordinances = list(dict.fromkeys(c.ordinance for c in checks))
    head = "".join(f"<th>{escape(r)} reading</th>" for r in READINGS)
    rows = []
    for ordinance in ordinances:
        cells = "".join(f'<td class="{_cell_class(by_key[(ordinance, r)])}">'
                        f'{escape(conflict_cell(by_key[(ordinance, r)]))}</td>' for r in READINGS)
        internal = by_key[(ordinance, READINGS[0])].internal
        summary = ", ".join(f"{f.kind}: {f.action}" for f in internal) or "none (proved)"
        rows.append(f'<tr><th><a href="#{escape(ordinance)}">{escape(ordinance)}</a></th>{cells}'
                    f"<td>{escape(summary)}</td></tr>")
    return (f'<table id="matrix"><thead><tr><th>ordinance</th>{head}<th>internal ({READINGS[0]})</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _savings(trials: Sequence[SavingsTrial]) -> str:
    rows = []
    for trial in trials:
        verdict = ("load-bearing: removing it creates a conflict on "
                   + ", ".join(c.action for c in trial.new_conflicts)
                   if trial.load_bearing else "not load-bearing")
        if trial.search.status != COMPLETE:
            verdict += " (search timed out)"
        rows.append(f"<tr><td>{escape(trial.ordinance)}</td><td>{escape(' + '.join(trial.removed))}</td>"
                    f"<td>{escape(trial.reading)}</td><td>{escape(verdict)}</td></tr>")
    return ('<table id="savings"><thead><tr><th>ordinance</th><th>exceptions removed</th><th>reading</th>'
            f"<th>result</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _witness(witness: Witness) -> str:
    quality = "minimal" if witness.minimal else "not proved minimal"
    return (f"<p>Witness case ({quality}, {witness.facts} true facts; save it as a .json file and run "
            f"<code>ordinance decide</code> on it):</p>"
            f"<pre>{escape(json.dumps(witness.to_dict(), indent=2, ensure_ascii=False))}</pre>")


def _check_section(rule_base: RuleBase, check: Check) -> str:
    anchor = f' id="{escape(check.ordinance)}"' if check.reading == READINGS[0] else ""
    parts = [f"<section{anchor}><h3>{escape(check.ordinance)}, {escape(check.reading)} reading</h3>"]
    if check.conflicts is not None:
        if not check.conflicts:
            parts.append(f"<p>No conflict with {escape(check.against)}: "
                         + ("proved by the solver (no possible case has one).</p>"
                            if check.conflict_search.status == COMPLETE else "the search timed out.</p>"))
        for conflict in check.conflicts:
            graph = finding_graph_svg(rule_base, conflict.witness.case, [check.ordinance, check.against],
                                      conflict.action, check.reading)
            parts.append(f'<div class="finding federal"><p><b>Conflict on {escape(conflict.action)}</b>: '
                         f"{escape(conflict.local_status)} by {escape(' '.join(conflict.sections))}; "
                         f"protected by {escape(' '.join(conflict.federal_sections))}.</p>"
                         f"{_witness(conflict.witness)}<figure>{graph}</figure></div>")
    for finding in check.internal:
        graph = finding_graph_svg(rule_base, finding.witness.case, [check.ordinance], finding.action,
                                  check.reading)
        parts.append(f'<div class="finding {escape(finding.kind)}"><p><b>{escape(finding.kind.capitalize())} '
                     f"on {escape(finding.action)}</b>: sections {escape(' '.join(finding.sections))}.</p>"
                     f"{_witness(finding.witness)}<figure>{graph}</figure></div>")
    if check.coverage_search is not None and check.reading == READINGS[0]:
        dead = "".join(f"<li>{escape(' '.join(d.sections))} at <code>{escape(d.where)}</code>: "
                       f"<code>{escape(d.text)}</code></li>" for d in check.dead_rules)
        parts.append(f"<p>Dead rules (fire in no possible case): {'<ul>' + dead + '</ul>' if dead else 'none'}</p>"
                     f"<p>Actions never addressed: {escape(' '.join(check.gap_actions) or 'none')}<br>"
                     f"Request kinds never addressed: {escape(' '.join(check.gap_request_kinds) or 'none')}</p>")
    parts.append("</section>")
    return "".join(parts)


def render_report(rule_base: RuleBase, checks: Sequence[Check], trials: Sequence[SavingsTrial]) -> str:
    """The whole report as one HTML document."""
    against = checks[0].against if checks else ""
    settings = (f"every possible case with at most {checks[0].requests} requests, "
                f"{checks[0].timeout:g} s per search") if checks else ""
    body = [f"<h1>Ordinance analysis: conflicts with {escape(against)} and internal consistency</h1>",
            f"<p>Found by the solver over {escape(settings)}. \"None (proved)\" means the solver showed "
            "that no possible case has one. Each finding has a minimal witness case and its graph: "
            "which rules fired for the action in that case, down to the case's facts.</p>",
            f"<h2>Conflicts with {escape(against)}, by reading</h2>", _matrix(checks),
            "<h2>Savings clauses and carve-outs</h2>",
            "<p>Each section whose exceptions could save the ordinance, removed alone and all together: "
            "does a conflict appear that the ordinance as written does not have?</p>", _savings(trials),
            "<h2>Findings</h2>", *(_check_section(rule_base, c) for c in checks)]
    html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Ordinance analysis report</title><style>{STYLE}</style></head>"
            f"<body>{''.join(body)}<script>{SELF_CHECK}</script></body></html>\n")
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)
