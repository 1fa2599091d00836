"""Internal consistency of one ordinance over every possible case.

* conflicts (required and prohibited) and tensions (permitted by one section,
  prohibited by another), each with a minimal witness (asp/analysis/consistency.lp);
* dead rules: norm rules (prohibition, duty, permission, exception) of the
  ordinance that fire in no possible case under any reading;
* gaps: actions it never rules on and request kinds none of its norms speaks to
  (asp/analysis/coverage.lp).

Dead rules and gaps are brave consequences: one solve in clingo's brave
enumeration mode collects what holds in at least one possible case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import clingo
from clingo import ast

from engine.analysis.findings import DeadRule, InternalFinding, SearchReport, SearchStatus, Witness
from engine.analysis.pipeline import Goal, verified_findings
from engine.analysis.search import (ADDRESSED_ACTION, ADDRESSED_KIND, FINDING, FINDING_FOUND, NORM_ALONE, NORM_BINDS,
                                    NORM_FIRES, CaseSearch)
from engine.core.ast_terms import constant, head_atoms
from engine.core.catalog import section_sort_key, symbol_text
from engine.core.facts import reading_facts
from engine.core.results import Decision, Status
from engine.core.rulebase import RuleBase, builtin_rules_dir
from engine.core.vocabulary import NORMS, Predicate

__all__ = ["internal_findings", "dead_rules_and_gaps", "KINDS"]

KINDS = ("conflict", "tension")
#: The norms a rule of the ordinance can state, by predicate name.
NORM_HEADS = {norm.name: norm for norm in NORMS}
RULE_FIRED = "rule_fired"


def internal_findings(rule_base: RuleBase, local: str, reading: str, *, timeout: float,
                      requests: int, switches: Mapping[str, str] | None = None,
                      interchangeable_requests: bool = False
                      ) -> tuple[tuple[InternalFinding, ...], SearchReport]:
    """Every action on which `local` conflicts with itself or stands in tension, with minimal witnesses.

    ``interchangeable_requests``: the caller found that the rules treat requests alike (`CaseSearch`).
    """
    readings = {**(switches or {}), "usc_1373": reading}
    search = CaseSearch(rule_base, ("case_space.lp", "minimal.lp", "consistency.lp"),
                        facts=reading_facts(readings),
                        constants={"local": rule_base.catalog.ordinances[local].constant,
                                   "requests": requests},
                        interchangeable_requests=interchangeable_requests)
    goals = []
    for kind in KINDS:  # one solve first proves a kind absent for every action at once
        kind_symbol = clingo.Function(kind)
        if search.minimal(clingo.Function(FINDING_FOUND.name, [kind_symbol]), timeout).impossible:
            continue
        for atom in search.atoms_of(FINDING):
            if FINDING.argument(atom, "kind") == kind_symbol:
                action = str(FINDING.argument(atom, "action"))
                goals.append(Goal(atom, action, f"{kind} {action}", f"{local}-{kind}-{action}"))

    def reproduce(goal: Goal, decision: Decision, witness: Witness) -> InternalFinding | None:
        """The finding as the witness's decision shows it, with the sections on both sides."""
        kind = str(FINDING.argument(goal.atom, "kind"))
        row = decision.result(local, goal.action)
        if kind == "conflict" and row.status == Status.CONFLICT:
            return InternalFinding(kind, goal.action, row.sections, witness)
        if kind == "tension" and row.tensions:
            sections = tuple(sorted(set(row.tensions + row.sections), key=section_sort_key))
            return InternalFinding(kind, goal.action, sections, witness)
        return None

    return verified_findings(search, goals, reproduce, timeout=timeout, rule_base=rule_base,
                             ordinances=(local,), readings=readings)


def _norm_rules(rule_base: RuleBase, ordinance: str) -> list[tuple[ast.AST, tuple[str, ...]]]:
    """The ordinance's rules that state a norm under a condition (facts always fire), with their sections."""
    rules = []
    for statement in rule_base.statements:
        if statement.ast_type != ast.ASTType.Rule or not statement.body:
            continue
        sections = []
        for atom in head_atoms(statement):
            norm = NORM_HEADS.get(atom.name)
            if norm and atom.arguments and constant(atom.arguments[norm.position("ordinance")]) == ordinance:
                section = constant(atom.arguments[norm.position("section")])
                sections.append(section or "?")
        if sections:
            rules.append((statement, tuple(dict.fromkeys(sections))))
    return rules


