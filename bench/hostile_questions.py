"""Questions built to be slow for the knowledge search: long, and each kind of word it works on."""

from __future__ import annotations

import random
from collections.abc import Callable

from bot.domain.knowledge.model import KnowledgeBase
from bot.domain.knowledge.text import MAX_WORD_CHARS, content_tokens

_MONTHS = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"


def _vocabulary(kb: KnowledgeBase) -> list[str]:
    """The knowledge's own words (long enough to stem), so every one of them has postings."""
    texts = []
    for entry in kb.entries():
        for name in ("name", "description", "answer", "question", "title", "note", "aliases"):
            value = getattr(entry, name, "")
            texts.extend(value if isinstance(value, tuple) else [value or ""])
    return sorted({w for text in texts for w in content_tokens(text) if len(w) >= 4})


def _typo(rng: random.Random, word: str) -> str:
    """A swapped or dropped letter: close enough to a known word to be tried as a typo."""
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _date(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(1, 28)}. {rng.choice(_MONTHS)} {rng.randint(2020, 2023)}",
            f"{rng.randint(1, 28)}/{rng.randint(1, 12)}-2021",
            f"om {rng.randint(2, 9)} uger",
            f"uge {rng.randint(1, 52)}",
            f"{rng.randint(1, 4)}. kvartal",
            "i morgen",
            "næste uge",
            "på fredag",
            "i overmorgen",
        ]
    )


def _shapes(vocab: list[str], rng: random.Random) -> dict[str, Callable[[], str]]:
    long_words = [w for w in vocab if len(w) >= 6]
    return {
        # Many distinct known words: many query slots, each with postings to score.
        "distinct known words": lambda: rng.choice(vocab),
        # Near misses of known words: each goes through the typo (edit distance) lookup.
        "typos": lambda: _typo(rng, rng.choice(long_words)),
        # Unknown words of typo length: fuzzy lookups that find nothing, and compound tries.
        "unknown words": lambda: "".join(rng.choice(_LETTERS) for _ in range(rng.randint(7, 14))),
        # Known words glued into the longest word still treated as one (compound splitting).
        "glued compounds": lambda: "".join(rng.sample(vocab, 8))[:MAX_WORD_CHARS],
        "date words": lambda: _date(rng),
        "mixed": lambda: rng.choice(
            [rng.choice(vocab), _typo(rng, rng.choice(long_words)), _date(rng)]
        ),
    }


_PREFIX = "Hvem ved noget om "


def _fill(word: Callable[[], str], length: int) -> str:
    """Exactly `length` characters: a question cue, words, a question mark."""
    out: list[str] = []
    size = len(_PREFIX) + 1
    while size < length:
        out.append(word())
        size += len(out[-1]) + 1
    return _PREFIX + " ".join(out)[: length - len(_PREFIX) - 1] + "?"


def hostile_questions(kb: KnowledgeBase, length: int, seed: int) -> dict[str, str]:
    """One question per shape, `length` characters long; another seed gives other words (so
    no cache of an earlier run helps)."""
    rng = random.Random(seed)
    return {name: _fill(make, length) for name, make in _shapes(_vocabulary(kb), rng).items()}
