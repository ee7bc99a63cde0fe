"""Small talk: greetings, thanks and "who are you" get a short, friendly reply.

The phrases and replies live in knowledge/small_talk.yaml, validated like the other files. A
message is small talk only when it is nothing else: "hej" or "tak for hjælpen, Mødebot" is,
"hej, hvad laver en ØiR-koordinator?" is a question. The reply is in the language of the
phrase the user wrote ("tak" Danish, "thanks" English), and small talk is never recorded as an
unanswered question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.knowledge.fields import EntryReader
from bot.domain.knowledge.model import SmallTalk
from bot.domain.knowledge.text import key

# Longer messages are never small talk (a greeting and a question are a question).
MAX_SMALL_TALK_WORDS = 8


@dataclass(frozen=True, slots=True)
class SmallTalkReply:
    id: str
    lang: str
    text: str


def read_small_talk(
    data: Any, problems: list[str]
) -> tuple[tuple[SmallTalk, ...], tuple[str, ...]]:
    """The `small_talk:` entries and the `names:` the bot is addressed by, with problems."""
    file = "small_talk.yaml"
    if data is None:
        return (), ()
    if not isinstance(data, dict) or not isinstance(data.get("small_talk"), list):
        problems.append(f"{file}: expected a top-level 'small_talk:' list")
        return (), ()
    names = data.get("names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        problems.append(f"{file}: 'names' must be a list of texts")
        names = []
    for extra in sorted(set(data) - {"small_talk", "names"}):
        problems.append(f"{file}: unknown top-level field '{extra}' (spelling?)")
    out = []
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for pos, item in enumerate(data["small_talk"], 1):
        r = EntryReader(file, item, pos, problems)
        if not r.ok:
            continue
        entry = SmallTalk(
            r.id,
            r.strs("phrases", required=True),
            r.strs("phrases_en", required=True),
            r.str("answer", required=True),
            r.str("answer_en", required=True),
        )
        r.check_unknown()
        if r.id in ids:
            r.error("id", "duplicate id")
        ids.add(r.id)
        for field, phrases in (("phrases", entry.phrases), ("phrases_en", entry.phrases_en)):
            for phrase in phrases:
                norm = key(phrase)
                if not norm:
                    r.error(field, f"'{phrase}' has no words")
                elif norm in seen and seen[norm] != f"{entry.id}/{field}":
                    r.error(field, f"'{phrase}' is also a phrase of {seen[norm]}")
                seen.setdefault(norm, f"{entry.id}/{field}")
        out.append(entry)
    return tuple(out), tuple(str(n).strip() for n in names)


class SmallTalkMatcher:
    """Whole-message lookup: the message's words, without the bot's name, against the phrases."""

    def __init__(self, entries: tuple[SmallTalk, ...], names: tuple[str, ...]) -> None:
        self._phrases: dict[str, tuple[SmallTalk, str]] = {}
        for entry in entries:
            for lang, phrases in (("da", entry.phrases), ("en", entry.phrases_en)):
                for phrase in phrases:
                    self._phrases.setdefault(key(phrase), (entry, lang))
        self._names = frozenset(w for n in names for w in key(n).split())

    def reply(self, text: str) -> SmallTalkReply | None:
        words = key(text[:200]).split()
        if not words or len(words) > MAX_SMALL_TALK_WORDS:
            return None
        # "hej Mødebot", "tak, bot": the name the bot is addressed by is not part of it
        # (unless the phrase names it: "hvem er Mødebot").
        found = self._phrases.get(" ".join(words)) or self._phrases.get(
            " ".join(w for w in words if w not in self._names)
        )
        if found is None:
            return None
        entry, lang = found
        return SmallTalkReply(entry.id, lang, entry.answer_en if lang == "en" else entry.answer)
