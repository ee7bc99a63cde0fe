"""Words the unanswered questions share and no entry has: where new synonyms come from.

`moedebot kb report` lists them under the unanswered questions. A word counts when the search
cannot place it at all: not a term of any entry (after stemming and synonyms), not a small
typo of one, not a compound of known words, and not a question, filler, time or municipality
word. Words asked in at least two different questions come first; each is shown with how
often it was asked and one question it came from, so the knowledge owner can add a synonym
group or an entry's `questions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.analysis import split_compound
from bot.domain.knowledge.engine import Engine
from bot.domain.knowledge.questions import CUE_WORDS, EVENT_LIST_WORDS, QuestionType, cue_words
from bot.domain.knowledge.service import KnowledgeService
from bot.domain.knowledge.text import EN, LOW_INFO, content_tokens, key, stem, stem_en
from bot.domain.knowledge.timewindow import parse_window

MIN_QUESTIONS = 2
MIN_LETTERS = 2  # "pc" is a word
_ASKING = frozenset().union(*(cue_words(t) for t in QuestionType)) | CUE_WORDS | EVENT_LIST_WORDS


@dataclass
class Gap:
    word: str  # as people wrote it (the most frequent spelling)
    questions: int = 0  # distinct unanswered questions using it
    times: int = 0  # how often those were asked in all
    example: str = ""
    spellings: dict[str, int] = field(default_factory=dict)


def vocabulary_gaps(
    unanswered: Iterable[tuple[str, int]],
    service: KnowledgeService,
    *,
    min_questions: int = MIN_QUESTIONS,
    limit: int = 20,
) -> list[Gap]:
    """The unknown words of (question, times asked) pairs, most widely shared first."""
    engine = service._engine  # one snapshot
    vocab = engine.index.vocabulary
    places = {w for m in engine.kb.municipalities for w in key(m.name).split()}
    places |= {w for m in engine.kb.municipalities for a in m.aliases for w in key(a).split()}
    now = datetime(2000, 1, 1, tzinfo=COPENHAGEN)  # only the window's words are used
    gaps: dict[str, Gap] = {}
    for question, times in unanswered:
        window = parse_window(question, now)
        skip = _ASKING | places | (window.words if window else frozenset())
        seen: set[str] = set()
        for token in content_tokens(question):
            if token in skip or token in LOW_INFO or len(token) < MIN_LETTERS:
                continue
            if token.isdigit() or _known(token, engine, vocab):
                continue
            root = stem(token)
            if root in seen:
                continue
            seen.add(root)
            gap = gaps.setdefault(root, Gap(token, example=question))
            gap.questions += 1
            gap.times += times
            gap.spellings[token] = gap.spellings.get(token, 0) + times
    shared = [g for g in gaps.values() if g.questions >= min_questions]
    for g in shared:
        g.word = max(g.spellings, key=lambda s: (g.spellings[s], -len(s)))
    shared.sort(key=lambda g: (-g.questions, -g.times, g.word))
    return shared[:limit]


def _known(token: str, engine: Engine, vocab: frozenset[str]) -> bool:
    """Whether the search can place the word: a term, a synonym, a typo of one, a compound."""
    root = stem(token)
    if root in vocab or EN + stem_en(token) in vocab or engine.analyzer.in_a_phrase(root):
        return True
    if token.endswith("s") and stem(token[:-1]) in vocab:  # a genitive
        return True
    if engine.fuzzy.is_stop_word_typo(token):
        return True
    if engine.fuzzy.lookup(root) or engine.fuzzy.lookup(EN + stem_en(token)):
        return True
    return bool(split_compound(token, engine.fuzzy.known))
