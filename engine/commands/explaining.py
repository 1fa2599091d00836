"""`ordinance explain`: why an action has its status under an ordinance, and what would change it."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands import summary
from engine.core.cases import load_case
from engine.commands.options import add_reading_option, add_rules_option, readings, seconds
from engine.core.errors import EngineError
from engine.explain.explanation import explain
from engine.core.rulebase import RuleBase
from engine.explain.section_whatif import section_counterfactuals
from engine.core.vocabulary import field_paths
from engine.explain.whatif import DEFAULT_WHATIF_SECONDS, counterfactuals
from engine.render.explain_text import render_explanation

NAME = "explain"
DEFAULT_MAX = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Explain one conclusion of a case from the solver's derivation: the sections "
                    "that decide it, their words, the case facts they rest on and the exceptions "
                    "that did not apply.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance explain examples/ana-detainer.yaml westchester honor_detainer --what-if\n"
               "  ordinance explain examples/ana-detainer.yaml westchester honor_detainer --graph why.dot\n"
               "  echo '{requests: [{kind: detainer}]}' | ordinance explain - westchester honor_detainer\n"
               "  ordinance explain --from-batch results.jsonl case-7 westchester honor_detainer --graph why.svg")
    parser.add_argument("case", help="a case file holding one case (.json, .yaml, .yml; - reads standard input); "
                                     "with --from-batch, the id of a case of the batch")
    parser.add_argument("--from-batch", metavar="ROWS.jsonl",
                        help="explain a case of an `ordinance batch --explain` output (its rows and the table "
                             "beside them, ROWS.jsonl.trace.jsonl), under the readings it was run with")
    parser.add_argument("ordinance", help="public ordinance id (`ordinance list`)")
    parser.add_argument("action", help="action id (`ordinance list --actions`)")
    parser.add_argument("--graph", metavar="FILE.dot|.svg|.png",
                        help="also draw the derivation; .dot needs no Graphviz binary, .svg/.png need it")
    parser.add_argument("--detail", choices=("lawyer", "full"), metavar="lawyer|full",
                        help="--graph: the lawyer's view (default: facts in words, sections, exceptions not "
                             "met, tensions, conclusion) or every rule and atom of the derivation (full)")
    parser.add_argument("--what-if", action="store_true",
                        help="also list the smallest changes to the case that change the status")
    parser.add_argument("--max", type=int, metavar="N",
                        help=f"--what-if: show at most N changed cases (default {DEFAULT_MAX})")
    parser.add_argument("--fix", action="append", default=[], metavar="FIELD",
                        help="--what-if: never change this case field (repeatable): "
                             + ", ".join(field_paths()))
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_WHATIF_SECONDS, metavar="SECONDS",
                        help=f"--what-if: time allowed to the search (default {DEFAULT_WHATIF_SECONDS:g}); "
                             "a search that runs out says so")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_reading_option(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    if args.detail and not args.graph:
        raise EngineError(f"--detail {args.detail} shapes the --graph drawing. Fix: add --graph FILE.")
    if args.from_batch:
        if args.reading or args.switch:
            raise EngineError("--from-batch explains a case under the readings its batch was run with. "
                              "Fix: drop --reading/--switch (or run the batch under them).")
        from engine.batch.trace_table import read_explained

        explained = read_explained(args.from_batch, args.case, rules)
        case, chosen = explained.case, explained.table.readings
    else:
        explained = None
        case, chosen = load_case(args.case, rules.catalog), readings(args)
    if (args.fix or args.max is not None) and not args.what_if:
        raise EngineError("--fix and --max shape the --what-if search. Fix: add --what-if.")
    limit = DEFAULT_MAX if args.max is None else args.max
    if limit < 1:
        raise EngineError(f"--max {limit}: must be at least 1. Fix: pass --max 1 or more.")
    explanation = explained.explain(args.ordinance, args.action) if explained else \
        explain(case, rules, args.ordinance, args.action, chosen)
    if args.graph:
        from visualize import render_derivation, write_graph

        write_graph(render_derivation(explanation.graph, detail=args.detail or "lawyer"), Path(args.graph))
    what_if = None
    if args.what_if:
        what_if = (counterfactuals(case, rules, args.ordinance, args.action, chosen, args.fix, limit,
                                   timeout=args.timeout),
                   section_counterfactuals(case, rules, args.ordinance, args.action, chosen))
    return render_explanation(case, explanation, args.ordinance, what_if, rules.catalog.descriptions,
                              as_json=args.format == "json")
