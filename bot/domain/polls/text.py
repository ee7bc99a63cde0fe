"""Cleaning text that comes from chat or a card: lone surrogates, control characters, spaces."""

from __future__ import annotations

import re
import unicodedata

# Lone surrogates (from JSON "\ud800") cannot be encoded as UTF-8; control characters other
# than tab and newline only disturb cards. Both are dropped.
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: str, *, keep_newlines: bool = False) -> str:
    """NFC text without unprintables; runs of spaces (and newlines unless kept) made one."""
    text = unicodedata.normalize("NFC", _UNPRINTABLE.sub("", text))
    if keep_newlines:
        lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        return "\n".join(lines).strip()
    return _SPACES.sub(" ", text).strip()


def same_text_key(text: str) -> str:
    """The key under which two options count as duplicates: case and spacing ignored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def storable(text: str) -> str:
    """`text` without lone surrogates, which neither UTF-8 nor the databases accept."""
    return _SURROGATES.sub("", text)
