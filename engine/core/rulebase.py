"""Loading the rule base: the built-in `.lp` files plus a user's own ordinances.

Each decision loads the rule files and the case's facts into a fresh solver
(clingo parses the text itself, which is what keeps `ordinance decide` quick to
start); the rules as clingo AST statements, which tracing, analysis and the
linter work on, are parsed once per process, when first asked for.  Rule
files a user supplies (``--rules DIR`` or ``ORDINANCE_RULES``) are checked
before use, so that a mistake is reported with its file and line instead of
silently changing results:

* a norm (prohibits/requires/allows/exception) must cite a section that has a
  ``provision/3`` text, of a declared ordinance, about a known action;
* a rule file may not state case facts (``person(consent).`` in a rule file
  would change every case) nor define the deontic layer's conclusions.

What only a user's files need (the linter, the grounding check, the AST term
readers) is imported where it is used: `ordinance decide` on the built-in rules,
which needs none of it, starts sooner.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import clingo
# Imported here although only the AST readers use it: at exit, modules are emptied in reverse
# order of import, and statements still held then (caches, a notebook's rule bases) need
# clingo's AST module to free themselves, so it must come before any module that holds them.
from clingo import ast

import asp
from engine.core.catalog import Catalog, catalog_from_symbols
from engine.core.catalog_cache import cached_catalog
from engine.core.errors import RulesError
from engine.core.vocabulary import DECLARATIONS, NORMS, ORDINANCE, PROHIBITS, REQUIRES, Predicate, case_predicates

if TYPE_CHECKING:
    from engine.core.lint import Diagnostic

__all__ = ["RuleBase", "load_rule_base", "builtin_rules_dir", "grounded_catalog", "RULES_ENV_VAR"]

RULES_ENV_VAR = "ORDINANCE_RULES"

#: Predicates only a case may state (the vocabulary table, asp/vocabulary/case.lp).
CASE_PREDICATES = case_predicates()
#: Names of the predicates whose facts the catalog is read from.
DECLARATION_PREDICATES = frozenset(p.name for p in DECLARATIONS)


def builtin_rules_dir() -> Path:
    """The directory of the shipped rule files (inside the installed package).

    The `asp` package's own directory: clingo reads the files by path, so they must be
    files on disk in any case, and this costs nothing at start-up where
    `importlib.resources` cost about 8 ms of imports.
    """
    return Path(asp.__file__).parent


def solver(statements: Iterable[ast.AST], facts: Iterable[clingo.Symbol],
           arguments: Sequence[str] = ()) -> clingo.Control:
    """A solver holding the statements and the facts, not yet grounded.

    Facts go in through the backend as symbols, never as text, so nothing in a
    case can be read as a rule.
    """
    control = clingo.Control(["--warn=none", *arguments])
    with ast.ProgramBuilder(control) as builder:
        for statement in statements:
            builder.add(statement)
    _add_facts(control, facts)
    return control


def _add_facts(control: clingo.Control, facts: Iterable[clingo.Symbol]) -> None:
    """Facts go in through the backend as symbols, never as text: nothing in a case is read as a rule."""
    with control.backend() as backend:
        for fact in facts:
            backend.add_rule([backend.add_atom(fact)])


@functools.lru_cache(maxsize=16)
def _parsed(files: tuple[Path, ...]) -> tuple[ast.AST, ...]:
    """The files' statements, parsed once per process."""
    return tuple(_parse(files)) if files else ()


