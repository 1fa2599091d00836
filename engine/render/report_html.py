"""One self-contained HTML page of every check and comparison: each finding, its law, witness and graph.

The page is meant to be sent as one file (to a city attorney, say): everything is
inline (CSS, SVG, one small script), a sidebar links to every section and
finding, and each finding is a collapsible section stating it in words, with the
words of the sections it rests on, the witness case in the vocabulary's words
and as JSON to copy, and its derivation graph.  Every text comes from the
findings and the rule base's catalog (section words, action and fact
descriptions); every graph is the solver's derivation for the witness case (the
rule instances that fired, down to the case's facts, with the exceptions that
did not apply), made in `finding_graph_svg`.

This module turns the findings into plain view objects; the markup is the
Jinja2 templates in ``templates/`` (autoescaped: a case id or the words of a
``--rules`` file are text, never markup).  Which view of a derivation the page
draws is chosen in one place, `GRAPH_DETAIL` (used by `_drawing` and by
`_legend_drawing`, the page's one legend).
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from engine.analysis.check import READINGS
from engine.analysis.comparison import ALL_PAIRS
from engine.analysis.findings import (ActionRelation, Check, Comparison, Difference, FederalConflict,
                                      InternalFinding, Relation, SavingsTrial, SearchReport, Witness)
from engine.analysis.restriction import restrict
from engine.core.cases import Case
from engine.core.catalog import Catalog, section_ref
from engine.core.errors import EngineError
from engine.core.facts import case_facts
from engine.core.printable import printable
from engine.core.results import Result, Status
from engine.core.rulebase import RuleBase
from engine.explain.derivation import derivation_graph, describe_fact
from engine.explain.explanation import traced_model
from engine.render.check_text import conflict_cell, internal_summary, removed_label, savings_verdict
from engine.render.compare_text import STRICTER, relation_name, relation_summary
from engine.render.json_text import json_text

if TYPE_CHECKING:
    import graphviz
    import networkx as nx

    from engine.analysis.counting import Counts

__all__ = ["finding_graph_svg", "render_report", "report_summary", "GraphProgress"]

TEMPLATES = Path(__file__).parent / "templates"
#: Called after each graph is drawn with (graphs drawn, graphs in all): the command's progress line.
GraphProgress = Callable[[int, int], None]


# --- the graphs -----------------------------------------------------------------------------------


#: Which view of a derivation the report draws (`visualize.render_derivation`'s ``detail``):
#: "lawyer" (facts, sections with their words, exceptions not met, conclusion in words: for the
#: readers a report is sent to) or "full" (every rule and atom).  THE place to switch it.
GRAPH_DETAIL = "lawyer"


def _drawing(graph: nx.DiGraph) -> graphviz.Digraph:
    """Every graph of the page is drawn here, in the `GRAPH_DETAIL` view, without its legend
    (the page draws one, `_legend_drawing`)."""
    from visualize import render_derivation

    return render_derivation(graph, legend=False, detail=GRAPH_DETAIL)


def _legend_drawing() -> graphviz.Digraph:
    """The legend of `_drawing`'s graphs, drawn once for the whole page: the same renderer
    given a graph with no nodes, so the legend is the one the graphs are drawn with."""
    import networkx as nx

    from visualize import render_derivation

    return render_derivation(nx.DiGraph(), legend=True, detail=GRAPH_DETAIL)


def _svg(drawing: graphviz.Digraph, what: str) -> str:
    """A drawing as inline <svg> (no XML prolog, no comments), or an error naming the fix."""
    import graphviz

    try:
        svg = drawing.pipe(format="svg").decode()
    except graphviz.ExecutableNotFound:
        raise EngineError("report: the Graphviz program `dot` is not installed. Fix: install the Graphviz "
                          "package (e.g. `apt-get install graphviz`).") from None
    except (graphviz.CalledProcessError, OSError) as error:
        # Not a missing install: Graphviz ran and failed (every user text reaches it escaped).
        raise EngineError(f"report: Graphviz could not draw {what} ({error}). Fix: check that Graphviz "
                          "draws a small graph (`echo 'digraph{a->b}' | dot -Tsvg`); if it does, report "
                          "this as a fault of the engine.") from None
    # Graphviz numbers its elements (id="node1", <title>n1</title>) alike in every drawing: dropped,
    # so the page's ids are its own anchors and no tooltip shows an internal number.
    svg = re.sub(r"<!--.*?-->", "", svg[svg.index("<svg"):], flags=re.S)
    return re.sub(r'\sid="[^"]*"|<title>[^<]*</title>\n?', "", svg)


def finding_graph_svg(rule_base: RuleBase, case: Case, ordinances: Sequence[str], action: str,
                      reading: str) -> str:
    """The witness's derivation for the finding's action under each ordinance, as one inline <svg>.

    One traced solve of the witness; the conclusions of all ordinances share one
    graph, so a fact both sides rest on is drawn once.
    """
    return _svg(_finding_drawing(rule_base, case, ordinances, action, reading), _what(case, action))


def _what(case: Case, action: str) -> str:
    return f"the graph of {action} in the witness case '{case.id}'"


def _finding_drawing(rule_base: RuleBase, case: Case, ordinances: Sequence[str], action: str,
                     reading: str) -> graphviz.Digraph:
    """`finding_graph_svg`'s drawing, before Graphviz lays it out."""
    model = traced_model(case, rule_base, {"usc_1373": reading})
    conclusions = [model.status(rule_base.catalog.ordinances[ordinance].constant, action)
                   for ordinance in ordinances]
    return _drawing(derivation_graph(model.program, model.fired, conclusions, rule_base.catalog, model.facts))


