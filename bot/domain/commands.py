"""The form chat commands compare in, and the words that cancel whatever is going on."""

from __future__ import annotations

import unicodedata

from bot.domain.text_limits import for_parsing

CANCEL_PHRASES = ("annuller", "afbryd", "stop", "cancel", "quit", "fortryd")
# Spaces, dots and exclamation marks after a command ("hjælp!", "stop.") do not change it.
# str.rstrip, not a pattern: "[\s.!]+$" retries every start in a long run of dots (quadratic).
_PUNCTUATION_TAIL = " .!"


def clean_text(text: str) -> str:
    """Bounded and single-spaced, original case: the text capabilities parse."""
    return " ".join(for_parsing(text).split())


def normalise_command_text(text: str) -> str:
    """Lower-case, NFC, single spaces, no trailing punctuation: the form commands compare in."""
    text = " ".join(unicodedata.normalize("NFC", for_parsing(text)).lower().split())
    return text.rstrip(_PUNCTUATION_TAIL)


def is_cancel(text: str) -> bool:
    return normalise_command_text(text) in CANCEL_PHRASES