@dataclass(frozen=True)
class RuleBase:
    """The rules ready to be combined with a case, and what they declare."""

    #: The built-in entry file (asp/all.lp, which includes the others) and the user's files.
    files: tuple[Path, ...]
    catalog: Catalog
    #: What the linter found in the user's files that does not stop loading (`engine.core.lint`).
    warnings: tuple[Diagnostic, ...] = ()
    #: Built-in ordinances the user's files amend (loaded with ``amend=True``): their results are
    #: those of the amended text, and every command says so.
    amended: tuple[str, ...] = ()
    #: The ordinances the user's files declare (public ids).
    own: tuple[str, ...] = ()
    #: Statements that replace the files' (`with_statements`: an analysis that drops a section).
    edited: tuple[ast.AST, ...] | None = None

    @property
    def statements(self) -> tuple[ast.AST, ...]:
        """The rules as clingo AST statements (parsed on first use, then shared)."""
        if self.edited is not None:
            return self.edited
        return _parsed(self.files[:1]) + _parsed(self.files[1:])

    def source_files(self) -> tuple[Path, ...]:
        """Every file the rules can come from: each ``.lp`` file of the built-in rules directory
        (``asp/all.lp`` includes some of them) and the user's files.  What a saved result is
        checked against: ``files`` names the entry file only, so an edit to an included ordinance
        file would go unseen there.  A superset, read without parsing: an edit to a built-in
        file the rules do not include also counts as a change."""
        builtin = tuple(sorted(self.files[0].parent.rglob("*.lp")))
        return builtin + tuple(self.files[1:])

    def with_statements(self, statements: Sequence[ast.AST]) -> "RuleBase":
        """The same rule base with other statements (the catalog is kept)."""
        return replace(self, edited=tuple(statements))

    def control(self, facts: Iterable[clingo.Symbol], arguments: Sequence[str] = ()) -> clingo.Control:
        """A solver holding these rules and the given facts, not yet grounded."""
        if self.edited is not None:
            return solver(self.edited, facts, arguments)
        control = clingo.Control(["--warn=none", *arguments])
        for file in self.files:
            control.load(str(file))
        _add_facts(control, facts)
        return control

    def cited_sections(self) -> dict[str, dict[str, set[str]]]:
        """Per ordinance constant, the sections its rules cite, read from the rule heads.

        ``"norm"`` holds sections that state a prohibition or duty,
        ``"exception"`` those that state an exception or an express permission.
        A section cited through a variable is not listed.
        """
        from engine.core.ast_terms import alternatives, constant, head_atoms

        cited: dict[str, dict[str, set[str]]] = {}
        for statement in self.statements:
            for atom in head_atoms(statement):
                norm = _norm(atom)
                if norm is None:
                    continue
                kind = "norm" if norm in (PROHIBITS, REQUIRES) else "exception"
                for ordinance_term in alternatives(atom.arguments[norm.position("ordinance")]):
                    ordinance = constant(ordinance_term)
                    for section_term in alternatives(atom.arguments[norm.position("section")]):
                        section = constant(section_term)
                        if ordinance is not None and section is not None:
                            entry = cited.setdefault(ordinance, {"norm": set(), "exception": set()})
                            entry[kind].add(section)
        return cited


def _norm(atom: ast.AST) -> Predicate | None:
    """The norm predicate of a head atom (an AST function), if it is one with its full arity."""
    for norm in NORMS:
        if atom.name == norm.name and len(atom.arguments) == norm.arity:
            return norm
    return None


def _parse(files: Sequence[Path]) -> list[ast.AST]:
    statements: list[ast.AST] = []
    messages: list[str] = []

    def logger(_code: clingo.MessageCode, message: str) -> None:
        messages.append(message.strip())

    try:
        ast.parse_files([str(f) for f in files], statements.append, logger=logger)
    except RuntimeError:
        detail = "\n".join(messages) or "syntax error"
        raise RulesError(f"cannot parse rule files:\n{detail}\n"
                         "Fix: correct the ASP syntax at the file:line shown.") from None
    return statements


def _user_rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RulesError(f"{directory}: not a directory. Fix: pass --rules a directory "
                         f"of .lp files (or set {RULES_ENV_VAR} to one).")
    files = sorted(directory.rglob("*.lp"))
    if not files:
        raise RulesError(f"{directory}: holds no .lp files. Fix: put your ordinance's "
                         "rules in a file ending in .lp (see docs/own-ordinances.md).")
    return files


def _where(statement: ast.AST) -> str:
    begin = statement.location.begin
    return f"{begin.filename}:{begin.line}"


def _lint(user_statements: Sequence[ast.AST], builtin: Sequence[ast.AST], builtin_ordinances: set[str],
          amend: bool) -> tuple[Diagnostic, ...]:
    """Every problem of the user's files; raise on errors (all of them at once), return the warnings."""
    from engine.core.lint import ERROR, lint_statements

    found = lint_statements(user_statements, builtin, builtin_ordinances, amend=amend)
    errors = [d for d in found if d.severity == ERROR]
    if errors:
        raise RulesError("the rule files have problems:\n" + "\n".join(f"  {d}" for d in errors))
    return tuple(d for d in found if d.severity != ERROR)


def _check_norms(statements: Sequence[ast.AST], catalog: Catalog) -> None:
    """Every norm must cite a declared ordinance, a section with text, a known action."""
    from engine.core.ast_terms import alternatives, constant, head_atoms

    constants = {o.constant: o for o in catalog.ordinances.values()}
    for statement in statements:
        for atom in head_atoms(statement):
            norm = _norm(atom)
            if norm is None:
                continue
            ordinance_at, section_at, action_at = (norm.position(role)
                                                   for role in ("ordinance", "section", "action"))
            for ordinance_term in alternatives(atom.arguments[ordinance_at]):
                ordinance = constant(ordinance_term)
                if ordinance is None:
                    continue
                if ordinance not in constants:
                    raise RulesError(
                        f"{_where(statement)}: '{atom.name}' names ordinance '{ordinance}', "
                        "which is not declared. Fix: add "
                        f"ordinance({ordinance}, \"public-id\", \"Title\").")
                for section_term in alternatives(atom.arguments[section_at]):
                    section = constant(section_term)
                    if section is not None and section not in constants[ordinance].sections:
                        raise RulesError(
                            f"{_where(statement)}: '{atom.name}' cites section \"{section}\" "
                            f"of {ordinance}, which has no text. Fix: add "
                            f"provision({ordinance}, \"{section}\", \"<the words it encodes>\").")
            for action_term in alternatives(atom.arguments[action_at]):
                action = constant(action_term)
                if action is not None and action not in catalog.actions:
                    raise RulesError(
                        f"{_where(statement)}: '{atom.name}' names the unknown action "
                        f"'{action}'. Fix: use an action id of docs/contract.md "
                        "(`ordinance list --actions` prints them).")


