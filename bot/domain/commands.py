"""Turn a chat line (mention already stripped) into a command the bot understands."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

from bot.domain.text_limits import for_parsing


class CommandKind(Enum):
    EMPTY = "empty"
    HELP = "help"
    LANGUAGE = "language"
    CANCEL = "cancel"
    RELOAD_KNOWLEDGE = "reload_knowledge"
    QUESTION = "question"


@dataclass(frozen=True)
class Command:
    kind: CommandKind
    text: str = ""
    argument: str = ""


_HELP = {"hjælp", "hjaelp", "hjalp", "help", "?", "hvad kan du", "hvad kan du?", "what can you do"}
_LANGUAGE = {"sprog", "language", "skift sprog", "change language", "indstil sprog"}
_CANCEL = {"annuller", "afbryd", "stop", "cancel", "quit", "fortryd"}
_RELOAD = {
    "genindlæs viden",
    "genindlaes viden",
    "genindlæs vidensbasen",
    "reload knowledge",
    "kb reload",
}
# Spaces, dots and exclamation marks after a command ("hjælp!", "stop.") do not change it.
# str.rstrip, not a pattern: "[\s.!]+$" retries every start in a long run of dots (quadratic).
_PUNCTUATION_TAIL = " .!"


def normalise_command_text(text: str) -> str:
    """Lower-case, NFC, single spaces, no trailing punctuation: the form commands compare in."""
    text = " ".join(unicodedata.normalize("NFC", for_parsing(text)).lower().split())
    return text.rstrip(_PUNCTUATION_TAIL)


def parse_command(text: str) -> Command:
    cleaned = " ".join(for_parsing(text).split())
    key = normalise_command_text(cleaned)
    if not key:
        return Command(CommandKind.EMPTY)
    if key in _HELP:
        return Command(CommandKind.HELP, cleaned)
    first, _, rest = key.partition(" ")
    if key in _LANGUAGE or (first in {"sprog", "language"} and rest):
        return Command(CommandKind.LANGUAGE, cleaned, rest)
    if key in _CANCEL:
        return Command(CommandKind.CANCEL, cleaned)
    if key in _RELOAD:
        return Command(CommandKind.RELOAD_KNOWLEDGE, cleaned)
    return Command(CommandKind.QUESTION, cleaned)
