"""An immutable search snapshot of one KnowledgeBase: documents, BM25F index, typo vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.knowledge.analysis import Analyzer, FuzzyVocabulary
from bot.domain.knowledge.index import Document, Hit, SearchIndex
from bot.domain.knowledge.model import Contact, Entry, Event, Fact, KnowledgeBase, Role
from bot.domain.knowledge.questions import BOOSTS, QuestionType

# Candidates below this coverage are too far off to offer even as a suggestion.
SUGGESTION_FLOOR = 0.3


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


class Engine:
    """Built once per load; never mutated, so a reload can swap it in one assignment."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: dict[str, Entry] = kb.by_id()
        self.analyzer = Analyzer(kb.synonyms)
        docs = []
        for entry in kb.entries():
            kind, fields = _fields(entry, self.analyzer)
            docs.append(Document(entry.id, kind, fields))
        self.index = SearchIndex(docs)
        self.fuzzy = FuzzyVocabulary(self.index.vocabulary)

    def search(
        self, tokens: list[str], qtype: QuestionType, lang: str = "da", limit: int = 8
    ) -> list[Candidate]:
        slots = self.analyzer.query_slots(tokens, self.index, self.fuzzy, lang)
        if not slots:
            return []
        hits = self.index.search(slots, BOOSTS[qtype], limit=limit)
        return [Candidate(h.entry_id, h.kind, h.score, confidence(h, hits)) for h in hits]


def confidence(hit: Hit, hits: list[Hit]) -> float:
    """How sure we are that `hit` answers the question (0..1).

    Mostly coverage: the idf-weighted share of the question's words the entry explains, so
    an unknown topic word ("vejret", "fodbold") pulls it down however well the rest matches.
    A near-tie with a different entry lowers it a little: the question is ambiguous.
    """
    others = [h.score for h in hits if h.entry_id != hit.entry_id]
    runner_up = max(others, default=0.0)
    tie = runner_up / hit.score if hit.score > 0 else 1.0
    penalty = 0.15 * max(0.0, tie - 0.85) / 0.15
    return max(0.0, min(1.0, hit.coverage * (1.0 - penalty)))
