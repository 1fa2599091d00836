"""`ordinance decide`: a status for every (ordinance, action) of each case in a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands import summary
from engine.core.cases import Case, read_case_file
from engine.commands.options import add_reading_option, add_rules_option, readings
from engine.core.errors import EngineError
from engine.core.rulebase import RuleBase
from engine.core.results import Decision, Status
from engine.core.solve import decide
from engine.render.decision_formats import render_csv, render_markdown
from engine.render.decision_text import render_decisions

NAME = "decide"
#: The table formats other than text, each a renderer of the decisions and their reasons.
TABLE_RENDERERS = {"csv": render_csv, "markdown": render_markdown}
FORMATS = ("text", "json", *TABLE_RENDERERS)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Decide a case file (JSON or YAML, one case or a list).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance decide examples/ana-detainer.yaml --ordinance westchester\n"
               "  ordinance decide examples/interview-requests.yaml --format csv > decisions.csv\n"
               "  echo '{requests: [{kind: detainer}]}' | ordinance decide - --format markdown")
    parser.add_argument("case", help="a case file (.json, .yaml, .yml; - reads standard input)")
    parser.add_argument("--ordinance", action="append", metavar="ID",
                        help="rule under this ordinance only (repeatable); overrides the "
                             "case's own 'ordinances'; default: every local ordinance")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (a table a case), json (the contract's rows), csv or markdown "
                             "(one row per case x ordinance x action; docs/cli.md)")
    parser.add_argument("--all", action="store_true", help="list silent rows too (text, csv, markdown)")
    parser.add_argument("--graph", metavar="FILE.dot|.svg|.png",
                        help="also draw why the case's non-silent rows have their status (one case); "
                             ".dot needs no Graphviz binary, .svg/.png need it")
    parser.add_argument("--detail", choices=("lawyer", "full"), metavar="lawyer|full",
                        help="--graph: the lawyer's view of the derivation (default: facts in words, sections, "
                             "exceptions not met, tensions, conclusions) or which sections decided which "
                             "actions (full)")
    parser.add_argument("--explain", action="store_true",
                        help="add the reasons (sections, their words, the facts they rest on) "
                             "to each non-silent row")
    add_reading_option(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    if args.detail and not args.graph:
        raise EngineError(f"--detail {args.detail} shapes the --graph drawing. Fix: add --graph FILE.")
    case_file = read_case_file(args.case, rules.catalog)
    decisions = [decide(c, rules, ordinances=args.ordinance, readings=readings(args))
                 for c in case_file.cases]
    if args.graph:
        _write_graph(rules, case_file.cases, decisions, Path(args.graph), readings(args),
                     args.detail or "lawyer")
    reasons = [_reasons(rules, c, d, readings(args)) if args.explain else {}
               for c, d in zip(case_file.cases, decisions)]
    if args.format in TABLE_RENDERERS:
        return TABLE_RENDERERS[args.format](decisions, reasons, show_silent=args.all)
    return render_decisions(decisions, reasons, as_json=args.format == "json", as_list=case_file.is_list,
                            show_silent=args.all)


def _reasons(rules: RuleBase, case: Case, decision: Decision,
             chosen_readings: dict[str, str]) -> dict[tuple[str, str], str]:
    """The plain-language reasons of every non-silent row, from one traced solve."""
    from engine.explain.explanation import explain_pairs  # here: decide without --explain need not load it

    pairs = [(r.ordinance, r.action) for r in decision.results if r.status != Status.SILENT]
    return {(e.ordinance, e.action): e.text
            for e in explain_pairs(case, rules, pairs, chosen_readings)}


def _write_graph(rules: RuleBase, cases: list[Case], decisions: list[Decision], target: Path,
                 chosen_readings: dict[str, str], detail: str) -> None:
    from visualize import decision_graph, render_decision, render_derivation, write_graph

    if len(decisions) != 1:
        raise EngineError(f"--graph draws one case, the file holds {len(decisions)}. "
                          "Fix: put the case to draw in a file of its own.")
    if detail == "full":
        write_graph(render_decision(decision_graph(decisions[0])), target)
        return
    from engine.explain.explanation import explain_graph

    pairs = [(r.ordinance, r.action) for r in decisions[0].results if r.status != Status.SILENT]
    write_graph(render_derivation(explain_graph(cases[0], rules, pairs, chosen_readings)), target)
