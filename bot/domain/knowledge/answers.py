"""Answer content as plain data (title, lines, label/value facts, items) in Danish or English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.danish_format import (
    format_date_range,
    format_datetime_range,
    format_day_and_times,
    format_month_range,
    format_quarter,
)
from bot.domain.knowledge.model import KNOWLEDGE_ZONE, Contact, Entry, Event, Fact, Role, When

_WORDS = {
    "da": {
        "when": "Hvornår",
        "place": "Sted",
        "registration": "Tilmelding",
        "contact": "Kontakt",
        "audience": "Målgruppe",
        "email": "E-mail",
        "web": "Web",
        "phone": "Telefon",
        "title": "Titel",
        "organisation": "Organisation",
        "topics": "Emner",
        "view": "Visning",
        "scope": "Type",
        "column": "Kolonne",
        "group": "Gruppe",
        "version": "Version 1.3",
        "implementation": "Implementering",
        "operation": "Drift og forvaltning",
        "system-specific": "Systemspecifik",
        "cross-cutting": "Tværgående",
        "passed": "Datoen er passeret.",
        "passed_period": "Perioden er overstået.",
        "today": "Det er i dag.",
        "ongoing": "Perioden er i gang.",
        "in_days": "Om {n} dage.",
        "tomorrow": "Det er i morgen.",
        "no_ics": "Kun måned/kvartal er kendt, så den kan ikke lægges i kalenderen endnu.",
        "review": "Beskrivelsen afventer gennemsyn af vidensejeren.",
        "who_hint": "Vil du vide, hvem der har rollen i en kommune, så spørg fx "
        "„Hvem er {name} i Odense?“",
        "window_title": "Det sker {label}",
        "window_none": "Jeg kender ingen begivenheder {label}.",
        "window_nearest": "De nærmeste, jeg kender:",
        "partial": "Jeg kender {known}, men ikke {detail}.",
        "compared": "Du spurgte også til {name}: tryk på knappen for at se den til sammenligning.",
        "partial_or": " eller ",
        "known_date": "datoen for „{name}“",
        "known_month": "måneden for „{name}“",
        "known_quarter": "kvartalet for „{name}“",
        "known_contact": "kontaktoplysningerne for {name}",
        "known_entry": "det, der står herunder om „{name}“",
        "window_before": "Før",
        "window_after": "Efter",
        "passed_mark": " (passeret)",
        "unknown_title": "Det ved jeg desværre ikke",
        "unknown_body": "Jeg fandt ikke et sikkert svar på „{q}“. Spørgsmålet er noteret, "
        "så vidensejeren kan tilføje svaret.",
        "unknown_suggest": "Mente du måske:",
        "q_role": "Hvad laver en {name}?",
        "q_event": "Hvornår er {name}?",
        "q_contact": "Kontaktoplysninger for {name}",
    },
    "en": {
        "when": "When",
        "place": "Place",
        "registration": "Registration",
        "contact": "Contact",
        "audience": "Audience",
        "email": "Email",
        "web": "Web",
        "phone": "Phone",
        "title": "Title",
        "organisation": "Organisation",
        "topics": "Topics",
        "view": "View",
        "scope": "Type",
        "column": "Column",
        "group": "Group",
        "version": "Version 1.3",
        "implementation": "Implementation",
        "operation": "Operation and management",
        "system-specific": "System-specific",
        "cross-cutting": "Cross-cutting",
        "passed": "This date has passed.",
        "passed_period": "This period is over.",
        "today": "It is today.",
        "ongoing": "This period is under way.",
        "in_days": "In {n} days.",
        "tomorrow": "It is tomorrow.",
        "no_ics": "Only the month/quarter is known, so it cannot be added to a calendar yet.",
        "review": "This description is awaiting review by the knowledge owner.",
        "who_hint": "To see who holds the role in a municipality, ask e.g. "
        '"Who is {name} in Odense?"',
        "window_title": "Happening {label}",
        "window_none": "I know of no events {label}.",
        "window_nearest": "The nearest ones I know of:",
        "partial": "I know {known}, but not {detail}.",
        "compared": "You also asked about {name}: press the button to compare.",
        "partial_or": " or ",
        "known_date": 'the date of "{name}"',
        "known_month": 'the month of "{name}"',
        "known_quarter": 'the quarter of "{name}"',
        "known_contact": "the contact details of {name}",
        "known_entry": 'what is below about "{name}"',
        "window_before": "Before",
        "window_after": "After",
        "passed_mark": " (passed)",
        "unknown_title": "Sorry, I don't know",
        "unknown_body": 'I found no reliable answer to "{q}". The question has been noted '
        "so the knowledge owner can add an answer.",
        "unknown_suggest": "Did you mean:",
        "q_role": "What does a {name} do?",
        "q_event": "When is {name}?",
        "q_contact": "Contact details for {name}",
    },
}


def word(lang: str, key: str, **kw: object) -> str:
    return _WORDS["en" if lang == "en" else "da"][key].format(**kw)


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    question: str  # shown/sent as the user's question when the button is pressed
    entry_id: str = ""  # lets the channel answer exactly this entry (KnowledgeService.answer)


@dataclass(frozen=True, slots=True)
class Answer:
    kind: str  # role | event | contact | fact | list | events | unknown | roleholder
    lang: str
    title: str
    lines: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    entry_id: str | None = None
    ics_event_id: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    needs_review: bool = False
    # Details the question asked for that the entry does not hold ("price", "phone", ...);
    # the first line then says so.
    missing: tuple[str, ...] = ()


def pick(lang: str, da: str, en: str) -> str:
    return en if lang == "en" and en else da


def when_text(when: When, lang: str, zone: ZoneInfo = KNOWLEDGE_ZONE) -> str:
    """The dates (and times, converted to `zone`) of an event, month or quarter."""
    if when.precision == "month":
        assert when.month is not None
        return format_month_range(when.month, when.end_month, lang)  # type: ignore[arg-type]
    if when.precision == "quarter":
        assert when.quarter is not None
        return format_quarter(*when.quarter, lang)  # type: ignore[arg-type]
    parts = []
    for s in when.sessions:
        start = s.starts_at()
        if s.end and s.end != s.start:
            text = format_date_range(s.start, s.end, lang)  # type: ignore[arg-type]
        elif start is None or zone.key == KNOWLEDGE_ZONE.key:
            text = format_day_and_times(s.start, s.start_time, s.end_time, lang)  # type: ignore[arg-type]
        else:
            text = format_datetime_range(start, s.ends_at(), lang, zone=zone)  # type: ignore[arg-type]
        parts.append(text)
    return " + ".join(parts) if lang == "en" else " og ".join(parts)


def status_text(when: When, today: date, lang: str, zone: ZoneInfo = KNOWLEDGE_ZONE) -> str:
    """Relative status: passed, today, under way, or how many days ahead.

    `today` is the current date in `zone`; the event's days are taken in `zone` too.
    """
    first_day, last_day = when.days_in(zone)
    if last_day < today:
        return word(lang, "passed" if first_day == last_day else "passed_period")
    if first_day <= today:
        return word(lang, "today" if first_day == last_day else "ongoing")
    days = (first_day - today).days
    if when.precision != "date":
        return ""
    return word(lang, "tomorrow") if days == 1 else word(lang, "in_days", n=days)


def suggestion_question(entry: Entry, lang: str) -> str:
    if isinstance(entry, Role):
        return word(lang, "q_role", name=entry.name)
    if isinstance(entry, Event):
        return word(lang, "q_event", name=pick(lang, entry.title, entry.title_en))
    if isinstance(entry, Contact):
        return word(lang, "q_contact", name=entry.name)
    return pick(lang, entry.question, entry.question_en)


def display_name(entry: Entry, lang: str) -> str:
    if isinstance(entry, Event):
        return pick(lang, entry.title, entry.title_en)
    if isinstance(entry, Fact):
        return pick(lang, entry.question, entry.question_en)
    return entry.name


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n") if p.strip())
