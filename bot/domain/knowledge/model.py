"""The knowledge base as immutable data: roles, events, contacts, facts, synonyms, places."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN

# Times in the knowledge files are wall-clock times in this zone (see knowledge/README.md);
# they are converted to the service's zone for display, status and calendar export.
KNOWLEDGE_ZONE = COPENHAGEN

View = Literal["implementation", "operation"]
Scope = Literal["system-specific", "cross-cutting"]
Precision = Literal["date", "month", "quarter"]
Kind = Literal["role", "event", "contact", "fact"]


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    description: str
    views: tuple[View, ...]
    scope: Scope
    name_en: str = ""
    description_en: str = ""
    aliases: tuple[str, ...] = ()
    column: str = ""
    group: str = ""
    version_note: str = ""
    version_note_en: str = ""
    questions: tuple[str, ...] = ()  # how users ask for it, in their own words
    questions_en: tuple[str, ...] = ()
    review: bool = False
    source: str = ""
    kind: Kind = field(default="role", init=False)


@dataclass(frozen=True, slots=True)
class Session:
    """One dated span of an event: a day or days, optionally with a time of day."""

    start: date
    end: date | None = None
    start_time: time | None = None
    end_time: time | None = None

    def starts_at(self) -> datetime | None:
        """The aware start moment (knowledge zone), or None for an all-day session."""
        if self.start_time is None:
            return None
        return datetime.combine(self.start, self.start_time, KNOWLEDGE_ZONE)

    def ends_at(self) -> datetime | None:
        """The aware end moment (knowledge zone), or None without an end time."""
        if self.start_time is None or self.end_time is None:
            return None
        return datetime.combine(self.end or self.start, self.end_time, KNOWLEDGE_ZONE)


@dataclass(frozen=True, slots=True)
class When:
    """When an event happens: exact sessions, or only a month (range) or a quarter."""

    precision: Precision
    sessions: tuple[Session, ...] = ()
    month: tuple[int, int] | None = None
    end_month: tuple[int, int] | None = None
    quarter: tuple[int, int] | None = None

    @property
    def first_day(self) -> date:
        if self.precision == "date":
            return self.sessions[0].start
        if self.precision == "month":
            assert self.month is not None
            return date(self.month[0], self.month[1], 1)
        assert self.quarter is not None
        return date(self.quarter[0], 3 * self.quarter[1] - 2, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day the item covers (inclusive)."""
        if self.precision == "date":
            last = self.sessions[-1]
            return last.end or last.start
        if self.precision == "month":
            year, month = self.end_month or self.month or (0, 0)
        else:
            assert self.quarter is not None
            year, month = self.quarter[0], 3 * self.quarter[1]
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    def days_in(self, zone: ZoneInfo) -> tuple[date, date]:
        """First and last calendar day as seen in `zone` (timed sessions may shift a day)."""
        if self.precision != "date" or zone.key == KNOWLEDGE_ZONE.key:
            return self.first_day, self.last_day
        first, last = self.sessions[0], self.sessions[-1]
        start = first.starts_at()
        end = last.ends_at() or last.starts_at()
        first_day = start.astimezone(zone).date() if start else self.first_day
        if end is None:
            return first_day, self.last_day
        if last.end and last.end != last.start and last.end_time is None:
            return first_day, last.end  # a timed multi-day span without an end time
        return first_day, end.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: str
    when: When
    type: str = "event"
    title_en: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    description_en: str = ""
    place: str = ""
    audience: str = ""
    registration: str = ""
    contact: str = ""
    note: str = ""
    note_en: str = ""
    questions: tuple[str, ...] = ()  # how users ask for it, in their own words
    questions_en: tuple[str, ...] = ()
    review: bool = False
    source: str = ""
    kind: Kind = field(default="event", init=False)

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    name: str
    type: str
    email: str = ""
    url: str = ""
    phone: str = ""
    title: str = ""
    title_en: str = ""
    organisation: str = ""
    topics: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""
    description_en: str = ""
    questions: tuple[str, ...] = ()  # how users ask for it, in their own words
    questions_en: tuple[str, ...] = ()
    review: bool = False
    source: str = ""
    kind: Kind = field(default="contact", init=False)


@dataclass(frozen=True, slots=True)
class ListSpec:
    """A fact whose answer is a computed list of roles (filters are AND-ed)."""

    view: str = ""
    scope: str = ""
    group: str = ""
    changed_in: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    question: str
    answer: str
    question_en: str = ""
    answer_en: str = ""
    alternatives: tuple[str, ...] = ()
    list: ListSpec | None = None
    related: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()  # how users ask for it, in their own words
    questions_en: tuple[str, ...] = ()
    review: bool = False
    source: str = ""
    kind: Kind = field(default="fact", init=False)

    @property
    def name(self) -> str:
        return self.question


Entry = Role | Event | Contact | Fact


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SmallTalk:
    """A greeting, thanks, "who are you": the phrases people write and the bot's reply."""

    id: str
    phrases: tuple[str, ...]  # Danish
    phrases_en: tuple[str, ...]
    answer: str
    answer_en: str


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    roles: tuple[Role, ...] = ()
    events: tuple[Event, ...] = ()
    contacts: tuple[Contact, ...] = ()
    facts: tuple[Fact, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    municipalities: tuple[Municipality, ...] = ()
    small_talk: tuple[SmallTalk, ...] = ()
    small_talk_names: tuple[str, ...] = ()  # the bot's own names ("Mødebot"), ignored in it

    def entries(self) -> tuple[Entry, ...]:
        return (*self.roles, *self.events, *self.contacts, *self.facts)

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries()}
