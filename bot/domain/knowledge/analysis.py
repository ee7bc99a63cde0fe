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
    MAX_STEM_TAIL,
    MAX_WORD_CHARS,
    STEM_TAIL,
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
# A name the knowledge lacks ("Prisme", "Sygedagpengesystem") is what the question is about:
# it counts more than an unknown noun.
UNKNOWN_NAME = 1.25
# A Danish word this long that the knowledge lacks is a compound noun ("kontraktsum",
# "kontraktansvarlig"): a topic, not chatter (sentence adverbs are stop words).
LONG_TOPIC_WORD = 10
# Definite nouns: "-en" (printeren), "-erne"/"-ene" (plural); long enough not to be a verb.
_DEFINITE_NOUN = re.compile(r"^[a-z]{3,}(?:[^aeiouy]en|erne|ene)$")
LOW_INFO_SHARE = 0.3  # weight of a filler/question verb relative to its idf
PART = 0.9  # a part of a compound question word: nearly as good as the word itself
MIN_PART = 3  # shortest compound part ("ejer" in "gevinstejer", "it" is too short)
LOOSE_TAIL = 6  # in knowledge text a compound's tail may be a word used nowhere else
# The unknown words of a question that get the typo and compound search (up to 100 µs each on
# a large vocabulary); later ones count as unknown words. The evaluation sets have at most 8.
MAX_SEARCHED_WORDS = 12


@lru_cache(maxsize=65536)
def split_compound(
    token: str, known: frozenset[str], *, loose: bool = False, depth: int = 0
) -> list[str]:
    """Danish compounds: "implementeringsmateriale" -> ["implementering", "materiale"].

    The head's stem must be a known term (a linking -s/-e may join the parts); the tail's
    stem must be known too, or (`loose`, for knowledge text) at least LOOSE_TAIL letters.
    The longest known head wins; a tail that is itself a compound is split once more.
    """
    # A token longer than any word (MAX_WORD_CHARS) is not split at all.
    if not 2 * MIN_PART + 1 <= len(token) <= MAX_WORD_CHARS or token.isdigit():
        return []
    return _Compound(token, known).split(0, loose=loose, nested=depth > 0)


def may_stem_to(word: str, vocabulary: frozenset[str]) -> bool:
    """False if stem(word) is surely not in `vocabulary`: it is `word` minus a STEM_TAIL."""
    end = len(word)
    for cut in range(end, max(0, end - MAX_STEM_TAIL) - 1, -1):
        if word[:cut] in vocabulary and STEM_TAIL.fullmatch(word, cut) is not None:
            return True
    return False


@lru_cache(maxsize=4)  # an engine's two vocabularies, and the last engine's during a reload
def _prefixes(known: frozenset[str]) -> frozenset[str]:
    """Every prefix of every known term: a walk along a token stops where no term goes on."""
    return frozenset(term[:i] for term in known for i in range(1, len(term) + 1))


