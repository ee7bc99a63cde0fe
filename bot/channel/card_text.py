"""People's text in a card or a message: shown as typed, never read as Markdown or HTML."""

from __future__ import annotations

# Adaptive Card TextBlocks and Teams messages render a Markdown subset: [links](…), **bold**,
# _italic_, ~strike~, # headings, - and 1. lists, > quotes, `code`, <tags>, {{DATE()}}.
# A backslash before ASCII punctuation shows the character itself (CommonMark). "(" only
# matters right after "]" (a link's address), so "registrering(er)" keeps its look; there a
# backslash goes before it too, so a client that ignores escapes still sees no "](" link.
_SPECIAL = "\\`*_~{}[]<>#|"
_ESCAPED = str.maketrans({c: "\\" + c for c in _SPECIAL})
_DIGITS = "0123456789"


def literal(text: str) -> str:
    """`text` on one line, escaped so that a card shows exactly these characters."""
    # One line: a line break would let the text start a heading, list or quote of its own.
    escaped = " ".join(text.split()).translate(_ESCAPED).replace("](", "]\\(")
    if escaped.startswith(("-", "+")):  # a bullet ("- x"); "*" is escaped above
        return "\\" + escaped
    number = len(escaped) - len(escaped.lstrip(_DIGITS))
    if number and escaped[number : number + 1] == ".":  # a numbered item ("1. x")
        return f"{escaped[:number]}\\{escaped[number:]}"
    return escaped
