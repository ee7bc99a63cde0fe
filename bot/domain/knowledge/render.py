"""Builds the Answer for a matched entry, a time-window listing, or an honest "I don't know"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.knowledge.answers import (
    Answer,
    Suggestion,
    display_name,
    paragraphs,
    pick,
    status_text,
    suggestion_question,
    when_text,
    word,
)
from bot.domain.knowledge.details import Detail
from bot.domain.knowledge.model import (
    KNOWLEDGE_ZONE,
    Contact,
    Entry,
    Event,
    Fact,
    KnowledgeBase,
    Role,
)
from bot.domain.knowledge.questions import QuestionType
from bot.domain.knowledge.timewindow import TimeWindow


def role_answer(role: Role, lang: str, qtype: QuestionType) -> Answer:
    facts = [
        (word(lang, "view"), ", ".join(word(lang, v) for v in role.views)),
        (word(lang, "scope"), word(lang, role.scope)),
    ]
    if role.column:
        facts.append((word(lang, "column"), role.column))
    if role.group:
        facts.append((word(lang, "group"), role.group))
    note = pick(lang, role.version_note, role.version_note_en)
    if note:
        facts.append((word(lang, "version"), note))
    lines = list(paragraphs(pick(lang, role.description, role.description_en)))
    if qtype is QuestionType.WHO:
        lines.append(word(lang, "who_hint", name=role.name))
    return Answer(
        "role",
        lang,
        role.name,
        tuple(lines),
        tuple(facts),
        entry_id=role.id,
        needs_review=role.review,
    )


def event_answer(
    event: Event,
    entries: Mapping[str, Entry],
    lang: str,
    today: date,
    zone: ZoneInfo = KNOWLEDGE_ZONE,
) -> Answer:
    facts = [(word(lang, "when"), when_text(event.when, lang, zone))]
    if event.place:
        facts.append((word(lang, "place"), event.place))
    if event.audience:
        facts.append((word(lang, "audience"), event.audience))
    contact = entries.get(event.contact) if event.contact else None
    if isinstance(contact, Contact):
        facts.append((word(lang, "contact"), contact.email or contact.url or contact.name))
    lines = [s for s in [status_text(event.when, today, lang, zone)] if s]
    lines += paragraphs(pick(lang, event.description, event.description_en))
    lines += paragraphs(pick(lang, event.note, event.note_en))
    exportable = event.when.precision == "date"
    if not exportable and event.when.days_in(zone)[1] >= today:
        lines.append(word(lang, "no_ics"))
    links = ((word(lang, "registration"), event.registration),) if event.registration else ()
    return Answer(
        "event",
        lang,
        display_name(event, lang),
        tuple(lines),
        tuple(facts),
        links=links,
        entry_id=event.id,
        ics_event_id=event.id if exportable else None,
        needs_review=event.review,
    )


def contact_answer(contact: Contact, lang: str) -> Answer:
    facts = []
    for key, value in (
        ("email", contact.email),
        ("web", contact.url),
        ("phone", contact.phone),
        ("title", pick(lang, contact.title, contact.title_en)),
        ("organisation", contact.organisation),
    ):
        if value:
            facts.append((word(lang, key), value))
    if contact.topics:
        facts.append((word(lang, "topics"), ", ".join(contact.topics)))
    lines = paragraphs(pick(lang, contact.description, contact.description_en))
    links = ((word(lang, "web"), contact.url),) if contact.url else ()
    return Answer(
        "contact",
        lang,
        contact.name,
        lines,
        tuple(facts),
        links=links,
        entry_id=contact.id,
        needs_review=contact.review,
    )


def list_roles(fact: Fact, kb: KnowledgeBase) -> list[Role]:
    spec = fact.list
    assert spec is not None
    return [
        r
        for r in kb.roles
        if (not spec.view or spec.view in r.views)
        and (not spec.scope or r.scope == spec.scope)
        and (not spec.group or r.group == spec.group)
        and (not spec.changed_in or spec.changed_in in r.version_note)
    ]


def fact_answer(fact: Fact, kb: KnowledgeBase, lang: str) -> Answer:
    lines = paragraphs(pick(lang, fact.answer, fact.answer_en))
    items: tuple[str, ...] = ()
    if fact.list is not None:
        items = tuple(r.name for r in list_roles(fact, kb))
    links = tuple(("Link", url) for url in fact.links)
    return Answer(
        "list" if items else "fact",
        lang,
        display_name(fact, lang),
        lines,
        items=items,
        links=links,
        entry_id=fact.id,
        needs_review=fact.review,
    )


def entry_answer(
    entry: Entry,
    kb: KnowledgeBase,
    lang: str,
    qtype: QuestionType,
    today: date,
    entries: Mapping[str, Entry],
    zone: ZoneInfo = KNOWLEDGE_ZONE,
) -> Answer:
    if isinstance(entry, Role):
        return role_answer(entry, lang, qtype)
    if isinstance(entry, Event):
        return event_answer(entry, entries, lang, today, zone)
    if isinstance(entry, Contact):
        return contact_answer(entry, lang)
    return fact_answer(entry, kb, lang)


def compared_answer(answer: Answer, other: Entry) -> Answer:
    """The first of two compared things, pointing to the second (a button answers it)."""
    lang = answer.lang
    name = display_name(other, lang)
    line = word(lang, "compared", name=name)
    button = Suggestion(name, suggestion_question(other, lang), other.id)
    return replace(answer, lines=(*answer.lines, line), suggestions=(button,))


NEAREST_MAX = 3


def partial_answer(
    answer: Answer, entry: Entry, missing: Sequence[Detail], found: Mapping[str, str] | None = None
) -> Answer:
    """The entry's answer, opened by what it knows and which asked-for details it does not."""
    if not missing:
        return answer
    lang = answer.lang
    name = display_name(entry, lang)
    if isinstance(entry, Event):
        known = word(lang, f"known_{entry.when.precision}", name=name)
    elif isinstance(entry, Contact):
        known = word(lang, "known_contact", name=name)
    else:
        known = word(lang, "known_entry", name=name)
    detail = word(lang, "partial_or").join(
        (d.en if lang == "en" else d.da).format(found=(found or {}).get(d.key, "")) for d in missing
    )
    note = word(lang, "partial", known=known, detail=detail)
    return replace(answer, lines=(note, *answer.lines), missing=tuple(d.key for d in missing))


