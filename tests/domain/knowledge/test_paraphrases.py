"""General paraphrase behaviours: compounds, everyday synonyms, definition steering, vagueness.

The questions are written for these tests (not taken from any evaluation set)."""

import pytest

from bot.domain.knowledge.analysis import split_compound
from bot.domain.knowledge.questions import (
    DEFINITION,
    MEANING,
    category_words,
    is_open_ended,
    question_frame,
)
from bot.domain.knowledge.text import stem

KNOWN = frozenset({"implementering", "material", "gevinst", "ej", "ejer", "sikker", "ansvar"})


def _stems(words):
    return [stem(w) for w in words]


def test_split_compound_with_and_without_linking_letter():
    assert _stems(split_compound("implementeringsmateriale", KNOWN)) == [
        "implementering",
        "material",
    ]
    assert _stems(split_compound("gevinstejer", KNOWN)) == ["gevinst", "ejer"]
    assert _stems(split_compound("sikkerhedsansvarlig", KNOWN)) == ["sikker", "ansvar"]
    assert split_compound("ukendtord", KNOWN) == []
    assert split_compound("kort", KNOWN) == []


def test_question_frames():
    assert question_frame("Hvad er KOMBIT?") == DEFINITION
    assert question_frame("What is the role gallery?") == DEFINITION
    assert question_frame("Hvad betyder det for brugerne?") == MEANING
    assert question_frame("Hvornår er webinaret?") == ""
    assert category_words("Hvad er KOMBIT for en organisation?") == {"organisation"}
    assert category_words("Hvad er opgaven for en ØiR debitor administrator?") == set()
    assert is_open_ended("Hvad med systemet?") and not is_open_ended("Hvad er systemet?")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # query words that are parts of a compound in the knowledge ("implementeringsmateriale")
        ("Hvor ligger materialet til implementering af FBS?", "fbs-share-komm"),
        # everyday verbs for the knowledge's own terms (afløse = erstatte, skifte over = go-live)
        ("Hvilket system afløser KP?", "kp-erstatter"),
        ("Hvornår skifter kommunerne over til KP Basis?", "kp-basis-ibrugtagning"),
        ("Hvorfor starter man med en grundversion af KP?", "kp-hvorfor-basis"),
        ("hvem står for gevinstrealiseringen", "gevinstejer"),
        ("Hvem har ansvaret for it-sikkerheden?", "sikkerhedsansvarlig"),
        ("Hvor finder jeg vejledninger om debitorintegrationen?", "fbs-share-komm"),
    ],
)
def test_paraphrases_find_the_entry(service, now, question, expected):
    result = service.ask(question, now=now)
    assert result.answered, (question, result.candidates[:3])
    assert result.entry_id == expected


def test_what_is_prefers_the_defining_fact_over_entries_that_mention_it(service, now):
    questions = ("Hvad er KP Basis?", "what is KP Basis", "Hvad er KOMBIT for en organisation?")
    for question in questions:
        result = service.ask(question, now=now)
        assert result.answered, question
        assert result.entry_id in ("kp-hvad-er", "kombit-hvad-er"), (question, result.entry_id)
        assert service.entry(result.entry_id).__class__.__name__ == "Fact"


@pytest.mark.parametrize(
    "question", ["hvad med systemet?", "hvad med kommunen?", "hvad er status", "rollerne?"]
)
def test_vague_questions_abstain_with_suggestions(service, now, question):
    result = service.ask(question, now=now)
    assert not result.answered, (question, result.entry_id, result.confidence)


def test_one_word_that_names_an_entry_is_still_answered(service, now):
    assert service.ask("Hvad er KOMBIT?", now=now).entry_id == "kombit-hvad-er"
    assert service.ask("gevinstejer", now=now).entry_id == "gevinstejer"


@pytest.mark.parametrize(
    "question",
    [
        "Hvad bliver vejret i weekenden?",
        "hvem er borgmester i Odense",
        "Can you bake me a cake please?",
        "Hvordan laver man en god lasagne?",
        "Hvem vinder superligaen?",
        "hvordan skifter jeg dæk på min bil",
        "Hvad er meningen med livet?",  # Danish "liv" is not English "go-live"
        "hvem sørger for at printeren virker",  # "print" is no typo of "point" (SPOC)
        "Hvornår har biblioteket åbent?",
        "Hvordan nulstiller jeg min adgangskode?",
    ],
)
def test_out_of_scope_still_abstains(service, now, question):
    assert not service.ask(question, now=now).answered, question