#: One graph of the page: the witness case, the ordinances drawn, the action, the reading.
GraphJob = tuple[Case, tuple[str, ...], str, str]
#: Graphviz runs at once: each is a process of its own, which leaves Python's lock free, and a
#: report with comparisons has hundreds of graphs.
GRAPH_THREADS = 4


def _draw_all(rule_base: RuleBase, jobs: Iterable[GraphJob],
              progress: GraphProgress | None = None) -> dict[GraphJob, str]:
    """Every graph the page shows, each drawn once as `finding_graph_svg` draws it.

    Each graph's case is decided under a rule base restricted to the ordinances it
    draws (`engine.analysis.restriction.restrict`), as the searches were: the same rows, a
    smaller grounding.  The solves and the drawings are made here, one after the other, and
    only the Graphviz runs go to other threads: the rule bases share clingo AST nodes, whose
    reference counts clingo's C library does not guard, and its calls leave Python's lock free,
    so two threads building or reading programs from the same statements could corrupt them
    (a full test run crashed so, in clingo's ``unpool``).
    """
    unique = list(dict.fromkeys(jobs))
    if progress is not None:
        progress(0, len(unique))
    ordinances = rule_base.catalog.ordinances
    narrowed = {drawn: restrict(rule_base, {ordinances[o].constant for o in drawn})
                for drawn in dict.fromkeys(job[1] for job in unique)}
    drawn: dict[GraphJob, str] = {}
    with ThreadPoolExecutor(max_workers=GRAPH_THREADS) as pool:
        pending: dict[GraphJob, Future[str]] = {}
        for job in unique:
            case, _, action, _ = job
            pending[job] = pool.submit(_svg, _finding_drawing(narrowed[job[1]], *job), _what(case, action))
            if progress is not None:
                progress(sum(future.done() for future in pending.values()), len(unique))
        for job, future in pending.items():
            drawn[job] = future.result()
            if progress is not None:
                progress(len(drawn), len(unique))
    return drawn


@dataclass(frozen=True)
class Graph:
    """An inline <svg> and its natural width (CSS px), below which the page does not shrink it much."""

    svg: str
    width: float

    @classmethod
    def of(cls, svg: str) -> Graph:
        found = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)
        return cls(svg, float(found.group(1)) * 4 / 3 if found else 0.0)


