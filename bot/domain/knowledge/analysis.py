"""Entry text to index terms; a question to weighted slots (synonyms, compounds, typos)."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.knowledge.index import SearchIndex, Slot
from bot.domain.knowledge.text import (
    EN,
    LOW_INFO,
    MAX_WORD_CHARS,
    STOP_WORDS,
    content_tokens,
    key,
    stem,
    stem_en,
    terms,
)

SYNONYM_PREFIX = "syn:"
FUZZY_ONE = 0.85  # one edit away: probably a typo, but less sure than an exact word
FUZZY_TWO = 0.7
PREFIX = 0.8  # "rekrutter" ~ "rekruttering", "tested" ~ "test": inflections Snowball leaves
UNKNOWN_SHARE = 0.5
# Definite nouns: "-en" (printeren), "-erne"/"-ene" (plural); long enough not to be a verb.
_DEFINITE_NOUN = re.compile(r"^[a-z]{3,}(?:[^aeiouy]en|erne|ene)$")
LOW_INFO_SHARE = 0.3  # weight of a filler/question verb relative to its idf
PART = 0.9  # a part of a compound question word: nearly as good as the word itself
MIN_PART = 3  # shortest compound part ("ejer" in "gevinstejer", "it" is too short)
LOOSE_TAIL = 6  # in knowledge text a compound's tail may be a word used nowhere else


@lru_cache(maxsize=65536)
def split_compound(
    token: str, known: frozenset[str], *, loose: bool = False, depth: int = 0
) -> list[str]:
    """Danish compounds: "implementeringsmateriale" -> ["implementering", "materiale"].

    The head's stem must be a known term (a linking -s/-e may join the parts); the tail's
    stem must be known too, or (`loose`, for knowledge text) at least LOOSE_TAIL letters.
    The longest known head wins; a tail that is itself a compound is split once more.
    """
    # Each split point stems both halves, so the work grows with the square of the length:
    # a token longer than any word (MAX_WORD_CHARS) is not split at all.
    if not 2 * MIN_PART + 1 <= len(token) <= MAX_WORD_CHARS or token.isdigit():
        return []
    fallback: list[str] = []
    for i in range(len(token) - MIN_PART, MIN_PART - 1, -1):
        left, right = token[:i], token[i:]
        if stem(right) == stem(token):
            continue
        for head in (left, left[:-1] if left.endswith(("s", "e")) and i > MIN_PART + 1 else None):
            if not head or len(head) < MIN_PART + 1 or stem(head) not in known:
                continue
            if stem(right) in known:
                return [head, right]
            inner = (
                split_compound(right, known, depth=1)
                if depth == 0 and len(right) >= 2 * MIN_PART + 1
                else []
            )
            if inner:
                return [head, *inner]
            if loose and not fallback and len(right) >= LOOSE_TAIL:
                fallback = [head, right]
    return fallback


class Analyzer:
    """Applies the synonym groups identically to knowledge text and questions."""

    def __init__(self, synonym_groups: Iterable[tuple[str, ...]]) -> None:
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for group in synonym_groups:
            canonical = SYNONYM_PREFIX + key(group[0]).replace(" ", "_")
            for phrase in group:
                stems = tuple(terms(phrase))
                if stems:
                    self._phrases[stems[0]].append((stems, canonical))
        for entries in self._phrases.values():
            entries.sort(key=lambda item: -len(item[0]))

    def _matches(self, stems: list[str]) -> Iterable[tuple[int, int, str]]:
        """(start, end, canonical) for every synonym phrase found in a stem sequence."""
        for i, first in enumerate(stems):
            for phrase, canonical in self._phrases.get(first, ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    yield i, i + len(phrase), canonical

    def phrase_positions(self, tokens: list[str]) -> set[int]:
        """Positions of tokens inside a multi-word synonym phrase ("role gallery")."""
        stems = [stem(t) for t in tokens]
        return {
            i
            for start, end, _ in self._matches(stems)
            if end - start > 1
            for i in range(start, end)
        }

    def doc_terms(self, text: str, *, english: bool = False) -> list[str]:
        words = terms(text, english=english)
        plain = [stem(t) for t in content_tokens(text)]  # synonym phrases are Danish-stemmed
        return words + [canonical for _, _, canonical in self._matches(plain)]

    def part_terms(self, text: str, known: frozenset[str]) -> list[str]:
        """Index terms for the parts of a knowledge text's compound words."""
        out: list[str] = []
        for token in content_tokens(text):
            parts = [stem(p) for p in split_compound(token, known)]
            out += parts + [canonical for _, _, canonical in self._matches(parts)]
        return out

    def title_units(
        self, text: str, known: frozenset[str], *, english: bool = False
    ) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """One name of an entry, per word: (terms that name the word, terms of its parts)."""
        tokens = content_tokens(text)
        stems = [stem(t) for t in tokens]
        units = [
            {s, EN + stem_en(t)} if english else {s} for s, t in zip(stems, tokens, strict=True)
        ]
        for start, end, canonical in self._matches(stems):
            for i in range(start, end):
                units[i].add(canonical)
        return tuple(
            (frozenset(u), frozenset(stem(p) for p in split_compound(t, known)))
            for u, t in zip(units, tokens, strict=True)
        )

    def query_slots(
        self,
        tokens: list[str],
        index: SearchIndex,
        fuzzy: FuzzyVocabulary,
        lang: str = "da",
        names: frozenset[str] = frozenset(),
    ) -> list[Slot]:
        """Slots for content tokens (already folded, stop words and cue words removed).

        `names`: tokens the question capitalises mid-sentence; unknown, they are a topic
        the knowledge does not cover ("Outlook", "Opus"), not filler, and count in full.
        """
        english = lang == "en"
        stems = [stem(t) for t in tokens]
        alts: list[dict[str, float]] = [
            {s: 1.0, **({EN + stem_en(t): 1.0} if english else {})}
            for s, t in zip(stems, tokens, strict=True)
        ]
        vocab = index.vocabulary
        for i in range(len(tokens) - 1):  # "infrastruktur administratorer" -> one compound
            joined = stem(tokens[i] + tokens[i + 1])
            if joined in vocab:
                alts[i][joined] = alts[i + 1][joined] = 1.0
        for start, end, canonical in self._matches(stems):
            for i in range(start, end):
                alts[i][canonical] = 1.0
        slots = []
        for token, options in zip(tokens, alts, strict=True):
            known = {t: f for t, f in options.items() if t in vocab}
            if not known and not token.isdigit():
                if fuzzy.is_stop_word_typo(token):
                    continue
                known = fuzzy.lookup(stem(token))
                # A compound of known words beats a mere prefix match ("fagsystemet" is
                # "fag" + "system", not "fagsystemleverandør").
                weak = all(f == PREFIX for f in known.values())
                parts = split_compound(token, fuzzy.known) if weak else []
                if parts:  # a compound of known words: each part is a word of the question
                    slots += self._part_slots(parts, index)
                    continue
                if english and not known:
                    known = fuzzy.lookup(EN + stem_en(token))
            # An unknown word counts, but only half: questions carry inflected verbs and
            # filler the knowledge never uses. An unknown *topic* counts in full: a name
            # ("Outlook") or a Danish noun in its definite form ("printeren", "kantinen").
            if known:
                weight = index.slot_weight(list(known))
            else:
                topic = token in names or _DEFINITE_NOUN.search(token) is not None
                weight = (1.0 if topic else UNKNOWN_SHARE) * index.unknown_idf
            if token in LOW_INFO:
                weight *= LOW_INFO_SHARE
            slots.append(Slot(tuple(known.items()), weight))
        return slots

    def _part_slots(self, parts: list[str], index: SearchIndex) -> list[Slot]:
        stems = [stem(p) for p in parts]
        alts: list[dict[str, float]] = [{s: PART} for s in stems]
        for start, end, canonical in self._matches(stems):
            for i in range(start, end):
                alts[i][canonical] = PART
        return [
            Slot(
                tuple((t, f) for t, f in a.items() if t in index.vocabulary),
                index.slot_weight(list(a)),
            )
            for a in alts
        ]