def _companion(statement: ast.AST, index: int) -> ast.AST:
    """``rule_fired(index) :- Body.``: true exactly in the cases where the rule fires."""
    location = statement.location
    head = ast.Literal(location, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(
        location, RULE_FIRED, [ast.SymbolicTerm(location, clingo.Number(index))], 0)))
    return ast.Rule(location, head, statement.body)


def _where(statement: ast.AST) -> str:
    """file:line of a rule, relative to the built-in rules (asp/...) or the working directory."""
    begin = statement.location.begin
    path = Path(begin.filename).resolve()
    for base, prefix in ((builtin_rules_dir(), Path("asp")), (Path.cwd(), Path())):
        try:
            return f"{prefix / path.relative_to(base.resolve())}:{begin.line}"
        except ValueError:
            continue
    return f"{path}:{begin.line}"


def dead_rules_and_gaps(rule_base: RuleBase, local: str, *, timeout: float, requests: int,
                        interchangeable_requests: bool = False
                        ) -> tuple[tuple[DeadRule, ...], tuple[str, ...], tuple[str, ...], SearchReport]:
    """Rules of `local` that fire in no possible case, and the actions and request kinds it never addresses.

    The reading of § 1373 is free here (asp/analysis/any_reading.lp): a rule that
    fires under one reading only is alive.  ``interchangeable_requests``: the
    caller found that the rules treat requests alike (`CaseSearch`).
    """
    catalog = rule_base.catalog
    ordinance_constant = catalog.ordinances[local].constant
    rules = _norm_rules(rule_base, ordinance_constant)
    companions = [_companion(statement, index) for index, (statement, _) in enumerate(rules)]
    show = []
    ast.parse_string(f"#show {RULE_FIRED}/1.", show.append)
    search = CaseSearch(rule_base, ("case_space.lp", "any_reading.lp", "coverage.lp"),
                        constants={"local": ordinance_constant, "requests": requests},
                        extra_statements=companions + show, brave=True,
                        interchangeable_requests=interchangeable_requests)
    possible, status = search.brave(timeout)
    if status is SearchStatus.TIMED_OUT:
        return (), (), (), SearchReport(SearchStatus.TIMED_OUT, ("dead rules and gaps",))
    fired = {atom.arguments[0].number for atom in possible if atom.name == RULE_FIRED}
    dead = tuple(DeadRule(sections, _where(statement), str(statement))
                 for index, (statement, sections) in enumerate(rules) if index not in fired)
    actions = {str(ADDRESSED_ACTION.argument(atom, "action")) for atom in possible
               if ADDRESSED_ACTION.matches(atom)}
    kinds = {str(ADDRESSED_KIND.argument(atom, "kind")) for atom in possible if ADDRESSED_KIND.matches(atom)}
    gap_actions = tuple(a for a in catalog.actions if a not in actions)
    gap_kinds = tuple(k for k in catalog.domains["request_kind"] if k not in kinds)
    return dead, gap_actions, gap_kinds, SearchReport()


def norm_use(rule_base: RuleBase, local: str, *, timeout: float, requests: int
             ) -> tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...], SearchReport]:
    """Norms of `local` (section, action, kind) that an exception lifts in every case that triggers
    them (vacuous), and those that another section's norm always accompanies (redundant),
    under any reading (asp/analysis/norm_use.lp)."""
    search = CaseSearch(rule_base, ("case_space.lp", "any_reading.lp", "norm_use.lp"),
                        constants={"local": rule_base.catalog.ordinances[local].constant, "requests": requests},
                        brave=True)
    possible, status = search.brave(timeout)
    if status is SearchStatus.TIMED_OUT:
        return (), (), SearchReport(SearchStatus.TIMED_OUT, ("norms that never bind or never stand alone",))

    def norms(predicate: Predicate) -> set[tuple[str, str, str]]:
        return {(symbol_text(predicate.argument(a, "section")), str(predicate.argument(a, "action")),
                 str(predicate.argument(a, "kind"))) for a in possible if predicate.matches(a)}

    def in_order(found: set[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
        return tuple(sorted(found, key=lambda norm: (section_sort_key(norm[0]), norm[1], norm[2])))

    fires, binds, alone = norms(NORM_FIRES), norms(NORM_BINDS), norms(NORM_ALONE)
    return in_order(fires - binds), in_order((fires & binds) - alone), SearchReport()