# --- what the page shows, as plain data for the templates -------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A section cited by a finding, with the words its rules encode."""

    label: str  # "beacon § 3(a)"
    words: str | None  # None: the rule files give the section no words


@dataclass(frozen=True)
class WitnessView:
    """A witness case: its facts in the vocabulary's words, and as the contract's JSON."""

    facts: tuple[str, ...]
    json: str
    note: str


@dataclass(frozen=True)
class Finding:
    """One finding (a conflict with federal law, an internal conflict or tension, a difference)."""

    anchor: str
    kind: str  # federal, conflict, tension, difference: its colour on the page
    action: str
    readings: tuple[str, ...]
    badge: str
    title: str
    statement: str
    act: str
    quotes: tuple[Quote, ...]
    witness: WitnessView
    graph: Graph


@dataclass(frozen=True)
class Link:
    """A piece of a table cell: text, linked to a finding when it names one."""

    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Cell:
    css: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class MatrixRow:
    ordinance: str
    anchor: str
    cells: tuple[Cell, ...]
    internal: Cell


@dataclass(frozen=True)
class SavingsRow:
    ordinance: str
    removed: str
    words: str | None  # the words of the one section removed (none for a row of several)
    cells: tuple[Cell, ...]  # per reading


@dataclass(frozen=True)
class Savings:
    shown: tuple[SavingsRow, ...]  # load-bearing first, then those not known
    quiet: tuple[tuple[str, tuple[str, ...]], ...]  # per ordinance, what removes no conflict
    quiet_count: int


@dataclass(frozen=True)
class ConflictPart:
    """One reading of an ordinance's conflict search: what was found, or the proof, or the time-out."""

    reading: str
    lines: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class OrdinanceView:
    ordinance: str
    title: str
    anchor: str
    conflicts: tuple[ConflictPart, ...]
    internal: tuple[Finding, ...]
    internal_lines: tuple[str, ...]
    coverage: tuple[str, ...] | None  # None: not searched
    dead_rules: tuple[tuple[str, str, str], ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for part in self.conflicts for f in part.findings) + self.internal


@dataclass(frozen=True)
class DifferenceRow:
    action: str
    action_anchor: str | None  # on the first row of an action
    rowspan: int
    first: Cell
    second: Cell
    anchor: str
    relation: Cell | None  # on the first row of an action: how the two stand on it


@dataclass(frozen=True)
class PairView:
    first: str
    second: str
    anchor: str
    reading: str
    rows: tuple[DifferenceRow, ...]
    findings: tuple[Finding, ...]
    lines: tuple[str, ...]
    #: Action -> the relation cell (every action compared, rows or none): the overview reads it.
    relations: Mapping[str, Cell]


@dataclass(frozen=True)
class OverviewRow:
    action: str
    cells: tuple[Cell, ...]  # per pair


