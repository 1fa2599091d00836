"""JSON as every command prints it: indented, UTF-8 kept readable, one trailing newline."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["json_text"]


def json_text(data: Any) -> str:
    """``data`` as the ``--format json`` output of a command (one document, newline-terminated)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
