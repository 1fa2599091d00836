"""User text made safe and unambiguous to print on a terminal.

A case id, a section label, a file name or the words of a user's rule file may
hold characters a terminal does not show as themselves: ESC starts a control
sequence that can recolour, move or rewrite what is on the screen (and other
C0 and C1 controls move the cursor or end lines), a bidi override (U+202E)
reorders what follows, zero-width and other format characters hide, U+2028
and U+2029 break lines, and a lone surrogate (which JSON can spell) cannot be
written at all.  `printable` shows each as the escape Python writes for it
(``\\x1b``, ``\\n``, ``\\u202e``, ``\\ud800``), so what is printed is what the
user wrote, visibly, and nothing a user wrote can act on the terminal.

Everything else, letters of any script, accents, emoji and spaces included, is
left as written; so is a backslash (text that already holds ``\\x1b`` as four
characters is printed as those four characters).
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable", "is_hidden"]

#: Unicode categories a terminal does not print as a visible character of their own:
#: controls (C0, DEL, C1), format characters (bidi controls, zero-width ones, the BOM),
#: surrogates, and the line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def is_hidden(char: str) -> bool:
    """Whether a terminal would act on ``char`` or not show it as a character of its own."""
    return unicodedata.category(char) in _HIDDEN


def _escape(char: str) -> str:
    """The escape Python writes for ``char`` in a string literal (``\\x1b``, ``\\u2028``)."""
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control, format and separator character written as its escape.

    ``keep`` names characters to leave as they are: ``keep="\\n"`` for a block of
    several lines (an explanation, a list of problems), whose line breaks are
    the layout; a single value (an id, a label, a table cell) keeps none.
    """
    if text.isprintable():
        return text  # the common case, checked at C speed (spaces other than ' ' fall through)
    return "".join(_escape(c) if c not in keep and is_hidden(c) else c for c in text)
