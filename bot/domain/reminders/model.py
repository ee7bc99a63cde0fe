"""What a reminder command means once understood: a typed request, or a typed error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

# "me": the sender's 1:1 chat; "conversation": the chat/channel the command was written in.
Target = Literal["me", "conversation"]
MissingPart = Literal["time", "text"]

# Why a reminder command could not be understood (see README of the package / the report):
Reason = Literal[
    "unrecognised",  # no time expression found: show an example of what works
    "missing_time",  # a text, but no time; `missing_parts` says what a dialog should ask for
    "missing_text",  # a time, but nothing to remind about
    "in_the_past",  # the understood moment has passed
    "impossible_date",  # "30/2", "31. april", "den 31." in a month with 30 days
    "impossible_time",  # "kl. 25", "kl. 9.75", "13 pm"
    "conflicting_times",  # two dates, two times, or a duration together with a date
    "weekday_mismatch",  # "fredag den 18. marts" when the 18th is a Thursday
    "too_far",  # further ahead than MAX_AHEAD
    "invalid_recurrence",  # a recurrence that never occurs or cannot be expressed
]

DEFAULT_TIME = time(9, 0)  # a day without a time of day reminds at 9.00 (said in the reply)
MAX_AHEAD_YEARS = 5


@dataclass(frozen=True, slots=True)
class Recurrence:
    """An RFC 5545 rule and its start, in local wall-clock time of `zone_key`."""

    rrule: str  # e.g. "FREQ=WEEKLY;BYDAY=MO"
    dtstart: datetime  # naive local wall-clock time: the time of day every occurrence keeps
    zone_key: str = "Europe/Copenhagen"

    @property
    def text(self) -> str:
        """The rule with its start as iCalendar lines (what storage keeps)."""
        start = self.dtstart.strftime("%Y%m%dT%H%M%S")
        return f"DTSTART;TZID={self.zone_key}:{start}\nRRULE:{self.rrule}"


@dataclass(frozen=True, slots=True)
class ReminderRequest:
    """A reminder understood completely: who, when (UTC) and what."""

    target: Target
    due_at: datetime  # UTC-aware; for a recurring reminder its first occurrence
    text: str
    default_time_used: bool = False  # no time of day was given: DEFAULT_TIME was assumed
    wall_time_shifted: bool = False  # the local time does not exist that day (DST): moved on
    recurrence: Recurrence | None = None
    relative: bool = False  # "om 20 minutter": the confirmation may say "in 20 minutes"


@dataclass(frozen=True, slots=True)
class ReminderError:
    """Why a reminder command was not understood, with what was understood so far."""

    reason: Reason
    target: Target = "me"
    text: str = ""
    day: date | None = None  # a day understood without a time ("i dag om …")
    recurrence: Recurrence | None = None
    missing_parts: tuple[MissingPart, ...] = ()
    detail: str = ""  # the fragment at fault ("30/2", "kl. 25"), for the reply to quote


ParseResult = ReminderRequest | ReminderError
