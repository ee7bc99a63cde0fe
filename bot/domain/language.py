"""Guess whether a short chat message is Danish or English (Danish wins ties)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

Lang = Literal["da", "en"]


class Phrasebook:
    """A capability's texts by key, in Danish and English (Danish where English is missing)."""

    def __init__(self, texts: Mapping[str, Mapping[Lang, str]]) -> None:
        self._texts = texts

    def say(self, key: str, lang: Lang, **values: object) -> str:
        variants = self._texts[key]
        text = variants.get(lang) or variants["da"]
        return text.format(**values) if values else text

    def knows(self, key: str) -> bool:
        return key in self._texts


_WORD = re.compile(r"[a-zæøåéü']+")

# Frequent function words and chat words that occur in only one of the two languages.
_ENGLISH = frozenset(
    """
    the a an is are was were be been what when where who whom which why how do does did
    can could would should will shall i you he she it we they my your our their me him her us
    them this that these those there here of to in on at for with about from by and or not
    no yes please thanks thank hello hi hey help remind poll show list me mine next week
    tomorrow today contact role roles date dates deadline meeting meetings happens happening
    tell give does doing vote results close open anyone who's what's when's isn't don't
    english settings language cancel email emails questions question any there should which
    gonna going want need know many much long where's whats whos
    """.split()
)
_DANISH = frozenset(
    """
    og i på er at det den de en et til af for med om hvad hvornår hvor hvem hvilke hvilken
    hvordan hvorfor jeg du han hun vi man kan skal vil må har havde være blive bliver ikke
    nej ja tak hej hjælp påmind mig min mit mine vores jeres næste uge morgen dag i dag
    kontakt kontakte rolle roller dato frist møde møder sker der noget også eller men
    afstemning luk vis dansk sprog indstillinger annuller laver hvem's skrive skriv
    """.split()
)
_DANISH_LETTERS = re.compile(r"[æøå]")
# A word written with a capital (or in capitals) and a Danish letter is a name: "ØiR", "KØ",
# "Ærø", "Søren". It says nothing about the language of the sentence around it.
_WORD_AS_WRITTEN = re.compile(r"[A-Za-zÆØÅæøåÉéÜü']+")


def detect_language(text: str, default: Lang = "da") -> Lang:
    """Return "en" only when the words clearly lean English; the product is Danish first.

    The words decide, not the letters: "who should I email about ØiR?" is English although it
    has an "Ø" (a name). Danish letters in an ordinary lower-case word ("træningsmiljøet")
    only settle a tie.
    """
    lowered = text.lower()
    words = _WORD.findall(lowered)
    if not words:
        return default
    en = sum(1 for w in words if w in _ENGLISH and w not in _DANISH)
    da = sum(1 for w in words if w in _DANISH and w not in _ENGLISH)
    if en > da:
        return "en"
    if da > en:
        return "da"
    if any(w[0].islower() and _DANISH_LETTERS.search(w) for w in _WORD_AS_WRITTEN.findall(text)):
        return "da"
    return default
