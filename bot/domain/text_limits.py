"""How much of a message the bot parses: longer text is cut for parsing, never refused."""

from __future__ import annotations

# A question, a command or a role-holder sentence is a line or a short paragraph. 4,000
# characters (about 600 words, a printed page) keeps a long pasted message with the question
# at its end, and it is a seventh of the longest Teams message (~28 KB), so a turn's parsing
# costs at most a few milliseconds whatever is sent. Every parser is also linear on its own;
# the bound makes the constant small.
MAX_PARSED_CHARS = 4000

# The mention and markup a Teams message carries around its text (<at>, <p>, <span ...>)
# are stripped first; the raw text may be this much longer than what is then parsed.
MAX_MARKUP_CHARS = 8 * MAX_PARSED_CHARS


def for_parsing(text: str) -> str:
    """The part of `text` the bot parses: its first MAX_PARSED_CHARS characters."""
    return text[:MAX_PARSED_CHARS]
