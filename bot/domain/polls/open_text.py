"""An open question's results: the answers, and their most frequent words without stop words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.domain.polls.stop_words import STOP_WORDS

# Letters, with inner apostrophes or hyphens ("it-fællesskab", "don't"). Each repetition
# starts with a separator, so the pattern cannot backtrack: linear in the text.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TOP_WORDS = 10


def top_words(answers: Iterable[str], limit: int = TOP_WORDS) -> tuple[tuple[str, int], ...]:
    """(word, count), most frequent first, ties alphabetical; a word counts once per answer."""
    counts: Counter[str] = Counter()
    for answer in answers:
        words = {w.replace("’", "'") for w in _WORD.findall(answer.casefold())}
        counts.update(w for w in words if len(w) > 1 and w not in STOP_WORDS)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:limit])