class FuzzyVocabulary:
    """Typo tolerance: nearest vocabulary terms by edit distance (transpositions count once)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_length: dict[int, list[str]] = defaultdict(list)
        # Typos rarely hit the first letter; bucketing by it keeps each search small.
        self._buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for term in vocabulary:
            if not term.startswith(SYNONYM_PREFIX) and not term.isdigit() and len(term) >= 3:
                self._by_length[len(term)].append(term)
                self._buckets[(len(term), term[:4] if term.startswith(EN) else term[0])].append(
                    term
                )
        self._sorted = sorted(t for ts in self._by_length.values() for t in ts)
        self._known = frozenset(self._sorted)
        self.known = frozenset(t for t in vocabulary if not t.startswith((SYNONYM_PREFIX, EN)))
        self._stop_words = [w for w in STOP_WORDS if len(w) >= 4]
        self.lookup = lru_cache(maxsize=8192)(self._lookup)

    def is_stop_word_typo(self, token: str) -> bool:
        """ "lavr", "hvornaor": a misspelt stop word must not become a topic word."""
        if len(token) < 4:
            return False
        return (
            process.extractOne(token, self._stop_words, scorer=OSA.distance, score_cutoff=1)
            is not None
        )

    def _prefixed(self, term: str) -> dict[str, float]:
        found = {}
        start = bisect.bisect_left(self._sorted, term)
        for candidate in self._sorted[start : start + 4]:
            if candidate.startswith(term):
                found[candidate] = PREFIX
        for cut in range(max(4, len(term) - 3), len(term)):
            if term[:cut] in self._known:
                found[term[:cut]] = PREFIX
        return found

    def _lookup(self, term: str) -> dict[str, float]:
        # Short stems have too many one-letter neighbours ("vand" ~ "hand", "klok" ~ "klik",
        # "cake" ~ "case"); English terms carry a prefix that must not count as letters.
        bare = len(term) - len(EN) if term.startswith(EN) else len(term)
        if bare < 6:
            return {}
        max_dist = 1 if bare <= 8 else 2
        found: dict[str, float] = {}
        first = term[:4] if term.startswith(EN) else term[0]
        for length in range(len(term) - max_dist, len(term) + max_dist + 1):
            choices = self._buckets.get((length, first))
            if not choices:
                continue
            for choice, dist, _ in process.extract(
                term, choices, scorer=OSA.distance, score_cutoff=max_dist, limit=3
            ):
                found[choice] = FUZZY_ONE if dist <= 1 else FUZZY_TWO
        if not found:
            found = self._prefixed(term)
        best = max(found.values(), default=0.0)
        return {t: f for t, f in found.items() if f == best}
