"""Descriptive questions: people say what a role or thing does instead of naming it.

The questions are written for these tests (not taken from any evaluation set)."""

import pytest

from bot.domain.knowledge.index import Document, SearchIndex, Slot
from bot.domain.knowledge.text import named_tokens


def test_capitalised_words_mid_sentence_are_names():
    assert named_tokens("hvem administrerer brugere i Outlook") == {"outlook"}
    assert named_tokens("Hvem er borgmester i Odense? Og i Aarhus") == {"odense", "arhus"}  # folded
    assert named_tokens("Hvad laver en superbruger?") == frozenset()
    # The pronoun "I" (English "I", Danish "you") is no name.
    assert named_tokens("Anything next month I should flag to Odense?") == {"odense"}
    assert named_tokens("Hvad skal I gøre?") == frozenset()


def _index():
    docs = [
        Document("admin", "role", {"name": ["administrator"], "text": ["bruger", "ret", "opsaet"]}),
        Document("other", "role", {"name": ["koordinator"], "text": ["bruger", "mode"]}),
    ]
    return SearchIndex(docs)


def test_a_coherent_body_match_counts_in_full():
    index = _index()
    slots = [Slot(((t, 1.0),), index.slot_weight([t])) for t in ("bruger", "ret", "opsaet")]
    hit = index.search(slots)[0]
    assert hit.entry_id == "admin"
    assert hit.coverage == pytest.approx(1.0)


def test_a_single_body_word_stays_weaker_than_a_name():
    index = _index()
    slots = [Slot((("ret", 1.0),), 1.0), Slot((("ukendt", 1.0),), 1.0)]
    hit = index.search(slots)[0]
    assert hit.coverage < 0.5


def test_a_repeated_word_is_not_a_coherent_match():
    index = _index()
    brug = Slot((("bruger", 1.0),), 1.0)
    hit = index.search([brug, brug, Slot((("mode", 1.0),), 1.0), Slot((("x", 1.0),), 1.0)])[0]
    assert hit.entry_id == "other"
    assert hit.coverage < 0.8  # two distinct words matched: body words keep their discount


def test_filler_verbs_weigh_little(service):
    engine = service._engine
    slots = engine.analyzer.query_slots(["finder", "pdf"], engine.index, engine.fuzzy)
    assert slots[0].weight < 0.5 * slots[1].weight


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("hvem sikrer at systemerne passer ind i kommunens arkitektur", "it-arkitekt"),
        ("who helps colleagues with the system, the go-to user", "superbruger"),
        ("hvem lærer brugerne at bruge systemet", "traener-instruktoer"),
        ("hvem uddanner medarbejderne før vi går live", "traener-instruktoer"),
        ("where can I get the role gallery pdf", "rollegalleri-pdf"),
        ("den erfarne bruger der hjælper andre medarbejdere", "superbruger"),
        ("who handles errors and talks to the vendor day to day", "systemansvarlig-it-systemet"),
    ],
)
def test_descriptive_questions_find_the_entry(service, now, question, expected):
    result = service.ask(question, now=now)
    assert result.answered and result.entry_id == expected, (question, result.confidence)


@pytest.mark.parametrize(
    "question",
    [
        "hvem administrerer brugere og rettigheder i Outlook",
        "hvem hjælper kollegerne med at bruge printeren på kontoret",
        "hvem opretter mig i lønsystemet når jeg starter",
        "Hvem er borgmester i Odense?",
        "hvem sætter min nye telefon op",
        "who teaches the Danish course for new employees",
        "hvem leder kommunens skoleområde og bestemmer over budgettet",
    ],
)
def test_descriptive_out_of_scope_questions_abstain(service, now, question):
    result = service.ask(question, now=now)
    assert not result.answered, (question, result.entry_id, result.confidence)
