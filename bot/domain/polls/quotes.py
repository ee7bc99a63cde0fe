"""Split a command into words and quoted texts; straight and typographic quotes, linear time."""

from __future__ import annotations

from dataclasses import dataclass

# Opening quote -> the quotes that may close it. Typing and autocorrect mix them ("Ja” or
# „Nej"), so the double quotes close one another; guillemets go both ways (« » and » «).
_DOUBLE = '"“”„'
_CLOSERS: dict[str, str] = {
    '"': _DOUBLE,
    "“": _DOUBLE,
    "„": _DOUBLE,
    "”": _DOUBLE,
    "«": "»",
    "»": "«",
    "'": "'’",
    "‘": "’'",
    "‚": "‘’'",
}


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool


class UnbalancedQuotes(ValueError):
    """A quote was opened and never closed; `position` is where it opened."""

    def __init__(self, position: int, quote: str) -> None:
        self.position = position
        self.quote = quote
        super().__init__(f"quote {quote!r} at {position} is never closed")


def tokenize(text: str) -> list[Token]:
    """Words and quoted texts in order. Each character is looked at a bounded number of times.

    A quote opens only at the start of a word, and closes only where no letter or digit
    follows it, so an apostrophe inside a word ("don't", "KMD's") stays part of the text.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        closers = _CLOSERS.get(char)
        if closers is None:
            end = i
            while end < n and not text[end].isspace():
                end += 1
            tokens.append(Token(text[i:end], quoted=False))
            i = end
            continue
        end = _closing(text, i + 1, closers)
        if end < 0:
            raise UnbalancedQuotes(i, char)
        tokens.append(Token(text[i + 1 : end], quoted=True))
        i = end + 1
    return tokens


def _closing(text: str, start: int, closers: str) -> int:
    """Index of the quote that closes the text opened before `start`, or -1."""
    n = len(text)
    for j in range(start, n):
        if text[j] in closers and (j + 1 == n or not text[j + 1].isalnum()):
            return j
    return -1