class _Compound:
    """The split points of one token, found by position (every part is a slice of it).

    Trying each split point by stemming both halves, and the tail's halves again, ran the
    (pure-Python) stemmer a few times per letter: up to seconds for one long question. But a
    stem is the word minus a STEM_TAIL, so a part's stem can only be a known term if the part
    is a known term followed by such a tail. That is checked first, with the prefix set of
    the known terms and the pattern; the stemmer runs only where it holds. Heads are tried
    only up to the longest known term at the start (plus a tail), and a split that needs a
    known tail ends at once when the token has none. The result is the same as stemming at
    every point in turn (the test of the worst case compares the two).
    """

    __slots__ = ("_inner", "_known", "_tail_set", "_tails", "_words", "known", "prefixes", "token")

    def __init__(self, token: str, known: frozenset[str]) -> None:
        self.token = token
        self.known = known
        self.prefixes = _prefixes(known)
        self._words: dict[int, list[int]] = {}
        self._known: dict[tuple[int, int], bool] = {}
        self._inner: dict[int, list[str]] = {}
        self._tails: list[int] | None = None
        self._tail_set: frozenset[int] = frozenset()

    def known_tails(self) -> list[int]:
        """The cuts p where token[p:] stems to a known term, last first (as cuts are tried)."""
        if self._tails is None:
            token, known, n = self.token, self.known, len(self.token)
            # token[p:] = a known term token[p:j] + a STEM_TAIL token[j:]
            ends = [
                j
                for j in range(n, max(0, n - MAX_STEM_TAIL) - 1, -1)
                if STEM_TAIL.fullmatch(token, j) is not None
            ]
            tails = []
            for p in range(n - MIN_PART, MIN_PART - 1, -1):
                for j in ends:
                    if j > p and token[p:j] in known:
                        if stem(token[p:]) in known:
                            tails.append(p)
                        break
            self._tails, self._tail_set = tails, frozenset(tails)
        return self._tails

    def _words_at(self, start: int) -> list[int]:
        """The ends of the known terms token[start:end]."""
        ends = self._words.get(start)
        if ends is None:
            ends = []
            token, prefixes, known = self.token, self.prefixes, self.known
            for end in range(start + 1, len(token) + 1):
                part = token[start:end]
                if part not in prefixes:
                    break
                if part in known:
                    ends.append(end)
            self._words[start] = ends
        return ends

    def _maybe_known(self, start: int, end: int) -> bool:
        """Whether stem(token[start:end]) can be a known term: a term and a STEM_TAIL."""
        token = self.token
        for word_end in self._words_at(start):
            if word_end > end:
                break
            if end - word_end <= MAX_STEM_TAIL and STEM_TAIL.fullmatch(token, word_end, end):
                return True
        return False

    def _known_head(self, start: int, end: int) -> bool:
        """Whether stem(token[start:end]) is a known term."""
        found = self._known.get((start, end))
        if found is None:
            found = self._maybe_known(start, end) and stem(self.token[start:end]) in self.known
            self._known[(start, end)] = found
        return found

    def _same_stem(self, start: int, cut: int) -> bool:
        """Whether token[cut:] stems to the same as token[start:] (no head is split off)."""
        # The stem of token[start:] keeps all but MAX_STEM_TAIL letters at most, so the two
        # rests must begin alike for that long.
        token, alike = self.token, len(self.token) - start - MAX_STEM_TAIL
        if cut - start > MAX_STEM_TAIL:
            return False
        if alike > 0 and token[cut : cut + alike] != token[start : start + alike]:
            return False
        return stem(token[cut:]) == stem(token[start:])

    def _inner_split(self, cut: int) -> list[str]:
        inner = self._inner.get(cut)
        if inner is None:
            inner = self._inner[cut] = self.split(cut, loose=False, nested=True)
        return inner

    def split(self, start: int, *, loose: bool, nested: bool) -> list[str]:
        """split_compound(token[start:], loose=loose, depth=1 if nested else 0)."""
        token, n = self.token, len(self.token)
        words = self._words_at(start)
        # Every split has a head whose stem is known, so a known term where it starts; the
        # head is that term and a STEM_TAIL at most, which bounds the cuts to try.
        if not words or n - start < 2 * MIN_PART + 1 or token[start:].isdigit():
            return []
        last = min(n - MIN_PART, words[-1] + MAX_STEM_TAIL + 1)
        cuts: Iterable[int]
        if nested and not loose:  # no tail is split again: only the known tails can cut
            cuts = [p for p in self.known_tails() if start + MIN_PART <= p <= last]
        else:
            cuts = range(last, start + MIN_PART - 1, -1)
        fallback: list[str] = []
        for cut in cuts:
            # The conditions of a split, the cheap ones first: a head that can stem to a
            # known term, a known tail (or, at the top, a tail of two known parts), then
            # the head's stem itself, and a tail that does not stem like the whole.
            heads = [
                h
                for h in ((cut, cut - 1) if token[cut - 1] in "se" else (cut,))
                if h - start > MIN_PART and self._maybe_known(start, h)
            ]
            if not heads:
                continue
            tails = self.known_tails()
            tail_known = cut in self._tail_set
            inner: list[str] = []
            if not tail_known and not nested and tails and cut + MIN_PART <= tails[0]:
                inner = self._inner_split(cut)
            if not loose and not tail_known and not inner:
                continue
            head = next((h for h in heads if self._known_head(start, h)), None)
            if head is None or self._same_stem(start, cut):
                continue
            if tail_known:
                return [token[start:head], token[cut:]]
            if inner:
                return [token[start:head], *inner]
            if loose and not fallback and n - cut >= LOOSE_TAIL:
                fallback = [token[start:head], token[cut:]]
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

    def in_a_phrase(self, stemmed: str) -> bool:
        """Whether a stemmed word is (the first word of) a synonym phrase."""
        return stemmed in self._phrases

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
        context: frozenset[str] = frozenset(),
    ) -> list[Slot]:
        """Slots for content tokens (already folded, stop words and cue words removed).

        `names`: tokens the question capitalises mid-sentence; unknown, they are a topic
        the knowledge does not cover ("Outlook", "Opus"), not filler, and count in full.
        `context`: tokens only of the sentences before the question, which tell who asks and
        why; they count for CONTEXT_SHARE of their weight.
        """
        slots = self._slots(tokens, index, fuzzy, lang, names)
        if not context:
            return [slot for slot, _ in slots]
        return [
            Slot(slot.alternatives, slot.weight * CONTEXT_SHARE, slot.topic)
            if token in context
            else slot
            for slot, token in slots
        ]

    def _slots(
        self,
        tokens: list[str],
        index: SearchIndex,
        fuzzy: FuzzyVocabulary,
        lang: str,
        names: frozenset[str],
    ) -> list[tuple[Slot, str]]:
        """Each token's slot(s), paired with the token (a compound gives one per part)."""
        english = lang == "en"
        stems = [stem(t) for t in tokens]
        alts: list[dict[str, float]] = [
            {s: 1.0, **({EN + stem_en(t): 1.0} if english else {})}
            for s, t in zip(stems, tokens, strict=True)
        ]
        vocab = index.vocabulary
        for i in range(len(tokens) - 1):  # "infrastruktur administratorer" -> one compound
            word = tokens[i] + tokens[i + 1]
            if may_stem_to(word, vocab) and (joined := stem(word)) in vocab:
                alts[i][joined] = alts[i + 1][joined] = 1.0
        for start, end, canonical in self._matches(stems):
            for i in range(start, end):
                alts[i][canonical] = 1.0
        slots: list[tuple[Slot, str]] = []
        searched: set[str] = set()
        for i, (token, options) in enumerate(zip(tokens, alts, strict=True)):
            known = {t: f for t, f in options.items() if t in vocab}
            if not known and len(token) > 2 and token.endswith("s"):
                # A genitive: "KLs", "KOMBITs", "Netcompanys" name KL, KOMBIT, Netcompany.
                owner = stem(token[:-1])
                known = {owner: 1.0} if owner in vocab else {}
            if not known and _joined_parts(tokens, i):
                # "KY-opfølgningen" gives "ky", "opfolgningen" and "kyopfolgningen": the
                # parts are its slots; the joined word only counts when it is a word itself.
                continue
            if not known and not token.isdigit():
                if fuzzy.is_stop_word_typo(token):
                    continue
                if token not in searched and len(searched) == MAX_SEARCHED_WORDS:
                    slots.append((self._unknown_slot(token, index, names, english), token))
                    continue
                searched.add(token)
                known = fuzzy.lookup(stem(token))
                # A compound of known words beats a mere prefix match ("fagsystemet" is
                # "fag" + "system", not "fagsystemleverandør").
                weak = all(f == PREFIX for f in known.values())
                # Unless the word is the head of a known compound: "enkeltsag" is the start
                # of "enkeltsagsprincip", not "enkelt" + "sag".
                heads = _compound_heads(stem(token), known, fuzzy.known) if weak else {}
                known = heads or known
                parts = split_compound(token, fuzzy.known) if weak and not heads else []
                if parts:  # a compound of known words: each part is a word of the question
                    slots += [(part, token) for part in self._part_slots(parts, index)]
                    continue
                if english and not known:
                    known = fuzzy.lookup(EN + stem_en(token))
                known = _telling(known, index)
                # The word it was misspelt for brings its synonyms ("pensionsystemet" is the
                # pension system, KP), as the word itself would have.
                for term, factor in list(known.items()):
                    for _, end, canonical in self._matches([term]):
                        if end == 1 and canonical in vocab:
                            known.setdefault(canonical, factor)
            if not known:
                slots.append((self._unknown_slot(token, index, names, english), token))
                continue
            weight = index.slot_weight(list(known))
            if token in LOW_INFO:
                weight *= LOW_INFO_SHARE
            slots.append((Slot(tuple(known.items()), weight), token))
        return slots

    @staticmethod
    def _unknown_slot(
        token: str, index: SearchIndex, names: frozenset[str], english: bool = False
    ) -> Slot:
        # An unknown word counts, but only half: questions carry inflected verbs and
        # filler the knowledge never uses. An unknown *topic* counts in full: a name
        # ("Outlook") or a Danish noun in its definite form ("printeren", "kantinen").
        topic = token in names or _DEFINITE_NOUN.search(token) is not None
        topic = topic or (not english and len(token) >= LONG_TOPIC_WORD)
        share = UNKNOWN_NAME if token in names else 1.0 if topic else UNKNOWN_SHARE
        weight = share * index.unknown_idf
        if token in LOW_INFO:
            weight *= LOW_INFO_SHARE
        # A name the knowledge lacks ("Sygedagpengesystem (KSD)") is never forgiven as chatter
        # around a long question; a definite noun may be ("i slutningen af året").
        return Slot((), weight, token in names)

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