def window_answer(
    window: TimeWindow,
    events: Sequence[Event],
    lang: str,
    today: date,
    zone: ZoneInfo = KNOWLEDGE_ZONE,
    known: Sequence[Event] = (),
) -> Answer:
    """The events in a window; when there are none, the nearest ones before and after it
    among `known` (all the knowledge's events), so the answer still helps."""
    title = word(lang, "window_title", label=window.phrase(lang))
    if not events:
        lines = [word(lang, "window_none", label=window.phrase(lang))]
        items = [
            f"{word(lang, side)}: {_event_line(e, lang, today, zone)}"
            for side, e in _nearest(window, known, zone)
        ]
        if items:
            lines.append(word(lang, "window_nearest"))
        return Answer("events", lang, title, tuple(lines), items=tuple(items))
    items = [
        _event_line(e, lang, today, zone)
        for e in sorted(events, key=lambda e: e.when.days_in(zone))
    ]
    return Answer("events", lang, title, items=tuple(items))


def _event_line(event: Event, lang: str, today: date, zone: ZoneInfo) -> str:
    mark = word(lang, "passed_mark") if event.when.days_in(zone)[1] < today else ""
    return f"{when_text(event.when, lang, zone)} – {display_name(event, lang)}{mark}"


def _nearest(window: TimeWindow, known: Sequence[Event], zone: ZoneInfo) -> list[tuple[str, Event]]:
    """The latest events that end before the window and the first that start after it
    (those on the same nearest day, at most NEAREST_MAX a side)."""
    days = {e.id: e.when.days_in(zone) for e in known}
    before = [e for e in known if days[e.id][1] < window.start]
    after = [e for e in known if days[e.id][0] > window.end]
    out: list[tuple[str, Event]] = []
    if before:
        last = max(days[e.id][1] for e in before)
        out += [("window_before", e) for e in before if days[e.id][1] == last][:NEAREST_MAX]
    if after:
        first = min(days[e.id][0] for e in after)
        out += [("window_after", e) for e in after if days[e.id][0] == first][:NEAREST_MAX]
    return out


def unknown_answer(question: str, near: Sequence[Entry], lang: str) -> Answer:
    suggestions = tuple(
        Suggestion(display_name(e, lang), suggestion_question(e, lang), e.id) for e in near[:3]
    )
    lines = [word(lang, "unknown_body", q=question.strip())]
    if suggestions:
        lines.append(word(lang, "unknown_suggest"))
    return Answer(
        "unknown", lang, word(lang, "unknown_title"), tuple(lines), suggestions=suggestions
    )
