"""One self-contained HTML page of every check and comparison: each finding, its witness and graph.

Everything is inline (CSS, SVG, one small script), so a researcher can e-mail
the file.  Every text comes from the findings; every graph is the solver's derivation
for the witness case (the rule instances that fired, down to the case's
facts, with the exceptions that did not apply), made in `finding_graph_svg`.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from html import escape
from typing import Iterable, Mapping, Sequence

from engine.analysis.check import READINGS
from engine.analysis.comparison import ALL_PAIRS
from engine.analysis.findings import (Check, Comparison, Difference, FederalConflict, InternalFinding,
                                      SavingsTrial, Witness)
from engine.analysis.restriction import restrict
from engine.core.cases import Case
from engine.core.errors import EngineError
from engine.core.printable import printable
from engine.core.rulebase import RuleBase
from engine.explain.derivation import derivation_graph
from engine.explain.explanation import traced_model
from engine.render.check_text import (conflict_cell, conflict_how, internal_summary, removed_label,
                                       savings_verdict)

__all__ = ["finding_graph_svg", "render_report", "report_summary"]

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:70em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eee}td.none{color:#2a7a2a}td.found{color:#b22222;font-weight:bold}td.timeout{color:#b8860b}
.finding{border-left:4px solid #b22222;padding:.2em 1em;margin:1em 0;background:#fafafa}
.finding.tension{border-color:#b8860b}.finding.conflict{border-color:#6a3d9a}
.finding.difference{border-color:#1f5fa8}
pre{background:#f0f0f0;padding:.5em;overflow-x:auto;font-size:90%}figure{margin:.5em 0}
figure svg{max-width:100%;height:auto}
"""

#: Marks the page once laid out: how many graphs have a visible size (read by the browser test).
SELF_CHECK = """
window.addEventListener('load',function(){var n=0;document.querySelectorAll('figure svg').forEach(
function(s){var b=s.getBoundingClientRect();if(b.width>0&&b.height>0){n++;}});
document.body.setAttribute('data-graphs-rendered',String(n));
document.body.setAttribute('data-matrix-rows',String(document.querySelectorAll('#matrix tbody tr').length));
var m=0;document.querySelectorAll('#comparisons figure svg').forEach(function(s){
var b=s.getBoundingClientRect();if(b.width>0&&b.height>0){m++;}});
document.body.setAttribute('data-comparison-pairs',String(document.querySelectorAll('#comparisons section.pair').length));
document.body.setAttribute('data-comparison-graphs',String(m));});
"""


def finding_graph_svg(rule_base: RuleBase, case: Case, ordinances: Sequence[str], action: str,
                      reading: str) -> str:
    """The witness's derivation for the finding's action under each ordinance, as one inline <svg>.

    One traced solve of the witness; the conclusions of all ordinances share one
    graph, so a fact both sides rest on is drawn once.
    """
    import graphviz

    from visualize import render_derivation

    model = traced_model(case, rule_base, {"usc_1373": reading})
    conclusions = [model.status(rule_base.catalog.ordinances[ordinance].constant, action)
                   for ordinance in ordinances]
    graph = derivation_graph(model.program, model.fired, conclusions, rule_base.catalog, model.facts)
    try:
        svg = render_derivation(graph).pipe(format="svg").decode()
    except graphviz.ExecutableNotFound:
        raise EngineError("report: the Graphviz program `dot` is not installed. Fix: install the Graphviz "
                          "package (e.g. `apt-get install graphviz`).") from None
    except (graphviz.CalledProcessError, OSError) as error:
        # Not a missing install: Graphviz ran and failed (every user text reaches it escaped).
        raise EngineError(f"report: Graphviz could not draw the graph of {action} in the witness case "
                          f"'{case.id}' ({error}). Fix: check that Graphviz draws a small graph "
                          "(`echo 'digraph{a->b}' | dot -Tsvg`); if it does, report this as a fault of "
                          "the engine.") from None
    return svg[svg.index("<svg"):]


