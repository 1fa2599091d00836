"""Narrowing a rule base before a search: only some ordinances, minus some sections.

Two jobs, both done on clingo's AST so the `.lp` files stay as written:

* ``keep`` grounds only the ordinances a search is about (their declarations
  and norms); the other ordinances' norms are left out, which keeps the
  grounding of a search over every possible case small.
* ``drops`` removes what a section states before the search (``--drop``),
  to see whether a savings clause or carve-out is load-bearing.

A rule whose head is a norm or declaration of another ordinance, or of a
dropped section, is removed; everything else (vocabulary, deontic layer,
helper predicates) stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from clingo import ast

from engine.core.ast_terms import constant, head_atoms
from engine.core.errors import EngineError
from engine.core.identity_cache import by_identity
from engine.core.rulebase import RuleBase
from engine.core.suggest import closest, did_you_mean, suggestion
from engine.core.vocabulary import ALLOWS, DECLARATIONS, EXCEPTION, NORMS, PREVAILS, Predicate

__all__ = ["Drop", "restrict", "parse_drop", "parse_drops"]

#: The declarations and norms that belong to one ordinance (they name it), by name.
OWNED_PREDICATES: dict[str, Predicate] = {
    p.name: p for p in (*DECLARATIONS, *NORMS, PREVAILS) if "ordinance" in p.roles}
#: Those a section states (they name it): what a whole-section drop removes.
SECTIONED = frozenset(name for name, p in OWNED_PREDICATES.items() if "section" in p.roles)
#: What a section states when it excepts or permits: all an exceptions-only drop removes.
EXCEPTION_PREDICATES = frozenset({ALLOWS.name, EXCEPTION.name, PREVAILS.name})


@dataclass(frozen=True)
class Drop:
    """Remove what section ``section`` of ordinance ``ordinance`` (a constant) states.

    ``exceptions_only``: remove only its exceptions and permissions (a carve-out
    written inside a prohibition's section, such as Westchester 7(a)'s "Except
    for the sharing of information specified in 8 USC § 1373"), not its prohibitions.
    """

    ordinance: str
    section: str
    exceptions_only: bool = False

    def label(self) -> str:
        return f"{self.section} (exceptions)" if self.exceptions_only else self.section

    def removes(self, name: str, ordinance: str | None, section: str | None) -> bool:
        if ordinance != self.ordinance or section != self.section:
            return False
        return name in (EXCEPTION_PREDICATES if self.exceptions_only else SECTIONED)


def parse_drop(rule_base: RuleBase, ordinance_id: str, section: str,
               exceptions_only: bool = False) -> Drop:
    """A `Drop` for a section of an ordinance (public id), checked against its encoded sections."""
    ordinance = rule_base.catalog.ordinances[ordinance_id]
    if section not in ordinance.sections:
        option = "--drop-exceptions" if exceptions_only else "--drop"
        raise EngineError(f"{option}: {ordinance_id} has no encoded section '{section}'"
                          f"{did_you_mean(section, ordinance.sections)}. Fix: use one "
                          f"of: {' '.join(ordinance.sorted_sections())}.")
    return Drop(ordinance.constant, section, exceptions_only)


def _drop_target(rule_base: RuleBase, ordinances: Sequence[str], value: str,
                 option: str) -> tuple[str, str]:
    """The (ordinance id, section) a ``--drop`` value names among ``ordinances``.

    ``ID:SECTION`` says whose section it is; a bare ``SECTION`` is enough when
    only one of the ordinances encodes it (or only one ordinance is searched),
    and an error that asks for ``ID:SECTION`` when both of two do.
    """
    owner, colon, section = value.partition(":")
    if colon and owner in ordinances:
        return owner, section
    if len(ordinances) == 1:
        return ordinances[0], value
    holders = [o for o in ordinances if value in rule_base.catalog.ordinances[o].sections]
    if len(holders) == 1:
        return holders[0], value
    qualified = " or ".join(f"{o}:{value}" for o in ordinances)
    if holders:
        raise EngineError(f"{option} {value}: {' and '.join(holders)} both have a section '{value}'. "
                          f"Fix: say whose, e.g. {qualified}.")
    owners = {s: o for o in reversed(ordinances) for s in rule_base.catalog.ordinances[o].sections}
    close = closest(section if colon else value, owners)
    hint = suggestion(f"{owners[close]}:{close}" if close is not None else None)
    example = rule_base.catalog.ordinances[ordinances[0]].sorted_sections()[0]
    raise EngineError(f"{option} {value}: none of {', '.join(ordinances)} has an encoded section "
                      f"'{value}'{hint}. Fix: write ID:SECTION with a section `ordinance list` shows, "
                      f"e.g. {ordinances[0]}:{example}.")


def parse_drops(rule_base: RuleBase, ordinances: Sequence[str], sections: Sequence[str],
                exceptions_only: bool = False) -> list[Drop]:
    """`Drop`s for ``--drop`` (or ``--drop-exceptions``) values, each ``SECTION`` or ``ID:SECTION``,
    naming a section of one of ``ordinances`` (public ids: the checked or compared ones)."""
    option = "--drop-exceptions" if exceptions_only else "--drop"
    return [parse_drop(rule_base, *_drop_target(rule_base, ordinances, value, option), exceptions_only)
            for value in sections]


def _owner_and_section(atom: ast.AST) -> tuple[str | None, str | None]:
    """The ordinance and the section an owned atom names (None where it names none)."""
    predicate, arguments = OWNED_PREDICATES[atom.name], atom.arguments
    owner = constant(arguments[predicate.position("ordinance")]) if arguments else None
    position = predicate.position("section") if atom.name in SECTIONED else None
    section = constant(arguments[position]) if position is not None and len(arguments) > position else None
    return owner, section


#: What a rule's head says it belongs to: (predicate, ordinance constant, section label).
Owned = tuple[str, str | None, str | None]


def _kept(owned: tuple[Owned, ...], keep: set[str], drops: Sequence[Drop], used: set[Drop]) -> bool:
    for name, owner, section in owned:
        if owner is not None and owner not in keep:
            return False
        for drop in drops:
            if drop.removes(name, owner, section):
                used.add(drop)
                return False
    return True


@by_identity
def _owned_statements(rule_base: RuleBase) -> list[tuple[ast.AST, tuple[Owned, ...]]]:
    """Each unpooled statement with the ordinance and section its head names, read once per
    rule base: reading the AST is the slow part, and a report restricts the same rules often."""
    return [(statement, tuple((atom.name, *_owner_and_section(atom)) for atom in head_atoms(statement)
                               if atom.name in OWNED_PREDICATES))
             for statement in _unpooled(rule_base.statements)]


def _unpooled(statements: Iterable[ast.AST]) -> list[ast.AST]:
    """Rules split at their pools (``prohibits(o, "2", (a; b), Q)`` gives two rules), so
    each rule's head names one ordinance and one section."""
    result: list[ast.AST] = []
    for statement in statements:
        result.extend(statement.unpool() if statement.ast_type == ast.ASTType.Rule else [statement])
    return result


def restrict(rule_base: RuleBase, keep: Iterable[str], drops: Sequence[Drop] = ()) -> RuleBase:
    """The rule base with only the ordinances ``keep`` (constants), minus the dropped sections.

    A drop that removes nothing (its section cites its rules through a
    variable, say) is an error rather than a silent no-op.
    """
    keep_set = set(keep)
    used: set[Drop] = set()
    statements = tuple(statement for statement, owned in _owned_statements(rule_base)
                       if _kept(owned, keep_set, drops, used))
    for drop in drops:
        if drop not in used:
            if drop.exceptions_only:
                raise EngineError(f"--drop-exceptions: section '{drop.section}' of {drop.ordinance} "
                                  "states no exception or permission. Fix: name a section that does, "
                                  "or remove the whole section with --drop.")
            raise EngineError(f"--drop: section '{drop.section}' of {drop.ordinance} states no rule "
                              "that names it. Fix: name a section whose rules cite it by its label "
                              "(`ordinance list` shows the sections).")
    return rule_base.with_statements(statements)