def grounded_catalog(files: Sequence[Path]) -> Catalog:
    """What the rule files declare, read by grounding them (without a case): the catalog.

    Refuses two ordinances that share a public id.  `engine.core.catalog_cache` keeps the
    built-in rules' result between runs; this is what it stores.
    """
    control = clingo.Control(["--warn=none"])
    for file in files:
        control.load(str(file))
    control.ground([("base", [])])
    atoms = [atom.symbol for predicate in DECLARATIONS
             for atom in control.symbolic_atoms.by_signature(*predicate.signature)]
    owners: dict[str, str] = {}
    for atom in atoms:
        if ORDINANCE.matches(atom):
            constant, public_id = str(ORDINANCE.argument(atom, "ordinance")), str(ORDINANCE.argument(atom, "id"))
            if owners.setdefault(public_id, constant) != constant:
                raise RulesError(f"ordinances {owners[public_id]} and {constant} both use the public "
                                 f"id {public_id}. Fix: give each ordinance its own id in ordinance/3.")
    return catalog_from_symbols(atoms)


@functools.lru_cache(maxsize=8)
def _load(extra_dirs: tuple[Path, ...], amend: bool) -> RuleBase:
    entry = builtin_rules_dir() / "all.lp"
    user_files: list[Path] = []
    for directory in extra_dirs:
        user_files.extend(_user_rule_files(directory))
    if not user_files:  # the built-in rules are checked by tests, not at every start
        files = (entry,)
        return RuleBase(files, cached_catalog(entry.parent, lambda: grounded_catalog(files)))
    from engine.core.grounding import check_grounding
    from engine.core.lint import lint_text, ordinances_spoken_of

    text_problems = [d for f in user_files for d in lint_text(f, f.read_text(encoding="utf-8", errors="replace"))]
    if text_problems:  # before parsing: the parser would act on them
        raise RulesError("the rule files have problems:\n" + "\n".join(f"  {d}" for d in text_problems))
    files = (entry, *user_files)
    builtin, user_statements = _parsed((entry,)), _parsed(tuple(user_files))
    builtin_ordinances = ordinances_spoken_of(builtin, only=ORDINANCE)
    warnings = _lint(user_statements, builtin, builtin_ordinances, amend)
    check_grounding(files)
    catalog = grounded_catalog(files)
    _check_norms(user_statements, catalog)  # the built-in rules' norms are checked by a test
    amending = ordinances_spoken_of(user_statements) & builtin_ordinances if amend else set()
    amended = tuple(sorted(o.id for o in catalog.ordinances.values() if o.constant in amending))
    if amended:  # the title is what outputs print of an ordinance: it says the text is amended
        catalog = replace(catalog, ordinances={
            key: replace(o, title=f"{o.title} [AMENDED by --rules]") if key in amended else o
            for key, o in catalog.ordinances.items()})
    own = tuple(sorted(o.id for o in catalog.ordinances.values() if o.constant not in builtin_ordinances))
    return RuleBase(files, catalog, warnings, amended, own)


def load_rule_base(rules_dirs: Sequence[str | Path] = (), use_env: bool = True, amend: bool = False) -> RuleBase:
    """The built-in rules plus the user's rule directories, parsed once per process.

    Parameters
    ----------
    rules_dirs:
        Directories of the user's own ``.lp`` files (``--rules``).
    use_env:
        Also load the directories listed in ``ORDINANCE_RULES`` (separated by
        ``os.pathsep``), so a researcher can add a city without passing flags.
    amend:
        Let the user's files change built-in ordinances (norms about them, helpers
        the built-in rules define); refused otherwise (`engine.core.lint`).
    """
    directories = [Path(d) for d in rules_dirs]
    if use_env and os.environ.get(RULES_ENV_VAR):
        directories += [Path(d) for d in os.environ[RULES_ENV_VAR].split(os.pathsep) if d]
    return _load(tuple(d.resolve() for d in directories), amend)