#: One graph of the page: the witness case, the ordinances drawn, the action, the reading.
GraphJob = tuple[Case, tuple[str, ...], str, str]
#: Graphs drawn at once: each is a clingo solve and a Graphviz run, which leave Python's
#: lock free, and a report with comparisons has hundreds of them.
GRAPH_THREADS = 4


def _draw_all(rule_base: RuleBase, jobs: Iterable[GraphJob]) -> dict[GraphJob, str]:
    """Every graph the page shows, each drawn once by `finding_graph_svg`, a few at a time.

    Each graph's case is decided under a rule base restricted to the ordinances it
    draws (`engine.analysis.restriction.restrict`), as the searches were: the same rows, a
    smaller grounding.
    """
    unique = list(dict.fromkeys(jobs))
    ordinances = rule_base.catalog.ordinances
    narrowed = {drawn: restrict(rule_base, {ordinances[o].constant for o in drawn})
                for drawn in dict.fromkeys(job[1] for job in unique)}
    with ThreadPoolExecutor(max_workers=GRAPH_THREADS) as pool:
        return dict(zip(unique, pool.map(lambda job: finding_graph_svg(narrowed[job[1]], *job), unique)))


def _conflict_job(check: Check, conflict: FederalConflict) -> GraphJob:
    return conflict.witness.case, (check.ordinance, check.against), conflict.action, check.reading


def _internal_job(check: Check, finding: InternalFinding) -> GraphJob:
    return finding.witness.case, (check.ordinance,), finding.action, check.reading


def _difference_job(comparison: Comparison, difference: Difference) -> GraphJob:
    return (difference.witness.case, (comparison.first, comparison.second), difference.action,
            comparison.reading)


def _jobs(checks: Sequence[Check], comparisons: Sequence[Comparison]) -> Iterable[GraphJob]:
    for check in checks:
        yield from (_conflict_job(check, conflict) for conflict in check.conflicts or ())
        yield from (_internal_job(check, finding) for finding in check.internal)
    for comparison in comparisons:
        yield from (_difference_job(comparison, d) for d in comparison.differences)


