"""One module per `ordinance` subcommand.

Each module defines ``NAME``, ``register(subparsers)`` (adds its parser and
options) and ``run(rules, args) -> str`` (the text to print).  A new command is
a new module listed in ``COMMANDS``; `engine.cli` does the rest (loading the
rules, exit codes, error messages).

The command line imports only the module of the command it runs (`load`): the
modules of all commands, with the analysis, report and batch machinery they
import, took `ordinance decide` as long again as deciding.  So the one-line help
of every command is here, where `ordinance --help` and a mistyped command read
it without importing any module.
"""

from importlib import import_module
from types import ModuleType

#: Every command, in the order `ordinance --help` lists them: its module and its one-line help.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("listing", "the ordinances loaded, with source and sections"),
    "decide": ("deciding", "a status for every ordinance x action of a case"),
    "explain": ("explaining", "why an action has its status under an ordinance (reasons, graph, what-if)"),
    "facts": ("facts", "print a case as ASP facts for stock clingo"),
    "schema": ("schema", "print the JSON Schema of case files"),
    "check": ("checking", "search every possible case for conflicts with federal law and within an ordinance"),
    "compare": ("comparing", "where two ordinances give an action different statuses, over every possible case"),
    "gate": ("gating", "what a new version of an ordinance adds or takes away, over every possible case (CI)"),
    "report": ("reporting", "write one self-contained HTML page with the matrix and every finding"),
    "batch": ("batching", "decide many cases (JSONL, CSV or a directory), one grounding for all"),
    "generate": ("generating", "synthetic cases covering every value of the vocabulary"),
    "lint": ("linting", "check your own rule files (--rules) for mistakes"),
}

__all__ = ["COMMANDS", "load", "summary"]


def load(name: str) -> ModuleType:
    """The module of command ``name``."""
    return import_module(f"engine.commands.{COMMANDS[name][0]}")


def summary(name: str) -> str:
    """The one-line help of command ``name``."""
    return COMMANDS[name][1]
