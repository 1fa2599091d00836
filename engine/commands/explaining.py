"""`ordinance explain`: why an action has its status under an ordinance, and what would change it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from engine.core.cases import load_case
from engine.commands.options import add_reading_option, add_rules_option, readings
from engine.explain.derivation import describe_fact
from engine.core.errors import EngineError
from engine.explain.explanation import explain
from engine.core.rulebase import RuleBase
from engine.explain.section_whatif import section_counterfactuals
from engine.explain.whatif import FIELDS, counterfactuals

NAME = "explain"
DEFAULT_MAX = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help="why an action has its status under an ordinance (reasons, graph, what-if)",
        description="Explain one conclusion of a case from the solver's derivation: the sections "
                    "that decide it, their words, the case facts they rest on and the exceptions "
                    "that did not apply.",
        epilog="Example: ordinance explain examples/ana-detainer.yaml westchester honor_detainer --what-if")
    parser.add_argument("case", help="a case file holding one case")
    parser.add_argument("ordinance", help="public ordinance id (`ordinance list`)")
    parser.add_argument("action", help="action id (`ordinance list --actions`)")
    parser.add_argument("--graph", metavar="FILE.dot|.svg|.png",
                        help="also draw the derivation; .dot needs no Graphviz binary, .svg/.png need it")
    parser.add_argument("--what-if", action="store_true",
                        help="also list the smallest changes to the case that change the status")
    parser.add_argument("--max", type=int, metavar="N",
                        help=f"--what-if: show at most N changed cases (default {DEFAULT_MAX})")
    parser.add_argument("--fix", action="append", default=[], metavar="FIELD",
                        help="--what-if: never change this case field (repeatable): "
                             + ", ".join(FIELDS))
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_reading_option(parser)
    add_rules_option(parser)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    case = load_case(args.case, rules.catalog)
    if (args.fix or args.max is not None) and not args.what_if:
        raise EngineError("--fix and --max shape the --what-if search. Fix: add --what-if.")
    limit = DEFAULT_MAX if args.max is None else args.max
    if limit < 1:
        raise EngineError(f"--max {limit}: must be at least 1. Fix: pass --max 1 or more.")
    explanation = explain(case, rules, args.ordinance, args.action, readings(args))
    if args.graph:
        from visualize import render_derivation, write_graph

        write_graph(render_derivation(explanation.graph), Path(args.graph))
    changes = counterfactuals(case, rules, args.ordinance, args.action, readings(args), args.fix,
                              limit) if args.what_if else None
    removals = section_counterfactuals(case, rules, args.ordinance, args.action,
                                       readings(args)) if args.what_if else None
    if args.format == "json":
        data = explanation.to_dict()
        if changes is not None:
            data["what_if"] = [c.to_dict(rules.catalog.descriptions) for c in changes]
            data["what_if_sections"] = [r.to_dict() for r in removals]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = f"Case {case.id}\n{explanation.text}\n"
    if changes is not None:
        text += _what_if_text(changes, explanation.status, rules.catalog.descriptions)
        text += _what_if_sections_text(removals, explanation.status, args.ordinance)
    return text


def _what_if_text(changes, status: str, descriptions: dict[tuple[str, str], str]) -> str:
    if not changes:
        return (f"\nWhat if: no change to the case's facts (within the fields not fixed) makes it "
                f"other than {status}.\n")
    lines = [f"\nWhat if: the smallest changes under which it is no longer {status} "
             "(each re-decided):"]
    for number, change in enumerate(changes, start=1):
        lines.append(f"  {number}. {change.status}, if:")
        lines.extend(f"       {_change_words(c, descriptions)}" for c in change.changes)
    return "\n".join(lines) + "\n"


def _change_words(change, descriptions: dict[tuple[str, str], str]) -> str:
    """One change in the vocabulary's words, with the fact it adds or removes."""
    words = describe_fact(change.fact, descriptions) or str(change.fact)
    return f"{'also' if change.added else 'no longer'}: {words}  [{change}]"


def _what_if_sections_text(removals, status: str, ordinance: str) -> str:
    if not removals:
        return (f"\nWhat if the law were different: no set of the sections cited, removed, makes it "
                f"other than {status}.\n")
    lines = [f"\nWhat if the law were different: without these sections of {ordinance}, the same case "
             "(re-decided):"]
    for removal in removals:
        sections = " and ".join(f"§ {s}" for s in removal.sections)
        lines.append(f"  - without {sections}: {removal.status}")
    return "\n".join(lines) + "\n"
