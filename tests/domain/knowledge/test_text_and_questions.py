"""Normalisation, folding, stemming and question-type detection."""

import pytest

from bot.domain.knowledge.questions import QuestionType, detect
from bot.domain.knowledge.text import content_tokens, fold, stem, terms


@pytest.mark.parametrize(
    "variants",
    [
        ("Træningsmiljø", "traeningsmiljoe", "traeningsmiljo", "TRÆNINGSMILJØ"),
        ("ØiR", "OIR", "OEIR", "øir"),
        ("Århus", "Aarhus", "arhus"),
        ("Høje-Taastrup", "Hoje-Tastrup", "høje-tåstrup"),
    ],
)
def test_danish_letters_fold_to_one_spelling(variants):
    assert len({fold(v) for v in variants}) == 1


def test_stemming_joins_inflections():
    assert stem(fold("webinaret")) == stem(fold("webinarer")) == stem("webinar")
    assert stem(fold("koordinatoren")) == stem(fold("koordinatorer"))
    assert terms("Træningsmiljøet") == terms("traeningsmiljo") == terms("træningsmiljøer")


def test_stop_words_and_punctuation_do_not_become_topics():
    assert content_tokens("Hvad er det, der sker i dag?!") == ["dag"]
    assert content_tokens("What is the role of the ...?") == ["role"]


def test_compounds_yield_parts_and_the_joined_word():
    assert content_tokens("ØiR-koordinator") == ["oir", "koordinator", "oirkoordinator"]


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("Hvornår er webinaret?", QuestionType.WHEN),
        ("hvornaar er trin 1", QuestionType.WHEN),
        ("When is the masterclass?", QuestionType.WHEN),
        ("Hvem skal jeg kontakte om KP?", QuestionType.WHO),
        ("Hvem kan jeg skrive til?", QuestionType.WHO),
        ("Who do I write to?", QuestionType.WHO),
        ("Hvad laver en superbruger?", QuestionType.ROLE),
        ("What does a super user do?", QuestionType.ROLE),
        ("Hvilke roller er tværgående?", QuestionType.LIST),
        ("Which administrators are there?", QuestionType.LIST),
        ("Hvorfor en basisløsning?", QuestionType.HOW),
        ("Hvad er KP?", QuestionType.WHAT),
        ("KP Basis", QuestionType.GENERAL),
    ],
)
def test_question_types(question, qtype):
    assert detect(question) is qtype
