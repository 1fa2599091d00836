"""JSON as every command prints it: indented, UTF-8 kept readable, one trailing newline.

Letters of every script are written as themselves; the characters a terminal
would act on or hide (C1 controls, DEL, bidi overrides, zero-width and other
format characters, U+2028/U+2029, lone surrogates) are written as ``\\uXXXX``
escapes, which JSON reads back as the same characters (`json` already escapes
the C0 controls).  A user's id or section label is thus the same data, and
printing it cannot act on the terminal.
"""

from __future__ import annotations

import json
import re
from typing import Any

from engine.core.printable import is_hidden

__all__ = ["json_text", "json_line"]

#: What `json.dumps` (``ensure_ascii=False``) leaves unescaped and a terminal may act on: the
#: candidates outside printable ASCII, each then checked by its Unicode category.
_NOT_ASCII = re.compile(r"[^\x20-\x7e\n]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if not is_hidden(char):
        return char
    code = ord(char)
    if code > 0xFFFF:  # JSON spells a character beyond the BMP as a UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _visible(text: str) -> str:
    return text if text.isascii() else _NOT_ASCII.sub(_escaped, text)


def json_text(data: Any) -> str:
    """``data`` as the ``--format json`` output of a command (one document, newline-terminated)."""
    return _visible(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def json_line(data: Any, compact: bool = False) -> str:
    """``data`` as one line of JSON (a witness case to copy, a JSON Lines row), no newline;
    ``compact``: without spaces after separators (batch rows, where size counts)."""
    separators = (",", ":") if compact else None
    return _visible(json.dumps(data, ensure_ascii=False, separators=separators))
