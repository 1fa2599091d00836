"""`ordinance gate OLD NEW`: what an amendment adds or takes away, as a CI step (exit 1 on --fail-on)."""

from __future__ import annotations

import argparse

from engine.commands import summary
from engine.analysis.amendment import KINDS, amendment_gate, gate_amendment
from engine.commands.checking import add_search_options, analysis_readings
from engine.commands.options import add_fail_on_option, add_rules_option, finish
from engine.core.rulebase import RuleBase
from engine.render.gate_text import render_amendment

NAME = "gate"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Compare two versions of one ordinance over every possible case: new prohibitions, "
                    "new duties, lost protections (an act the old text forbade and the new one does not) "
                    "and new conflicts with federal law, each with a minimal witness and the sections of "
                    "the new text that cause it; 'none' is a solver proof.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  ordinance gate beacon beacon-2027 --rules examples/amended --amend\n"
               "  ordinance gate beacon beacon-2027 --rules examples/amended --amend --fail-on new-conflict")
    parser.add_argument("old", help="the ordinance as it stands (public id)")
    parser.add_argument("new", help="the amended version (public id, e.g. one loaded with --rules)")
    parser.add_argument("--against", metavar="ID", default="usc-1373",
                        help="federal law for new-conflict (default usc-1373)")
    parser.add_argument("--reading", choices=("narrow", "broad"),
                        help="reading of 8 U.S.C. 1373 (default narrow)")
    parser.add_argument("--switch", metavar="NAME=VALUE", action="append", default=[],
                        help="another interpretive switch (repeatable; `ordinance list --switches`)")
    add_search_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_option(parser)
    add_fail_on_option(parser, KINDS)


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    reading, switches = analysis_readings(rules, args)
    kinds = list(dict.fromkeys(args.fail_on))
    amendment = amendment_gate(rules, args.old, args.new, kinds=kinds or KINDS, against=args.against,
                               reading=reading, switches=switches, timeout=args.timeout, requests=args.requests)
    return finish(render_amendment(amendment, as_json=args.format == "json"),
                  gate_amendment(amendment, kinds) if kinds else None, kinds)
