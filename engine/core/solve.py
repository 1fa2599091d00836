"""Deciding a case: ground the rule base with the case's facts, solve, read the statuses.

The rule base is stratified, so every case has exactly one answer set; the
shown atoms of asp/show.lp are mapped to the contract's rows.  Pairs with no
shown status are `silent` (docs/contract.md lists a row for every pair).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Sequence

import clingo

from engine.core.cases import Case
from engine.core.catalog import symbol_text
from engine.core.errors import EngineError
from engine.core.facts import case_facts, reading_facts
from engine.core.rulebase import RuleBase, load_rule_base
from engine.core.suggest import did_you_mean, known_ordinance_id
from engine.core.vocabulary import SHOWN_RESULTS
from engine.core.results import Decision, result_from_values

__all__ = ["decide", "check_readings", "shown_atoms", "finish_by"]

#: How long one wait for the solver lasts before Python looks again (Ctrl-C, the deadline).
_SLICE = 0.1


def check_readings(rule_base: RuleBase, readings: dict[str, str]) -> dict[str, str]:
    """Reject a reading the rule base does not offer, naming the ones it does."""
    for law, value in readings.items():
        if law not in rule_base.catalog.switches:
            known = ", ".join(rule_base.catalog.switches) or "none"
            raise EngineError(f"--switch: there is no interpretive switch '{law}'"
                              f"{did_you_mean(law, rule_base.catalog.switches)}. "
                              f"Fix: use one of: {known} (`ordinance list --switches`).")
        allowed = rule_base.catalog.switches[law][1]
        if value not in allowed:
            raise EngineError(f"--switch: '{value}' is not a reading of {law}{did_you_mean(value, allowed)}. "
                              f"Fix: use one of: {law}={f' or {law}='.join(allowed)}.")
    return readings


def _selected_ordinances(rule_base: RuleBase, case: Case, ordinances: Sequence[str] | None) -> list[str]:
    chosen = list(ordinances or case.ordinances or rule_base.catalog.local_ids())
    for ordinance in chosen:
        known_ordinance_id(rule_base.catalog, ordinance)
    return chosen


def finish_by(handle: clingo.SolveHandle, deadline: float) -> bool:
    """Wait for an asynchronous solve until ``deadline`` (`time.monotonic`); cancel it if it has
    not finished then (or if Ctrl-C interrupts the wait).  Whether it finished.

    The wait is cut in short slices because one long wait in clingo does not let Python see
    Ctrl-C until it ends.
    """
    try:
        finished = handle.wait(0)
        while not finished and time.monotonic() < deadline:
            finished = handle.wait(min(_SLICE, max(0.0, deadline - time.monotonic())))
    finally:
        if not handle.wait(0):
            handle.cancel()
    return finished


def shown_atoms(control: clingo.Control) -> list[clingo.Symbol]:
    """The shown atoms of the one answer set of a grounded, stratified program."""
    shown: list[clingo.Symbol] = []
    result = control.solve(on_model=lambda model: shown.extend(model.symbols(shown=True)))
    if not result.satisfiable:
        raise EngineError("the rules have no answer for this case (unsatisfiable). Fix: check "
                          "rules added with --rules for integrity constraints (':- ...').")
    return shown


def decide(case: Case, rule_base: RuleBase | None = None, *,
           ordinances: Sequence[str] | None = None,
           readings: dict[str, str] | None = None) -> Decision:
    """Decide one case: a status for every selected (ordinance, action) pair.

    Parameters
    ----------
    case:
        A validated case (`engine.load_case`).
    rule_base:
        The rules to apply; by default the built-in ones plus ``ORDINANCE_RULES``.
    ordinances:
        Public ordinance ids to rule under; overrides the case's own
        ``ordinances`` field; by default every local (non-federal) ordinance.
    readings:
        Interpretive switches, e.g. ``{"usc_1373": "broad"}``.

    Examples
    --------
    >>> from engine import load_rule_base, parse_case
    >>> rules = load_rule_base()
    >>> case = parse_case({"requests": [{"kind": "detainer"}]}, rules.catalog, "doc", "doc")
    >>> decide(case, rules, ordinances=["beacon"]).result("beacon", "honor_detainer").status
    'forbidden'
    """
    rule_base = rule_base or load_rule_base()
    readings = check_readings(rule_base, dict(readings or {}))
    chosen = _selected_ordinances(rule_base, case, ordinances)
    actions = list(case.actions or rule_base.catalog.actions)

    control = rule_base.control(case_facts(case) + reading_facts(readings))
    control.ground([("base", [])])
    values: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for atom in shown_atoms(control):
        predicate = next((p for p in SHOWN_RESULTS if p.matches(atom)), None)
        if predicate is None:
            continue
        pair = (symbol_text(predicate.argument(atom, "ordinance")), symbol_text(predicate.argument(atom, "action")))
        rest = tuple(symbol_text(a) for role, a in zip(predicate.roles, atom.arguments)
                     if role not in ("ordinance", "action"))
        values[pair].append((predicate.name, rest))

    rows = []
    for public_id in chosen:
        constant = rule_base.catalog.ordinances[public_id].constant
        rows += [result_from_values(public_id, action, values.get((constant, action), ()))
                 for action in actions]
    return Decision(case.id, tuple(rows))
