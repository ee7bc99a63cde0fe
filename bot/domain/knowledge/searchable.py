"""What each kind of knowledge entry offers the search, declared once per kind."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.knowledge.model import Contact, Entry, Event, Fact, Role
from bot.domain.knowledge.questions import DEFINITION, MEANING, question_frame

# Web pages and suppliers rank below mailboxes and people for "who do I contact".
_CONTACT_KINDS = {"web": "web", "supplier": "supplier", "organisation": "supplier"}


@dataclass(frozen=True, slots=True)
class Searchable:
    """An entry's texts by search field; the engine derives index terms, parts and titles.

    `names` and `aliases` name the entry (title coverage); `texts` describe it. Danish texts
    also give compound parts, English ones do not. The `extra_*` words are indexed but are
    neither names nor split into parts: they are hints, not the entry's wording.
    """

    kind: str
    names: tuple[str, ...]
    aliases: tuple[str, ...]
    texts: tuple[str, ...]
    names_en: tuple[str, ...] = ()
    texts_en: tuple[str, ...] = ()
    extra_aliases: tuple[str, ...] = ()
    extra_text: tuple[str, ...] = ()
    extra_text_en: tuple[str, ...] = ()
    # The users' own questions for the entry (the knowledge files' `questions`): indexed in
    # a field of their own, neither names nor body text.
    questions: tuple[str, ...] = ()
    questions_en: tuple[str, ...] = ()
    frame: str = ""


def searchable(entry: Entry) -> Searchable:
    """The search's view of one entry, with the frame its users' questions give it."""
    found = _searchable(entry)
    if found.frame or entry.kind == "fact":  # a fact's own question says what it answers
        return found
    # "Hvad er trin 0?" among the questions people ask for an entry: it defines the thing.
    frames = {question_frame(q) for q in (*entry.questions, *entry.questions_en)} - {""}
    if DEFINITION in frames or MEANING in frames:
        return replace(found, frame=DEFINITION if DEFINITION in frames else MEANING)
    return found


def _searchable(entry: Entry) -> Searchable:
    """The search's view of one entry; a kind without a case here is a TypeError."""
    match entry:
        case Role():
            return Searchable(
                kind="role",
                names=(entry.name,),
                names_en=(entry.name_en,),
                aliases=entry.aliases,
                texts=(entry.description,),
                texts_en=(entry.description_en,),
                questions=entry.questions,
                questions_en=entry.questions_en,
            )
        case Event():
            registration = bool(entry.registration)  # "Hvor tilmelder jeg mig ...?"
            return Searchable(
                kind="event",
                names=(entry.title,),
                names_en=(entry.title_en,),
                aliases=entry.aliases,
                # The place too: "masterclassen i KL-Huset" names the event by where it is.
                texts=(entry.description, entry.note, entry.place),
                texts_en=(entry.description_en, entry.note_en),
                extra_text=("tilmelding",) if registration else (),
                extra_text_en=("registration sign up",) if registration else (),
                questions=entry.questions,
                questions_en=entry.questions_en,
            )
        case Contact():
            return Searchable(
                kind=_CONTACT_KINDS.get(entry.type, "contact"),
                names=(entry.name,),
                aliases=(*entry.aliases, *entry.topics),
                texts=(entry.description, entry.title, entry.organisation),
                texts_en=(entry.description_en, entry.title_en),
                extra_aliases=(entry.email.replace("@", " ").replace(".", " "),),
                questions=entry.questions,
                questions_en=entry.questions_en,
            )
        case Fact():
            return Searchable(
                kind="list" if entry.list else "fact",
                names=(entry.question,),
                names_en=(entry.question_en,),
                aliases=entry.alternatives,
                texts=(entry.answer,),
                texts_en=(entry.answer_en,),
                questions=entry.questions,
                questions_en=entry.questions_en,
                frame=question_frame(entry.question),
            )
    raise TypeError(f"the search has no fields for a {type(entry).__name__}")