def _compound_heads(
    stemmed: str, found: dict[str, float], known: frozenset[str]
) -> dict[str, float]:
    """The prefix matches that are `stemmed` + (a linking s/e) + a word: a known one, or
    one long enough to be a word (LOOSE_TAIL, as compounds in knowledge text are split)."""
    heads = {}
    for term, factor in found.items():
        tail = term[len(stemmed) :] if term.startswith(stemmed) else ""
        if tail[:1] in ("s", "e") and tail[1:] in known:
            tail = tail[1:]
        if len(tail) > MIN_PART and (tail in known or len(tail) >= LOOSE_TAIL):
            heads[term] = factor
    return heads


def _joined_parts(tokens: list[str], i: int) -> int:
    """How many of the tokens just before tokens[i] it is written together (a hyphen word
    gives its parts, then the joined word), or 0."""
    return next((k for k in range(2, min(i, 4) + 1) if "".join(tokens[i - k : i]) == tokens[i]), 0)


# The words of the sentences told before a long question ("Jeg er ny i økonomiafdelingen …")
# count for this share of their weight: they may name the topic, but mostly they are about
# the asker.
CONTEXT_SHARE = 0.4


# A misspelt word near a rare term and near one found in most entries means the rare one:
# the common neighbour would tell nothing apart, and would spread the slot's weight over
# every entry (and cost a pass over all of them).
TELLING_SHARE = 0.25


def _telling(found: dict[str, float], index: SearchIndex) -> dict[str, float]:
    if len(found) < 2:
        return found
    idf = {t: index.idf.get(t, 0.0) for t in found}
    floor = TELLING_SHARE * max(idf.values())
    return {t: f for t, f in found.items() if idf[t] >= floor}


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
        _prefixes(self.known)  # built with the index, not by the first question's compounds
        # By length: one edit changes a word's length by one letter at most.
        self._stop_words: dict[int, list[str]] = defaultdict(list)
        for word in STOP_WORDS:
            if len(word) >= 4:
                self._stop_words[len(word)].append(word)
        self.lookup = lru_cache(maxsize=8192)(self._lookup)

    def is_stop_word_typo(self, token: str) -> bool:
        """ "lavr", "hvornaor": a misspelt stop word must not become a topic word."""
        if len(token) < 4:
            return False
        size = len(token)
        near = [w for n in (size - 1, size, size + 1) for w in self._stop_words.get(n, ())]
        return (
            bool(near)
            and process.extractOne(token, near, scorer=OSA.distance, score_cutoff=1) is not None
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
