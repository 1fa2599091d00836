"""Checking a user's own rule files before they are used: a typo must not prove anything.

A rule file loaded with ``--rules`` (or ``ORDINANCE_RULES``) is plain ASP, and
ASP accepts almost anything: ``prohibit(...)`` for ``prohibits(...)`` defines
a predicate nobody reads, so the norm never exists and `check` would report
"no conflict (proved)" about an ordinance that says nothing.  Each check here
reads the parsed statements (clingo's AST) and the file text, never runs
them, and reports what is wrong with the file and line and the fix, in the
spirit of Regal's rules for Rego:

* directives that change what the engine runs or reads (``#include``,
  ``#script``, ``#program``, ``#show``, ``#const``, optimisation, ...);
* case facts or deontic conclusions defined by a rule file, in any head
  (plain, pooled, choice, disjunction or aggregate);
* a norm predicate with the wrong number of arguments, or a case predicate
  used with the wrong number;
* a predicate used in a body that nothing defines ("did you mean ...");
* a head that looks like a misspelt norm (``prohibit/4``), or that nothing reads;
* a helper predicate that the built-in rules also define (it would change them);
* norms or declarations about a built-in ordinance (an amendment: refused
  unless the user says ``--amend``);
* an ordinance that states no norm, an exception that lifts a section stating
  no norm.

Errors stop loading (exit 2); warnings are reported and do not, except under
``ordinance lint --strict``.  What needs the solver (a norm that fires in no
possible case, an exception that lifts nothing) is `ordinance lint`'s part,
through the analysis (`engine.analysis.internal`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from clingo import ast

from engine.core.ast_terms import alternatives, constant, head_atoms
from engine.core.catalog import section_ref
from engine.core.vocabulary import (DECLARATIONS, DEONTIC_CONCLUSIONS, EXCEPTION, NORMS, ORDINANCE, PREVAILS,
                                    PROHIBITS, REQUIRES, RESTRICTS, Predicate, case_predicates, fact_arity)

__all__ = ["Diagnostic", "lint_text", "lint_statements", "ordinances_spoken_of", "ERROR", "WARNING"]

ERROR, WARNING = "error", "warning"

#: Statements a rule file may not hold, and why (the fix is to remove them).
_DIRECTIVES = {
    ast.ASTType.Script: "#script runs code; rule files hold rules only",
    ast.ASTType.ShowSignature: "#show changes which atoms the engine reads",
    ast.ASTType.ShowTerm: "#show changes which atoms the engine reads",
    ast.ASTType.Definition: "#const changes constants the built-in rules and the analysis use",
    ast.ASTType.Minimize: "#minimize/#maximize turns a decision into an optimisation",
    ast.ASTType.Heuristic: "#heuristic changes how the solver searches",
    ast.ASTType.Edge: "#edge adds acyclicity constraints the engine does not expect",
    ast.ASTType.ProjectAtom: "#project changes which answers count as different",
    ast.ASTType.ProjectSignature: "#project changes which answers count as different",
    ast.ASTType.External: "#external makes atoms free inputs the engine never sets",
    ast.ASTType.TheoryDefinition: "#theory adds a language the engine does not read",
}
#: Text directives found before parsing, because the parser acts on them while it reads.
_TEXT_DIRECTIVES = {"include": "#include reads other files (any path) as rules"}
_COMMENT = re.compile(r"%\*.*?\*%|%[^\n]*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _is_integrity_constraint(statement: ast.AST) -> bool:
    """Whether ``statement`` excludes the cases its body holds in: a rule with an empty head
    (``:- body.``, ``#false :- body.``) or a default-negated one (``not p :- body.``)."""
    if statement.ast_type != ast.ASTType.Rule or statement.head.ast_type != ast.ASTType.Literal:
        return False
    head = statement.head
    return head.sign != ast.Sign.NoSign or (
        head.atom.ast_type == ast.ASTType.BooleanConstant and not head.atom.value)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a rule file: where, how bad, what, and the fix."""

    severity: str
    where: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}. Fix: {self.fix}"


def _blank(match: re.Match[str]) -> str:
    """A comment or string replaced by spaces, newlines kept (so line numbers stay true)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def lint_text(path: Path, text: str) -> list[Diagnostic]:
    """Directives the parser would act on while reading (``#include``), outside comments and strings."""
    code = _COMMENT.sub(_blank, _STRING.sub(_blank, text))
    found = []
    for match in re.finditer(r"#\s*(\w+)", code):
        why = _TEXT_DIRECTIVES.get(match.group(1))
        if why:
            line = code.count("\n", 0, match.start()) + 1
            found.append(Diagnostic(ERROR, f"{path}:{line}", f"#{match.group(1)} is not allowed: {why}",
                                    "put the rules in a .lp file of the --rules directory instead"))
    return found


def _where(statement: ast.AST) -> str:
    begin = statement.location.begin
    return f"{begin.filename}:{begin.line}"


def _signature(atom: ast.AST) -> tuple[str, int]:
    return (atom.name, len(atom.arguments))


def _body_atoms(node: ast.AST) -> Iterator[ast.AST]:
    """Every predicate atom read in a statement's body, in aggregates and conditions too."""
    found: list[ast.AST] = []

    class Reader(ast.Transformer):
        def visit_SymbolicAtom(self, atom: ast.AST) -> ast.AST:  # noqa: N802 (clingo's visitor names)
            for term in alternatives(atom.symbol):
                if term.ast_type == ast.ASTType.Function and term.name:
                    found.append(term)
            return atom

    reader = Reader()
    for literal in getattr(node, "body", ()):
        reader(literal)
    head = getattr(node, "head", None)
    if head is not None and head.ast_type != ast.ASTType.Literal:
        for element in getattr(head, "elements", ()):
            condition = getattr(element, "condition", ())
            if isinstance(condition, ast.AST):  # a head aggregate element: its conditional literal
                condition = getattr(condition, "condition", ())
            for literal in condition or ():
                reader(literal)
    yield from found


def _defined_signatures(statements: Iterable[ast.AST]) -> set[tuple[str, int]]:
    defined: set[tuple[str, int]] = set()
    for statement in statements:
        defined.update(_signature(a) for a in head_atoms(statement))
        if statement.ast_type == ast.ASTType.Defined:
            defined.add((statement.name, statement.arity))
    return defined


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'? " if close else ""


def _ordinance_constants(atom: ast.AST, position: int) -> list[str]:
    return [c for c in (constant(t) for t in alternatives(atom.arguments[position])) if c is not None]


def ordinances_spoken_of(statements: Iterable[ast.AST], only: Predicate | None = None) -> set[str]:
    """The ordinance constants that the heads of norms and declarations (or of ``only``) name."""
    found: set[str] = set()
    for statement in statements:
        for atom in head_atoms(statement):
            owner = next((p for p in ((only,) if only else (*NORMS, *DECLARATIONS))
                          if p.name == atom.name and p.arity == len(atom.arguments) and "ordinance" in p.roles), None)
            if owner is not None:
                found.update(_ordinance_constants(atom, owner.position("ordinance")))
    return found


def lint_statements(user: Sequence[ast.AST], builtin: Sequence[ast.AST], builtin_ordinances: set[str],
                    *, amend: bool = False) -> list[Diagnostic]:
    """Every problem of the user's statements, given the built-in ones they join."""
    problems: list[Diagnostic] = []
    norms = {n.name: n for n in NORMS}
    declarations = {d.name: d for d in DECLARATIONS}
    #: What a rule file states about an ordinance (norms, declarations, savings clauses): allowed
    #: for the user's own ordinances, an amendment for a built-in one.
    owned = {**declarations, PREVAILS.name: PREVAILS, **norms}
    reserved_case = case_predicates()
    builtin_defined = _defined_signatures(builtin)
    user_defined = _defined_signatures(user)
    defined = builtin_defined | user_defined | {(n.name, n.arity) for n in NORMS}
    read = {_signature(a) for s in (*builtin, *user) for a in _body_atoms(s)}
    norm_ordinances: set[str] = set()
    declared_ordinances: dict[str, str] = {}
    norm_sections: set[tuple[str, str]] = set()
    lifted: list[tuple[ast.AST, str, str]] = []

    for statement in user:
        where = _where(statement)
        if statement.ast_type in _DIRECTIVES:
            problems.append(Diagnostic(ERROR, where, f"this directive is not allowed in a rule file: "
                                       f"{_DIRECTIVES[statement.ast_type]}", "remove it"))
            continue
        if _is_integrity_constraint(statement):
            problems.append(Diagnostic(ERROR, where, "an integrity constraint (':- ...') makes every case in which "
                                       "its body holds impossible: `decide` would find no answer for such a case, "
                                       "and `check`, `compare` and `gate` would call a conflict or difference "
                                       "absent, 'proved', over the cases that remain",
                                       "state what the text says as a norm (prohibits/requires/allows/exception/"
                                       "restricts), or remove the constraint"))
            continue
        if statement.ast_type == ast.ASTType.Program and statement.name != "base":
            problems.append(Diagnostic(ERROR, where, f"#program {statement.name}: the engine grounds only "
                                       "the base program, so every rule after it would be ignored",
                                       "remove the #program line"))
            continue
        for atom in head_atoms(statement):
            name, arity = _signature(atom)
            if name in reserved_case:
                problems.append(Diagnostic(ERROR, where, f"a rule file states the case fact '{name}'",
                                           "case facts belong in the case file; rules may only use them "
                                           "in bodies"))
            elif name in DEONTIC_CONCLUSIONS:
                problems.append(Diagnostic(ERROR, where, f"a rule file defines '{name}', which only the "
                                           "deontic layer derives", "state prohibits/requires/allows/"
                                           "exception/restricts and let asp/vocabulary/deontic.lp conclude"))
            elif name in norms and arity != norms[name].arity:
                norm = norms[name]
                problems.append(Diagnostic(ERROR, where, f"'{name}' takes {norm.arity} arguments "
                                           f"({', '.join(norm.roles)}), not {arity}",
                                           f"write {name}({', '.join(r.capitalize() for r in norm.roles)})"))
            elif name in owned:
                owner = owned[name]
                if "ordinance" not in owner.roles or arity != owner.arity:
                    continue
                ordinances = _ordinance_constants(atom, owner.position("ordinance"))
                if name == ORDINANCE.name:
                    declared_ordinances.update({o: where for o in ordinances})
                elif name in norms:
                    norm_ordinances.update(ordinances)
                    if name in (PROHIBITS.name, REQUIRES.name, RESTRICTS.name):
                        sections = [constant(t) for t in alternatives(atom.arguments[owner.position("section")])]
                        norm_sections.update((o, s) for o in ordinances for s in sections if s is not None)
                    if name == EXCEPTION.name:
                        for section in alternatives(atom.arguments[EXCEPTION.position("lifts")]):
                            if constant(section) is not None:
                                lifted.extend((statement, o, constant(section)) for o in ordinances)
                amended = sorted(set(ordinances) & builtin_ordinances)
                if amended and not amend:
                    problems.append(Diagnostic(ERROR, where, f"'{name}' speaks of the built-in ordinance "
                                               f"{', '.join(amended)}: this amends the enacted text",
                                               "write your own ordinance under its own constant, or pass "
                                               "--amend to decide under the amended text"))
            elif (name, arity) in builtin_defined and not amend:
                problems.append(Diagnostic(ERROR, where, f"'{name}/{arity}' is also defined by the built-in "
                                           "rules: this rule would change their results",
                                           "rename your helper (prefix it with your ordinance's id), or pass "
                                           "--amend if you mean to change them"))
            elif (name, arity) not in read:
                close = _suggest(name, [*norms, *declarations])
                problems.append(Diagnostic(ERROR if close else WARNING, where,
                                           f"'{name}/{arity}' is defined but nothing reads it",
                                           close + "a norm must be one of prohibits/4, requires/4, allows/4, "
                                           "exception/5, restricts/5" if close else
                                           "use it in a rule, or remove it"))
        for atom in _body_atoms(statement):
            name, arity = _signature(atom)
            if (name, arity) in defined:
                continue
            if name in reserved_case:
                expected = fact_arity(name)
                problems.append(Diagnostic(ERROR, where, f"the case predicate '{name}' has {expected} "
                                           f"argument(s), not {arity}", f"write {name}/{expected}"))
                continue
            names = {n for n, _ in defined}
            arities = sorted(a for n, a in defined if n == name)
            fix = (f"'{name}' is defined with {' or '.join(map(str, arities))} argument(s)" if arities
                   else _suggest(name, names) + "define it, or correct its name")
            problems.append(Diagnostic(ERROR, where, f"'{name}/{arity}' is used but defined nowhere "
                                       "(it is never true, so this rule never fires)", fix))

    helper_files: dict[tuple[str, int], dict[str, str]] = {}
    for statement in user:
        for atom in head_atoms(statement):
            signature = _signature(atom)
            if atom.name not in owned and atom.name not in reserved_case and atom.name not in DEONTIC_CONCLUSIONS:
                helper_files.setdefault(signature, {}).setdefault(statement.location.begin.filename, _where(statement))
    for (name, arity), files in helper_files.items():
        if len(files) > 1:
            places = sorted(files.values())
            problems.append(Diagnostic(ERROR, places[1], f"'{name}/{arity}' is defined in {len(files)} rule files "
                                       f"({', '.join(places)}): two ordinances would share one helper",
                                       "prefix each ordinance's helpers with its id"))
    for ordinance, where in declared_ordinances.items():
        if ordinance not in norm_ordinances:
            problems.append(Diagnostic(ERROR, where, f"ordinance {ordinance} states no norm: every analysis "
                                       "would find nothing and call it proved",
                                       "state its sections with prohibits/requires/allows/exception/restricts"))
    for statement, ordinance, section in lifted:
        if (ordinance, section) not in norm_sections and ordinance not in builtin_ordinances:
            problems.append(Diagnostic(WARNING, _where(statement), f"the exception lifts {section_ref(section)} of "
                                       f"{ordinance}, which prohibits, requires and restricts nothing",
                                       "name the section whose norm the exception lifts (the second argument)"))
    return problems
