"""One module per `ordinance` subcommand.

Each module defines ``NAME``, ``register(subparsers)`` (adds its parser and
options) and ``run(rules, args) -> str`` (the text to print).  A new command is
a new module listed in ``COMMANDS``; `engine.cli` does the rest (loading the
rules, exit codes, error messages).
"""

from engine.commands import (batching, checking, comparing, deciding, explaining, facts, gating, generating, linting,
                             listing, reporting, schema)

COMMANDS = {module.NAME: module for module in (listing, deciding, explaining, facts, schema, checking,
                                               comparing, gating, reporting, batching, generating, linting)}

__all__ = ["COMMANDS"]
