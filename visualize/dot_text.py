"""User text made safe to write into DOT, and so into the SVG and PNG Graphviz draws from it.

Labels and tooltips show what a user wrote: a case id, an ordinance's section
labels and words, a rule from a ``--rules`` file.  In DOT each is a quoted
string in which Graphviz reads backslash escapes (``\\N`` is the node's name,
``\\l`` a line break) and which it takes for an HTML label when it starts with
``<`` and ends with ``>``; a final backslash escapes the closing quote, so that
the rest of the file is read as DOT: a syntax error at best, at worst the
user's text written as attributes or nodes (a ``URL="javascript:..."``).  A
``//`` comment ends at a line break, after which a user's text would be DOT.

`dot_text` and `dot_comment` are the only ways user text enters a drawing.
"""

from __future__ import annotations

from engine.core.printable import printable

__all__ = ["dot_text", "dot_comment"]


def dot_text(text: str) -> str:
    """``text`` as a label or tooltip that Graphviz draws as written.

    Control and format characters (which SVG cannot hold, or which would hide)
    become their visible escapes (`printable`).  `graphviz.escape` doubles every
    backslash and marks the text as no HTML label; each line break is then
    written as Graphviz's ``\\n`` escape: Graphviz can take an escaped backslash
    before a raw line break for a line continuation (``x\\\\`` ending a line of
    a label was joined to the next).  `graphviz` quotes the result and escapes its quotes
    when it writes the DOT source.  Apply it to a whole label: joining its
    result with other text loses the mark.
    """
    import graphviz  # imported here: building graphs must not need it

    return graphviz.nohtml(graphviz.escape(printable(text, keep="\n")).replace("\n", "\\n"))


def dot_comment(text: str) -> str:
    """``text`` for the ``//`` comment that heads the DOT source: always one line
    (each line break, and every other control character, written as its escape)."""
    return printable(text)
