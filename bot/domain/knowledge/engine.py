"""An immutable search snapshot of one KnowledgeBase: documents, BM25F index, typo vocabulary."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.domain.knowledge.analysis import Analyzer, FuzzyVocabulary
from bot.domain.knowledge.index import Document, Hit, SearchIndex
from bot.domain.knowledge.model import Entry, KnowledgeBase
from bot.domain.knowledge.questions import (
    BOOSTS,
    DEFINITION_BOOSTS,
    FRAME_BOOSTS,
    QuestionType,
)
from bot.domain.knowledge.searchable import Searchable, searchable
from bot.domain.knowledge.small_talk import SmallTalkMatcher
from bot.domain.knowledge.text import EN, STOP_WORDS, fold, raw_tokens, stem, stem_en, terms

# Candidates below this coverage are too far off to offer even as a suggestion.
SUGGESTION_FLOOR = 0.3
# A question with one content word ("systemet", "status") is only answered with confidence
# when that word names the entry; otherwise it is too vague and gets suggestions.
VAGUE_SLOTS = 1
PART_MAX_SHARE = 0.1
# A word in about two entries of five or more ("KOMBIT" in this knowledge) names no topic
# of its own: beside a time window it does not make a listing question one about a thing.
COMMON_IDF = 1.0
# "Hvad er/betyder X?": the entry whose whole name the question says is the one defined.
NAMED_DEFINITION = 1.2
# Also asked what a role does ("hvad laver en ØiR-koordinator?"): the role of that name.
_NAMED_KINDS: dict[QuestionType, tuple[str, ...]] = {QuestionType.ROLE: ("role",)}


@dataclass(frozen=True, slots=True)
class Candidate:
    entry_id: str
    kind: str
    score: float
    confidence: float


def _fields(s: Searchable, a: Analyzer) -> dict[str, list[str]]:
    def da(*texts: str) -> list[str]:
        return [t for text in texts if text for t in a.doc_terms(text)]

    def en(*texts: str) -> list[str]:
        return [t for text in texts if text for t in a.doc_terms(text, english=True)]

    return {
        "name": da(*s.names) + en(*s.names_en),
        "aliases": da(*s.aliases, *s.extra_aliases),
        "text": da(*s.texts, *s.extra_text) + en(*s.texts_en, *s.extra_text_en),
        "asked": da(*s.questions) + en(*s.questions_en),
    }


def _titles(s: Searchable) -> list[tuple[str, bool]]:
    """The texts that name an entry (Danish or English), for title coverage."""
    return [
        *((n, False) for n in s.names),
        *((n, True) for n in s.names_en),
        *((a, False) for a in s.aliases),
    ]


def _texts(s: Searchable) -> dict[str, tuple[str, ...]]:
    """The Danish texts behind each field (compound parts are Danish only)."""
    return {"name": s.names, "aliases": s.aliases, "text": s.texts}


class Engine:
    """Built once per load; never mutated, so a reload can swap it in one assignment."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: dict[str, Entry] = kb.by_id()
        self.analyzer = Analyzer(kb.synonyms)
        built = [(s, _fields(s, self.analyzer)) for s in map(searchable, kb.entries())]
        # Words a compound may be made of: the knowledge's own words and the synonym phrases'.
        known = frozenset(
            t
            for _, fields in built
            for words in fields.values()
            for t in words
            if not t.startswith(("syn:", "en:"))
        ) | {t for group in kb.synonyms for phrase in group for t in terms(phrase)}
        parts = [
            {
                f: [t for text in texts for t in self.analyzer.part_terms(text, known)]
                for f, texts in _texts(s).items()
            }
            for s, _ in built
        ]
        # A part found in very many entries ("system", "kommune") says nothing; leaving it
        # out keeps the postings short.
        df = Counter(t for p in parts for t in {t for words in p.values() for t in words})
        common = {t for t, c in df.items() if c > PART_MAX_SHARE * len(built)}
        docs = []
        for entry, (s, fields), part in zip(kb.entries(), built, parts, strict=True):
            for field, words in part.items():
                fields[field + "_parts"] = [t for t in words if t not in common]
            titles = tuple(
                units
                for text, en in _titles(s)
                if text
                if (units := self.analyzer.title_units(text, known, english=en))
            )
            docs.append(Document(entry.id, s.kind, fields, s.frame, titles))
        self.index = SearchIndex(docs)
        self.fuzzy = FuzzyVocabulary(self.index.vocabulary)
        self.small_talk = SmallTalkMatcher(kb.small_talk, kb.small_talk_names)
        # Adjacent words of every text, as stems: "KMD Aktiv" is a name the knowledge lacks
        # although it has "KMD" and "aktive".
        self.word_pairs = _word_pairs(
            text
            for s, _ in built
            for text in (
                *s.names,
                *s.names_en,
                *s.aliases,
                *s.texts,
                *s.texts_en,
                *s.questions,
                *s.questions_en,
                *s.extra_aliases,
            )
        ) | _word_pairs(phrase for group in kb.synonyms for phrase in group)
        # A municipality is a name the knowledge knows of, even where no entry mentions it
        # ("was Ærø one of them?"): not an unknown topic of its own.
        self.municipality_words = frozenset(
            word
            for m in kb.municipalities
            for name in (m.name, *m.aliases)
            for word in raw_tokens(name)
        )

    def unknown_name_pairs(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The acronym-and-name pairs ("KMD Aktiv") the knowledge never has together, though
        it knows each word: something it lacks. Municipalities are never such a pair."""
        vocabulary = self.index.vocabulary
        out = []
        for a, b in pairs:
            if a in self.municipality_words or b in self.municipality_words:
                continue
            known = all(stem(w) in vocabulary or EN + stem_en(w) in vocabulary for w in (a, b))
            if known and (stem(a), stem(b)) not in self.word_pairs:
                out.append((a, b))
        return out

    def half_known_names(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Two-word names of which the knowledge knows one word and not the other, in no
        form or spelling ("Kommunernes Sygedagpengesystem" beside "Kommunernes
        Pensionssystem"): something else of the same family, which it lacks."""
        out = []
        for a, b in pairs:
            if a in self.municipality_words or b in self.municipality_words:
                continue
            if self.knows(a) != self.knows(b):
                out.append((a, b))
        return out

    def knows(self, word: str) -> bool:
        """Whether the knowledge has the (folded) word in some form or spelling."""
        vocabulary = self.index.vocabulary
        term = stem(word)
        return (
            term in vocabulary
            or EN + stem_en(word) in vocabulary
            or word in STOP_WORDS
            or bool(self.fuzzy.lookup(term))
        )

    def is_common(self, token: str) -> bool:
        """Whether the (folded) word is in so many entries that it tells none apart."""
        return self.index.idf.get(stem(token), COMMON_IDF) < COMMON_IDF

    def unknown_names(self, names: frozenset[str]) -> frozenset[str]:
        """The names (capitalised words) that neither the knowledge nor its municipalities
        have, in any form: "Tivoli", "Outlook"."""
        vocabulary = self.index.vocabulary
        return frozenset(
            n
            for n in names - self.municipality_words
            if stem(n) not in vocabulary and EN + stem_en(n) not in vocabulary
        )

    def search(
        self,
        tokens: list[str],
        qtype: QuestionType,
        lang: str = "da",
        limit: int = 8,
        *,
        frame: str = "",
        vague_check: bool = True,
        open_ended: bool = False,
        names: frozenset[str] = frozenset(),
        context: frozenset[str] = frozenset(),
    ) -> list[Candidate]:
        names -= self.municipality_words
        slots = self.analyzer.query_slots(tokens, self.index, self.fuzzy, lang, names, context)
        if not slots:
            return []
        terms = {t for s in slots for t, _ in s.alternatives}
        defining = bool(frame) and qtype in (QuestionType.WHAT, QuestionType.GENERAL)
        if defining:
            hits = self.index.search(slots, DEFINITION_BOOSTS, limit, FRAME_BOOSTS[frame])
        else:
            hits = self.index.search(slots, BOOSTS[qtype], limit=limit)
        if defining or qtype in _NAMED_KINDS:
            # "Hvad betyder trin 0?" defines the entry named "Trin 0", not one that mentions
            # it; "what is an ØiR-koordinator supposed to do" asks about that role.
            hits = sorted(
                (
                    replace(h, score=h.score * NAMED_DEFINITION)
                    if h.kind in _NAMED_KINDS.get(qtype, (h.kind,))
                    and self.index.title_coverage(h.doc, terms) == 1.0
                    else h
                    for h in hits
                ),
                key=lambda h: -h.score,
            )
        # A list question's cue ("hvilke roller ...") narrows it enough on its own.
        # (A time window next to the word is content too.)
        vague = vague_check and len(slots) <= VAGUE_SLOTS and qtype is not QuestionType.LIST
        out = []
        # Each hit's strongest rival (the best hit of another entry), found in one pass.
        top = max(hits, key=lambda h: h.score, default=None)
        top_entry, top_score = (top.entry_id, top.score) if top else ("", 0.0)
        rival = max((h.score for h in hits if h.entry_id != top_entry), default=0.0)
        for h in hits:
            runner_up = rival if h.entry_id == top_entry else top_score
            if vague:  # and a near-tie counts three times as much
                conf = confidence(h, hits, tie_weight=0.45, runner_up=runner_up)
                conf *= self.index.title_coverage(h.doc, terms)
            else:
                conf = confidence(h, hits, runner_up=runner_up)
            if open_ended:
                conf *= 0.5 + 0.5 * self.index.named_share(h.doc, slots)
            out.append(Candidate(h.entry_id, h.kind, h.score, conf))
        if vague or open_ended:
            out.sort(key=lambda c: -c.confidence)
        return out


def confidence(
    hit: Hit, hits: list[Hit], tie_weight: float = 0.15, *, runner_up: float | None = None
) -> float:
    """How sure we are that `hit` answers the question (0..1).

    Mostly coverage: the idf-weighted share of the question's words the entry explains, so
    an unknown topic word ("vejret", "fodbold") pulls it down however well the rest matches.
    A near-tie with a different entry lowers it a little: the question is ambiguous.
    `runner_up`, the best score of another entry's hit, when the caller has it already.
    """
    if runner_up is None:
        runner_up = max((h.score for h in hits if h.entry_id != hit.entry_id), default=0.0)
    tie = runner_up / hit.score if hit.score > 0 else 1.0
    penalty = tie_weight * max(0.0, tie - 0.85) / 0.15
    return max(0.0, min(1.0, hit.coverage * (1.0 - penalty)))


_PLAIN_WORD = re.compile(r"[a-z0-9]{2,}")


def _word_pairs(texts: Iterable[str]) -> frozenset[tuple[str, str]]:
    """(stem, stem) of every two adjacent words ("KL's masterclass": kl, masterclass)."""
    pairs: set[tuple[str, str]] = set()
    for text in texts:
        words = [stem(w) for w in _PLAIN_WORD.findall(fold(text))] if text else []
        pairs.update(itertools.pairwise(words))
    return frozenset(pairs)