def _cell_class(check: Check) -> str:
    if check.conflict_search is not None and not check.conflict_search.complete:
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
        summary = internal_summary(by_key[(ordinance, READINGS[0])])
        rows.append(f'<tr><th><a href="#{escape(ordinance)}">{escape(ordinance)}</a></th>{cells}'
                    f"<td>{escape(summary)}</td></tr>")
    return (f'<table id="matrix"><thead><tr><th>ordinance</th>{head}<th>internal ({READINGS[0]})</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _savings(trials: Sequence[SavingsTrial]) -> str:
    rows = []
    for trial in trials:
        rows.append(f"<tr><td>{escape(trial.ordinance)}</td><td>{escape(removed_label(trial))}</td>"
                    f"<td>{escape(trial.reading)}</td><td>{escape(savings_verdict(trial))}</td></tr>")
    return ('<table id="savings"><thead><tr><th>ordinance</th><th>exceptions removed</th><th>reading</th>'
            f"<th>result</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _witness(witness: Witness) -> str:
    quality = "minimal" if witness.minimal else "not proved minimal"
    facts = f"{witness.facts} stated fact{'s' if witness.facts != 1 else ''}"
    return (f"<p>Witness case ({quality}, {facts}; save it as a .json file and run "
            f"<code>ordinance decide</code> on it):</p>"
            f"<pre>{escape(json.dumps(witness.to_dict(), indent=2, ensure_ascii=False))}</pre>")


def _check_section(graphs: Mapping[GraphJob, str], check: Check) -> str:
    anchor = f' id="{escape(check.ordinance)}"' if check.reading == READINGS[0] else ""
    parts = [f"<section{anchor}><h3>{escape(check.ordinance)}, {escape(check.reading)} reading</h3>"]
    if check.conflicts is not None:
        if not check.conflicts:
            parts.append(f"<p>No conflict with {escape(check.against)}: proved by the solver "
                         "(no possible case has one).</p>" if check.conflict_search.complete else
                         f"<p>Conflicts with {escape(check.against)}: not known, the search TIMED OUT "
                         f"(open: {escape(', '.join(check.conflict_search.open_questions))}).</p>")
        for conflict in check.conflicts:
            graph = graphs[_conflict_job(check, conflict)]
            parts.append(f'<div class="finding federal"><p><b>Conflict on {escape(conflict.action)}</b>: '
                         f"{escape(conflict_how(conflict))}.</p>"
                         f"{_witness(conflict.witness)}<figure>{graph}</figure></div>")
    for finding in check.internal:
        graph = graphs[_internal_job(check, finding)]
        parts.append(f'<div class="finding {escape(finding.kind)}"><p><b>{escape(finding.kind.capitalize())} '
                     f"on {escape(finding.action)}</b>: sections {escape(' '.join(finding.sections))}.</p>"
                     f"{_witness(finding.witness)}<figure>{graph}</figure></div>")
    if check.internal_search is not None and not check.internal:
        parts.append("<p>Internal conflicts and tensions: none, proved by the solver.</p>"
                     if check.internal_search.complete else
                     "<p>Internal conflicts and tensions: not known, the search TIMED OUT.</p>")
    if check.coverage_search is not None and check.reading == READINGS[0] and not check.coverage_search.complete:
        parts.append("<p>Dead rules and gaps: not known, the search TIMED OUT.</p>")
    elif check.coverage_search is not None and check.reading == READINGS[0]:
        dead = "".join(f"<li>{escape(' '.join(d.sections))} at <code>{escape(d.where)}</code>: "
                       f"<code>{escape(d.text)}</code></li>" for d in check.dead_rules)
        parts.append(f"<p>Dead rules (fire in no possible case): {'<ul>' + dead + '</ul>' if dead else 'none'}</p>"
                     f"<p>Actions never addressed: {escape(' '.join(check.gap_actions) or 'none')}<br>"
                     f"Request kinds never addressed: {escape(' '.join(check.gap_request_kinds) or 'none')}</p>")
    parts.append("</section>")
    return "".join(parts)


def _pair_anchor(comparison: Comparison) -> str:
    return f"compare-{comparison.first}-{comparison.second}"


def _comparison_summary(comparisons: Sequence[Comparison]) -> str:
    rows = []
    for comparison in comparisons:
        actions = list(dict.fromkeys(d.action for d in comparison.differences))
        if not comparison.search.complete:
            verdict = (f"{', '.join(actions) or 'none found'}; the search TIMED OUT on: "
                       f"{', '.join(comparison.search.open_questions)}")
        else:
            verdict = ", ".join(actions) or "none (proved: the same status for every action in every case)"
        rows.append(f'<tr><th><a href="#{escape(_pair_anchor(comparison))}">{escape(comparison.first)} vs '
                    f"{escape(comparison.second)}</a></th><td>{len(actions)}</td>"
                    f"<td>{escape(verdict)}</td></tr>")
    return ('<table id="comparisons-summary"><thead><tr><th>pair</th><th>actions</th>'
            f"<th>actions on which they can disagree</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _side(ordinance: str, status: str, sections: Sequence[str]) -> str:
    by = f" by {' '.join(sections)}" if sections else " (no section speaks to it)"
    return f"{escape(ordinance)}: <b>{escape(status)}</b>{escape(by)}"


def _difference(graphs: Mapping[GraphJob, str], comparison: Comparison, difference: Difference) -> str:
    graph = graphs[_difference_job(comparison, difference)]
    return (f'<div class="finding difference"><p>'
            f"{_side(comparison.first, difference.first.status, difference.first.sections)}; "
            f"{_side(comparison.second, difference.second.status, difference.second.sections)}.</p>"
            f"{_witness(difference.witness)}<figure>{graph}</figure></div>")


def _comparison_section(graphs: Mapping[GraphJob, str], comparison: Comparison) -> str:
    parts = [f'<section class="pair" id="{escape(_pair_anchor(comparison))}"><h3>{escape(comparison.first)} '
             f"vs {escape(comparison.second)}, {escape(comparison.reading)} reading</h3>"]
    if not comparison.differences:
        parts.append("<p>No difference: " + ("proved by the solver (in every possible case they give "
                     "every action the same status).</p>" if comparison.search.complete
                     else "none found, but the search timed out.</p>"))
    for action in dict.fromkeys(d.action for d in comparison.differences):
        parts.append(f"<h4>{escape(action)}</h4>")
        parts += [_difference(graphs, comparison, d) for d in comparison.differences if d.action == action]
    if not comparison.search.complete:
        parts.append(f"<p>The search TIMED OUT on: {escape(', '.join(comparison.search.open_questions))}</p>")
    parts.append("</section>")
    return "".join(parts)


def _comparisons(graphs: Mapping[GraphJob, str], comparisons: Sequence[Comparison]) -> list[str]:
    if not comparisons:
        return ['<div id="comparisons"><h2>Comparisons</h2><p>No pair of ordinances was compared. '
                "Fix: write the report with <code>--compare A:B</code> (repeatable) or "
                f"<code>--compare {ALL_PAIRS}</code>.</p></div>"]
    return ['<div id="comparisons"><h2>Comparisons</h2>',
            f"<p>For each pair of ordinances ({escape(comparisons[0].reading)} reading of 8 U.S.C. 1373), "
            "each action and each two statuses the ordinances can give it in the same case: a minimal "
            "witness case, the sections deciding it on each side, and its graph. \"Silent\" means no "
            "section of that ordinance speaks to the action in that case.</p>",
            _comparison_summary(comparisons), *(_comparison_section(graphs, c) for c in comparisons),
            "</div>"]


def render_report(rule_base: RuleBase, checks: Sequence[Check], trials: Sequence[SavingsTrial],
                  comparisons: Sequence[Comparison] = ()) -> str:
    """The whole report as one HTML document."""
    graphs = _draw_all(rule_base, _jobs(checks, comparisons))
    against = checks[0].against if checks else ""
    settings = (f"every possible case with at most {checks[0].requests} requests, "
                f"{checks[0].timeout:g} s per search") if checks else ""
    body = [f"<h1>Ordinance analysis: conflicts with {escape(against)} and internal consistency</h1>",
            f"<p>Found by the solver over {escape(settings)}. \"None (proved)\" means the solver showed "
            "that no possible case has one. Each finding has a minimal witness case and its graph: "
            "which rules fired for the action in that case, down to the case's facts.</p>",
            '<nav>Contents: <a href="#matrix">conflicts by reading</a> · <a href="#savings">savings '
            'clauses</a> · <a href="#findings">findings</a> · <a href="#comparisons">comparisons</a></nav>',
            f"<h2>Conflicts with {escape(against)}, by reading</h2>", _matrix(checks),
            "<h2>Savings clauses and carve-outs</h2>",
            "<p>Each section whose exceptions could save the ordinance, removed alone and all together: "
            "does a conflict appear that the ordinance as written does not have?</p>", _savings(trials),
            '<h2 id="findings">Findings</h2>', *(_check_section(graphs, c) for c in checks),
            *_comparisons(graphs, comparisons)]
    html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Ordinance analysis report</title><style>{STYLE}</style></head>"
            f"<body>{''.join(body)}<script>{SELF_CHECK}</script></body></html>\n")
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


def report_summary(target: str, checks: Sequence[Check], comparisons: Sequence[Comparison]) -> str:
    """What `ordinance report` prints once the page is written: what the page holds."""
    findings = sum(len(c.conflicts or ()) + len(c.internal) for c in checks)
    differences = sum(len(c.differences) for c in comparisons)
    return (f"wrote {printable(target)}: {len(checks)} checks, {findings} findings with witnesses; "
            f"{len(comparisons)} comparisons, {differences} differences with witnesses\n")
