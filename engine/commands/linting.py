"""`ordinance lint`: the problems of your own rule files, before you rely on them."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands import summary
from engine.analysis.search import DEFAULT_REQUESTS, DEFAULT_TIMEOUT
from engine.commands.options import add_rules_option, seconds
from engine.core.catalog import section_ref
from engine.core.errors import EngineError
from engine.core.lint import WARNING, Diagnostic
from engine.core.printable import printable
from engine.core.rulebase import RuleBase

NAME = "lint"
#: This command reports the loader's warnings itself (on stdout), not as a preamble on stderr.
REPORTS_WARNINGS = True


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Check the rule files given with --rules (or ORDINANCE_RULES): errors (a misspelt "
                    "norm, a wrong number of arguments, a predicate nobody defines, a directive, a case "
                    "fact stated by a rule, a change to a built-in ordinance without --amend) stop every "
                    "command with exit 2; warnings (a predicate nobody reads, an exception lifting a section "
                    "that states no norm, a rule that fires in no possible case) are listed here.",
        epilog="Example: ordinance lint --rules docs/own-ordinance --strict")
    add_rules_option(parser)
    parser.add_argument("--strict", action="store_true", help="exit 2 when there is any warning too")
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time allowed to the search for rules that fire in no possible case")


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    from engine.analysis.internal import dead_rules_and_gaps, norm_use  # here: decide need not import it

    user_files = {f.resolve() for f in rules.files[1:]}
    if not user_files:
        raise EngineError("lint: no rule files to check. Fix: give --rules DIR (or set ORDINANCE_RULES).")
    found = list(rules.warnings)
    open_searches = []
    for ordinance in (*rules.own, *rules.amended):
        dead, _, _, report = dead_rules_and_gaps(rules, ordinance, timeout=args.timeout, requests=DEFAULT_REQUESTS)
        found += [Diagnostic(WARNING, rule.where, f"this rule of {ordinance} ({', '.join(map(section_ref, rule.sections)) or 'no section'}) "
                             "fires in no possible case", "check its conditions against the case vocabulary")
                  for rule in dead if Path(rule.where.rsplit(":", 1)[0]).resolve() in user_files]
        vacuous, redundant, usage = norm_use(rules, ordinance, timeout=args.timeout, requests=DEFAULT_REQUESTS)
        found += [Diagnostic(WARNING, f"{ordinance} {section_ref(section)}", f"its {kind} on {action} never binds: "
                             "in every case that triggers it, an exception lifts it",
                             "narrow the exception, or drop the norm if that is meant") for section, action, kind in vacuous]
        found += [Diagnostic(WARNING, f"{ordinance} {section_ref(section)}", f"its {kind} on {action} never stands "
                             "alone: in every case that triggers it, another section's norm says the same",
                             "check that the two sections are not one norm written twice")
                  for section, action, kind in redundant]
        if not report.complete or not usage.complete:
            open_searches.append(ordinance)
    lines = [str(d) for d in found]
    lines += [f"the search for rules that never fire timed out for {o}: not known" for o in open_searches]
    summary = (f"{len(found)} warning(s), no errors" if found else "no problems found") + \
        f" in {len(user_files)} rule file(s)" + (" (the search timed out for some)" if open_searches else "")
    if args.strict and (found or open_searches):
        raise EngineError("\n".join(lines) + f"\n{summary}. Fix: mend the warnings, or run without --strict.")
    return "\n".join(printable(line) for line in [*lines, summary]) + "\n"
