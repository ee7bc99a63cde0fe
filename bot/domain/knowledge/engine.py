"""An immutable search snapshot of one KnowledgeBase: documents, BM25F index, typo vocabulary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.domain.knowledge.analysis import Analyzer, FuzzyVocabulary
from bot.domain.knowledge.index import Document, Hit, SearchIndex
from bot.domain.knowledge.model import Contact, Entry, Event, Fact, KnowledgeBase, Role
from bot.domain.knowledge.questions import (
    BOOSTS,
    DEFINITION_BOOSTS,
    FRAME_BOOSTS,
    QuestionType,
    question_frame,
)
from bot.domain.knowledge.text import terms

# Candidates below this coverage are too far off to offer even as a suggestion.
SUGGESTION_FLOOR = 0.3
# A question with one content word ("systemet", "status") is only answered with confidence
# when that word names the entry; otherwise it is too vague and gets suggestions.
VAGUE_SLOTS = 1
PART_MAX_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Candidate:
    entry_id: str
    kind: str
    score: float
    confidence: float


def _fields(entry: Entry, a: Analyzer) -> tuple[str, dict[str, list[str]]]:
    def da(*texts: str) -> list[str]:
        return [t for text in texts if text for t in a.doc_terms(text)]

    def en(*texts: str) -> list[str]:
        return [t for text in texts if text for t in a.doc_terms(text, english=True)]

    if isinstance(entry, Role):
        return "role", {
            "name": da(entry.name) + en(entry.name_en),
            "aliases": da(*entry.aliases),
            "text": da(entry.description) + en(entry.description_en),
        }
    if isinstance(entry, Event):
        signup = "tilmelding" if entry.registration else ""  # "Hvor tilmelder jeg mig ...?"
        return "event", {
            "name": da(entry.title) + en(entry.title_en),
            "aliases": da(*entry.aliases),
            "text": da(entry.description, entry.note, signup)
            + en(entry.description_en, entry.note_en, signup and "registration sign up"),
        }
    if isinstance(entry, Contact):
        email = entry.email.replace("@", " ").replace(".", " ")
        # Web pages and suppliers rank below mailboxes and people for "who do I contact".
        kind = {"web": "web", "supplier": "supplier", "organisation": "supplier"}.get(
            entry.type, "contact"
        )
        return kind, {
            "name": da(entry.name),
            "aliases": da(*entry.aliases, *entry.topics, email),
            "text": da(entry.description, entry.title, entry.organisation)
            + en(entry.description_en, entry.title_en),
        }
    assert isinstance(entry, Fact)
    return ("list" if entry.list else "fact"), {
        "name": da(entry.question) + en(entry.question_en),
        "aliases": da(*entry.alternatives),
        "text": da(entry.answer) + en(entry.answer_en),
    }


def _titles(entry: Entry) -> list[tuple[str, bool]]:
    """The texts that name an entry (Danish or English), for title coverage."""
    if isinstance(entry, Role):
        return [(entry.name, False), (entry.name_en, True), *((a, False) for a in entry.aliases)]
    if isinstance(entry, Event):
        return [(entry.title, False), (entry.title_en, True), *((a, False) for a in entry.aliases)]
    if isinstance(entry, Contact):
        return [(entry.name, False), *((a, False) for a in (*entry.aliases, *entry.topics))]
    assert isinstance(entry, Fact)
    return [
        (entry.question, False),
        (entry.question_en, True),
        *((a, False) for a in entry.alternatives),
    ]


def _frame(entry: Entry) -> str:
    return question_frame(entry.question) if isinstance(entry, Fact) else ""


def _texts(entry: Entry) -> dict[str, list[str]]:
    """The Danish texts behind each field (compound parts are Danish only)."""
    if isinstance(entry, Role):
        return {"name": [entry.name], "aliases": list(entry.aliases), "text": [entry.description]}
    if isinstance(entry, Event):
        return {
            "name": [entry.title],
            "aliases": list(entry.aliases),
            "text": [entry.description, entry.note],
        }
    if isinstance(entry, Contact):
        return {
            "name": [entry.name],
            "aliases": [*entry.aliases, *entry.topics],
            "text": [entry.description, entry.title, entry.organisation],
        }
    assert isinstance(entry, Fact)
    return {"name": [entry.question], "aliases": list(entry.alternatives), "text": [entry.answer]}


class Engine:
    """Built once per load; never mutated, so a reload can swap it in one assignment."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: dict[str, Entry] = kb.by_id()
        self.analyzer = Analyzer(kb.synonyms)
        built = [(entry, *_fields(entry, self.analyzer)) for entry in kb.entries()]
        # Words a compound may be made of: the knowledge's own words and the synonym phrases'.
        known = frozenset(
            t
            for _, _, fields in built
            for words in fields.values()
            for t in words
            if not t.startswith(("syn:", "en:"))
        ) | {t for group in kb.synonyms for phrase in group for t in terms(phrase)}
        parts = [
            {
                f: [t for text in _texts(entry)[f] for t in self.analyzer.part_terms(text, known)]
                for f in ("name", "aliases", "text")
            }
            for entry, _, _ in built
        ]
        # A part found in very many entries ("system", "kommune") says nothing; leaving it
        # out keeps the postings short.
        df = Counter(t for p in parts for t in {t for words in p.values() for t in words})
        common = {t for t, c in df.items() if c > PART_MAX_SHARE * len(built)}
        docs = []
        for (entry, kind, fields), part in zip(built, parts, strict=True):
            for field, words in part.items():
                fields[field + "_parts"] = [t for t in words if t not in common]
            titles = tuple(
                units
                for text, en in _titles(entry)
                if text
                if (units := self.analyzer.title_units(text, known, english=en))
            )
            docs.append(Document(entry.id, kind, fields, _frame(entry), titles))
        self.index = SearchIndex(docs)
        self.fuzzy = FuzzyVocabulary(self.index.vocabulary)

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
    ) -> list[Candidate]:
        slots = self.analyzer.query_slots(tokens, self.index, self.fuzzy, lang, names)
        if not slots:
            return []
        if frame and qtype in (QuestionType.WHAT, QuestionType.GENERAL):
            hits = self.index.search(slots, DEFINITION_BOOSTS, limit, FRAME_BOOSTS[frame])
        else:
            hits = self.index.search(slots, BOOSTS[qtype], limit=limit)
        # A list question's cue ("hvilke roller ...") narrows it enough on its own.
        # (A time window next to the word is content too.)
        vague = vague_check and len(slots) <= VAGUE_SLOTS and qtype is not QuestionType.LIST
        terms = {t for s in slots for t, _ in s.alternatives}
        out = []
        for h in hits:
            if vague:  # and a near-tie counts three times as much
                conf = confidence(h, hits, tie_weight=0.45)
                conf *= self.index.title_coverage(h.doc, terms)
            else:
                conf = confidence(h, hits)
            if open_ended:
                conf *= 0.5 + 0.5 * self.index.named_share(h.doc, slots)
            out.append(Candidate(h.entry_id, h.kind, h.score, conf))
        if vague or open_ended:
            out.sort(key=lambda c: -c.confidence)
        return out


def confidence(hit: Hit, hits: list[Hit], tie_weight: float = 0.15) -> float:
    """How sure we are that `hit` answers the question (0..1).

    Mostly coverage: the idf-weighted share of the question's words the entry explains, so
    an unknown topic word ("vejret", "fodbold") pulls it down however well the rest matches.
    A near-tie with a different entry lowers it a little: the question is ambiguous.
    """
    others = [h.score for h in hits if h.entry_id != hit.entry_id]
    runner_up = max(others, default=0.0)
    tie = runner_up / hit.score if hit.score > 0 else 1.0
    penalty = tie_weight * max(0.0, tie - 0.85) / 0.15
    return max(0.0, min(1.0, hit.coverage * (1.0 - penalty)))