class _Anchors:
    """Ids for the page's sections and findings: readable, made of [a-z0-9-] whatever a user
    named things, and unique (a counter tells apart two names that read alike)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, *parts: str) -> str:
        base = "-".join(re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") or "x" for part in parts)
        anchor, number = base, 1
        while anchor in self.used:
            number += 1
            anchor = f"{base}-{number}"
        self.used.add(anchor)
        return anchor


#: How a finding says what an ordinance does with an act of the given status.
VERBS = {Status.FORBIDDEN: "forbids it", Status.OBLIGATED: "requires it", Status.PERMITTED: "permits it",
         Status.CONFLICT: "both forbids and requires it", Status.SILENT: "says nothing of it"}


def _refs(sections: Sequence[str]) -> str:
    return ", ".join(section_ref(s) for s in sections)


def _grounds(row: Result) -> str:
    """The sections behind a row, in words: those that decided it, and the exceptions or
    permissions that applied (the contract's ``sections`` and ``exceptions``)."""
    if row.exceptions and row.exceptions == row.sections:
        return f" ({_refs(row.sections)}, an exception or permission that applied)"
    parts = ([_refs(row.sections)] if row.sections else []) + (
        [f"exception or permission applied: {_refs(row.exceptions)}"] if row.exceptions else [])
    return f" ({'; '.join(parts)})" if parts else ""


def _quotes(catalog: Catalog, ordinance: str, sections: Iterable[str]) -> list[Quote]:
    known = catalog.ordinances[ordinance].sections if ordinance in catalog.ordinances else {}
    return [Quote(f"{ordinance} {section_ref(s)}", known.get(s)) for s in sections]


def _act(catalog: Catalog, action: str) -> str:
    words = catalog.actions.get(action)
    return f"The act ({action}): {words}." if words else f"The act: {action}."


def _witness(catalog: Catalog, witness: Witness) -> WitnessView:
    facts = tuple(describe_fact(atom, catalog.descriptions) or str(atom) for atom in case_facts(witness.case))
    quality = "minimal" if witness.minimal else "not proved minimal"
    note = f"{quality}, {witness.facts} stated fact{'s' if witness.facts != 1 else ''}"
    return WitnessView(facts, json_text(witness.to_dict()).rstrip("\n"), note)


def _readings(readings: Sequence[str]) -> str:
    return (" and ".join(readings) + " reading" + ("s" if len(readings) > 1 else "")) if readings else ""


class _Page:
    """Builds the view objects of one page, giving every finding its anchor and graph."""

    def __init__(self, rule_base: RuleBase, graphs: Mapping[GraphJob, str]) -> None:
        self.catalog = rule_base.catalog
        self.graphs = graphs
        self.anchors = _Anchors()
        for fixed in ("matrix", "savings", "findings", "legend", "comparisons", "top"):
            self.anchors(fixed)

    def federal(self, check: Check, conflict: FederalConflict) -> Finding:
        how = ("allows it only on a condition" if conflict.by == "restriction"
               else VERBS[conflict.local_status])
        items = "; ".join(f"request {request} asking for {info.replace('_', ' ')}"
                          for request, info in conflict.items)
        statement = (f"In the witness case below, {check.ordinance} {how} ({_refs(conflict.sections)}), "
                     f"while {check.against} protects it ({_refs(conflict.federal_sections)})"
                     + (f", item by item: {items}" if items else "")
                     + f". Under the {check.reading} reading of {check.against} this is a conflict"
                     + (f" (the act's status under {check.ordinance}: {conflict.local_status})."
                        if conflict.by == "restriction" else "."))
        return Finding(
            self.anchors(check.ordinance, check.reading, "conflict", conflict.action), "federal",
            conflict.action, (check.reading,), f"conflict with {check.against}",
            f"{conflict.action}: {check.ordinance} {_refs(conflict.sections)} ({check.reading} reading)",
            statement, _act(self.catalog, conflict.action),
            tuple(_quotes(self.catalog, check.ordinance, conflict.sections)
                  + _quotes(self.catalog, check.against or "", conflict.federal_sections)),
            _witness(self.catalog, conflict.witness), Graph.of(self.graphs[_conflict_job(check, conflict)]))

    def internal(self, check: Check, finding: InternalFinding, readings: Sequence[str]) -> Finding:
        what = ("both forbids and requires the act (its status: conflict)" if finding.kind == "conflict" else
                "permits the act in one section while another forbids it (its status stays forbidden)")
        statement = (f"In the witness case below, {check.ordinance} {what}, under the {_readings(readings)} "
                     f"of 8 U.S.C. 1373. The sections at odds: {_refs(finding.sections)}.")
        return Finding(
            self.anchors(check.ordinance, finding.kind, finding.action), finding.kind, finding.action,
            tuple(readings), finding.kind,
            f"{finding.action}: {check.ordinance} {_refs(finding.sections)} ({_readings(readings)})", statement, _act(self.catalog, finding.action),
            tuple(_quotes(self.catalog, check.ordinance, finding.sections)),
            _witness(self.catalog, finding.witness), Graph.of(self.graphs[_internal_job(check, finding)]))

    def difference(self, comparison: Comparison, difference: Difference) -> Finding:
        sides = [(comparison.first, difference.first), (comparison.second, difference.second)]
        said = ", while ".join(f"{o} {VERBS[r.status]}{_grounds(r)}" for o, r in sides)
        quotes = [q for o, r in sides for q in _quotes(self.catalog, o, dict.fromkeys(r.sections + r.exceptions))]
        return Finding(
            self.anchors(comparison.first, comparison.second, difference.action, difference.first.status,
                         difference.second.status),
            "difference", difference.action, (comparison.reading,), "difference",
            f"{difference.action}: {comparison.first} {difference.first.status}, "
            f"{comparison.second} {difference.second.status}",
            f"In the witness case below, {said}.", _act(self.catalog, difference.action), tuple(quotes),
            _witness(self.catalog, difference.witness),
            Graph.of(self.graphs[_difference_job(comparison, difference)]))


def _conflict_job(check: Check, conflict: FederalConflict) -> GraphJob:
    return conflict.witness.case, (check.ordinance, check.against or ""), conflict.action, check.reading


def _internal_job(check: Check, finding: InternalFinding) -> GraphJob:
    return finding.witness.case, (check.ordinance,), finding.action, check.reading


def _difference_job(comparison: Comparison, difference: Difference) -> GraphJob:
    return (difference.witness.case, (comparison.first, comparison.second), difference.action,
            comparison.reading)


def _merged_internal(checks: Sequence[Check]) -> list[tuple[Check, InternalFinding, list[str]]]:
    """An ordinance's internal findings, each once with the readings it is found under: the same
    finding (kind, action, sections and witness) under both readings is one finding of the page."""
    merged: dict[tuple, tuple[Check, InternalFinding, list[str]]] = {}
    for check in checks:
        for finding in check.internal:
            key = (finding.kind, finding.action, finding.sections, finding.witness)
            merged.setdefault(key, (check, finding, []))[2].append(check.reading)
    return list(merged.values())


def _jobs(checks: Sequence[Check], comparisons: Sequence[Comparison]) -> Iterable[GraphJob]:
    """The graphs the page draws: one per finding it shows."""
    for check in checks:
        yield from (_conflict_job(check, conflict) for conflict in check.conflicts or ())
    for ordinance in dict.fromkeys(c.ordinance for c in checks):
        for check, finding, _ in _merged_internal([c for c in checks if c.ordinance == ordinance]):
            yield _internal_job(check, finding)
    for comparison in comparisons:
        yield from (_difference_job(comparison, d) for d in comparison.differences)


def _timed_out(report: SearchReport | None, what: str) -> list[str]:
    if report is None or report.complete:
        return []
    return [f"{what}: the search TIMED OUT on: {', '.join(report.open_questions)}"]


def _conflict_part(page: _Page, check: Check) -> ConflictPart:
    findings = tuple(page.federal(check, c) for c in check.conflicts or ())
    lines: list[str] = []
    if not findings and check.conflict_search is not None:
        lines.append(f"No conflict with {check.against}: proved by the solver (no possible case has one)."
                     if check.conflict_search.complete else
                     f"Conflicts with {check.against}: not known, the search TIMED OUT "
                     f"(open: {', '.join(check.conflict_search.open_questions)}).")
    elif findings:
        lines += _timed_out(check.conflict_search, "Other conflicts")
    return ConflictPart(check.reading, tuple(lines), findings)


def _ordinance_view(page: _Page, checks: Sequence[Check]) -> OrdinanceView:
    first = checks[0]
    internal = tuple(page.internal(c, f, readings) for c, f, readings in _merged_internal(checks))
    lines: list[str] = []
    searched = [c for c in checks if c.internal_search is not None]
    open_readings = [c.reading for c in searched if not c.internal_search.complete]
    if searched and not internal and not open_readings:
        lines.append("Internal conflicts and tensions: none, proved by the solver.")
    for check in searched:
        if not check.internal_search.complete:
            lines.append(f"Internal conflicts and tensions ({check.reading} reading): "
                         + ("others not known" if check.internal else "not known")
                         + f", the search TIMED OUT (open: {', '.join(check.internal_search.open_questions)}).")
    coverage: tuple[str, ...] | None = None
    if first.coverage_search is not None:
        coverage = (("Dead rules and gaps: not known, the search TIMED OUT.",) if not first.coverage_search.complete
                    else (f"Actions never addressed: {' '.join(first.gap_actions) or 'none'}",
                          f"Request kinds never addressed: {' '.join(first.gap_request_kinds) or 'none'}"))
    dead = tuple((' '.join(d.sections), d.where, d.text) for d in first.dead_rules)
    ordinance = page.catalog.ordinances.get(first.ordinance)
    return OrdinanceView(first.ordinance, ordinance.title if ordinance else "", page.anchors(first.ordinance),
                         tuple(_conflict_part(page, c) for c in checks if c.conflicts is not None
                               or c.conflict_search is not None),
                         internal, tuple(lines), coverage, dead)


def _cell_class(check: Check) -> str:
    if check.conflict_search is not None and not check.conflict_search.complete:
        return "timeout"
    return "found" if check.conflicts else "none"


def _share_of_cases(counts: Counts) -> Link:
    """A matrix cell's count (``report --count``): the share of the bounded case space with a conflict."""
    from engine.render.count_text import NOT_COUNTED, percent

    if counts.any.cases is None or counts.bound.cases.cases is None:
        return Link(f"share of cases: {NOT_COUNTED}")
    return Link(f"in {percent(counts.any.share(counts.bound.cases))} of the cases "
                f"({counts.any.cases:,} of {counts.bound.cases.cases:,})")


def _matrix(checks: Sequence[Check], views: Mapping[str, OrdinanceView],
            counts: Mapping[tuple[str, str], Counts]) -> list[MatrixRow]:
    """Ordinance x reading: the conflicts with federal law, each linked to its finding, and (with
    ``counts``, by ordinance and reading) the share of cases with one; the internal findings under
    the first reading."""
    by_key = {(c.ordinance, c.reading): c for c in checks}
    rows = []
    for ordinance, view in views.items():
        anchors = {(part.reading, f.action): f.anchor for part in view.conflicts for f in part.findings}
        cells = []
        for reading in READINGS:
            check = by_key[(ordinance, reading)]
            if check.conflicts:
                complete = check.conflict_search is None or check.conflict_search.complete
                links = (Link(f"{len(check.conflicts)} conflict{'s' if len(check.conflicts) > 1 else ''}:"),
                         *(Link(c.action, anchors[(reading, c.action)]) for c in check.conflicts),
                         *(() if complete else (Link("(others TIMED OUT)"),)))
            else:
                links = (Link(conflict_cell(check)),)
            if (ordinance, reading) in counts:
                links += (_share_of_cases(counts[(ordinance, reading)]),)
            cells.append(Cell(_cell_class(check), links))
        first = by_key[(ordinance, READINGS[0])]
        if first.internal:
            links = tuple(Link(f"{f.kind}: {f.action}", next(x.anchor for x in view.internal if x.kind == f.kind
                                                               and x.action == f.action and first.reading in x.readings))
                          for f in first.internal)
            if first.internal_search is not None and not first.internal_search.complete:
                links += (Link("(others TIMED OUT)"),)
        else:
            links = (Link(internal_summary(first)),)
        rows.append(MatrixRow(ordinance, view.anchor, tuple(cells), Cell("internal", links)))
    return rows


def _savings(catalog: Catalog, trials: Sequence[SavingsTrial]) -> Savings:
    """One row per savings section (or all of an ordinance's together), a column per reading;
    the rows that make a conflict (load-bearing) first, then the ones not known, and the rest
    (removing them creates no conflict under either reading) named in one line per ordinance."""
    rows: dict[tuple[str, tuple[str, ...]], dict[str, SavingsTrial]] = {}
    for trial in trials:
        rows.setdefault((trial.ordinance, trial.removed), {})[trial.reading] = trial
    bearing, unknown, quiet = [], [], {}
    for (ordinance, removed), by_reading in rows.items():
        states = [t.load_bearing for t in by_reading.values()]
        if not any(states) and all(s is False for s in states):
            quiet.setdefault(ordinance, []).append(removed_label(next(iter(by_reading.values()))))
            continue
        cells = tuple(Cell("found" if t.load_bearing else "none" if t.load_bearing is False else "timeout",
                           (Link(savings_verdict(t)),)) if t is not None else Cell("", ())
                      for t in (by_reading.get(r) for r in READINGS))
        words = (catalog.ordinances[ordinance].sections.get(removed[0])
                 if len(removed) == 1 and ordinance in catalog.ordinances else None)
        row = SavingsRow(ordinance, removed_label(next(iter(by_reading.values()))), words, cells)
        (bearing if any(states) else unknown).append(row)
    return Savings(tuple(bearing + unknown), tuple((o, tuple(r)) for o, r in quiet.items()),
                   sum(len(r) for r in quiet.values()))


def _status_cell(status: str, sections: Sequence[str], anchor: str) -> Cell:
    by = f"by {_refs(sections)}" if sections else "no section speaks to it"
    return Cell(f"st-{status}", (Link(status, anchor), Link(by)))


#: The class of a relation's cell (report.css colours it).
RELATION_CSS = {Relation.EQUIVALENT: "rel-equivalent", Relation.FIRST_STRICTER: "rel-stricter",
                Relation.SECOND_STRICTER: "rel-stricter", Relation.INCOMPARABLE: "rel-incomparable",
                Relation.UNKNOWN: "timeout"}


def _relation_cell(comparison: Comparison, relation: ActionRelation, anchors: Mapping[Difference, str]) -> Cell:
    """How the two stand on an action, each direction that holds linked to the difference whose
    witness shows it."""
    first, second = comparison.first, comparison.second
    links = [Link(relation_summary(relation.relation, relation.possible, first, second))]
    for direction, own, other in ((relation.first_beyond, first, second), (relation.second_beyond, second, first)):
        if direction.witness is not None:
            links.append(Link(f"{own} beyond {other}", anchors[direction.witness]))
    return Cell(RELATION_CSS[relation.relation], tuple(links))


def _relation_lines(comparison: Comparison) -> list[str]:
    """The relation over every action, and the actions whose relation is not known though the
    table shows no row for them (every search of theirs timed out)."""
    relation, possible = comparison.overall
    lines = [f"Over every action at once: {relation_summary(relation, possible, comparison.first, comparison.second)}."
             f" Relation column: {STRICTER}; 'A beyond B' links the witness of a case in which A "
             "forbids or obliges the act and B does not."]
    shown = {d.action for d in comparison.differences}
    hidden = [r for r in comparison.relations if r.action not in shown and r.relation is not Relation.EQUIVALENT]
    lines += [f"{r.action}: {relation_summary(r.relation, r.possible, comparison.first, comparison.second)}."
              for r in hidden]
    return lines


def _pair_view(page: _Page, comparison: Comparison) -> PairView:
    findings = tuple(page.difference(comparison, d) for d in comparison.differences)
    by_difference = {d: f.anchor for d, f in zip(comparison.differences, findings)}
    relations = {r.action: _relation_cell(comparison, r, by_difference) for r in comparison.relations}
    rows = []
    actions = list(dict.fromkeys(d.action for d in comparison.differences))
    anchor = page.anchors("compare", comparison.first, comparison.second)
    for action in actions:
        mine = [(d, f) for d, f in zip(comparison.differences, findings) if d.action == action]
        for index, (difference, finding) in enumerate(mine):
            rows.append(DifferenceRow(
                action, page.anchors(anchor, action) if index == 0 else None, len(mine) if index == 0 else 0,
                _status_cell(difference.first.status, difference.first.sections, finding.anchor),
                _status_cell(difference.second.status, difference.second.sections, finding.anchor),
                finding.anchor, relations.get(action) if index == 0 else None))
    lines: list[str] = _relation_lines(comparison) if comparison.relations else []
    if not comparison.differences:
        lines.append("No difference: " + ("proved by the solver (in every possible case they give every "
                                          "action the same status)." if comparison.search.complete
                                          else "none found, but the search TIMED OUT."))
    elif comparison.search.complete:
        lines.append(f"They can disagree on {len(actions)} action{'s' if len(actions) != 1 else ''}; on every "
                     "other action they agree in every possible case (proved by the solver).")
    lines += _timed_out(comparison.search, "Other differences")
    return PairView(comparison.first, comparison.second, anchor, comparison.reading, tuple(rows), findings,
                    tuple(lines), relations)


def _overview(pairs: Sequence[PairView], comparisons: Sequence[Comparison]) -> list[OverviewRow]:
    """Action x pair: how many ways each pair can disagree on each action, linked to the pair's rows."""
    actions = sorted({row.action for pair in pairs for row in pair.rows})
    rows = []
    for action in actions:
        cells = []
        for pair, comparison in zip(pairs, comparisons):
            mine = [row for row in pair.rows if row.action == action]
            relation = comparison.relation(action) if comparison.relations else None
            said = (() if relation is None else
                    (Link(relation_name(relation.relation, comparison.first, comparison.second)),))
            if mine:
                cells.append(Cell("found", (Link(str(len(mine)), mine[0].action_anchor), *said)))
            else:  # the same status in every case, proved (by the solver or the grounder), or not known
                same = comparison.search.complete if relation is None else relation.identical is True
                cells.append(Cell("none" if same else "timeout", (Link("=" if same else "?"),)))
        rows.append(OverviewRow(action, tuple(cells)))
    return rows


def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_report(rule_base: RuleBase, checks: Sequence[Check], trials: Sequence[SavingsTrial],
                  comparisons: Sequence[Comparison] = (), *, progress: GraphProgress | None = None,
                  counts: Mapping[tuple[str, str], Counts] | None = None) -> str:
    """The whole report as one HTML document; ``progress`` hears of each graph drawn; ``counts``
    (``report --count``: exact counts of conflicts by ordinance and reading) add the share of
    cases to the matrix."""
    from markupsafe import Markup

    from visualize.decision_graph import STATUS_COLOURS

    graphs = _draw_all(rule_base, _jobs(checks, comparisons), progress)
    page = _Page(rule_base, {job: Markup(svg) for job, svg in graphs.items()})
    by_ordinance: dict[str, list[Check]] = {}
    for check in checks:
        by_ordinance.setdefault(check.ordinance, []).append(check)
    views = {o: _ordinance_view(page, cs) for o, cs in by_ordinance.items()}
    pairs = [_pair_view(page, c) for c in comparisons]
    legend = Markup(_svg(_legend_drawing(), "the legend")) if graphs else None
    against = checks[0].against if checks else ""
    return _environment().get_template("report.html").render(
        against=against, checks=checks, requests=checks[0].requests if checks else None,
        timeout=checks[0].timeout if checks else None, readings=READINGS,
        matrix=_matrix(checks, views, counts or {}), counted=bool(counts), ordinances=list(views.values()),
        savings=_savings(rule_base.catalog, trials), pairs=pairs, overview=_overview(pairs, comparisons),
        comparison_reading=comparisons[0].reading if comparisons else None, all_pairs=ALL_PAIRS,
        legend=legend, status_colours=STATUS_COLOURS)


def report_summary(target: str, checks: Sequence[Check], comparisons: Sequence[Comparison]) -> str:
    """What `ordinance report` prints once the page is written: what the page holds."""
    findings = sum(len(c.conflicts or ()) + len(c.internal) for c in checks)
    differences = sum(len(c.differences) for c in comparisons)
    return (f"wrote {printable(target)}: {len(checks)} checks, {findings} findings with witnesses; "
            f"{len(comparisons)} comparisons, {differences} differences with witnesses\n")
