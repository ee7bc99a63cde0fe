"""Turn a chat line (mention already stripped) into a command the bot understands."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


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
_PUNCTUATION_TAIL = re.compile(r"[\s.!]+$")


def normalise_command_text(text: str) -> str:
    """Lower-case, NFC, single spaces, no trailing punctuation: the form commands compare in."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"\s+", " ", text)
    return _PUNCTUATION_TAIL.sub("", text)


def parse_command(text: str) -> Command:
    cleaned = " ".join(text.split())
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
