"""Danish holidays as periods: "i påsken", "inden jul", "efter efterårsferien", "after Easter".

People plan by the holidays more than by dates ("skal vi nå det inden jul?"). Easter and
Whitsun move with the year (dateutil's `easter`); the school holidays are the weeks most
municipalities keep (autumn week 42, winter week 7). "Before" runs from today; "after" is the
six weeks that follow, the span people mean by "lige efter påske".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter  # type: ignore[import-untyped]

AFTER_WEEKS = 6


@dataclass(frozen=True, slots=True)
class Holiday:
    da: str  # after "i": "påsken"
    en: str  # after "at"/"over": "Easter"
    before_da: str  # after "inden": "påske"
    span: Callable[[int], tuple[date, date]]  # year -> first and last day of the holiday


def _easter(year: int) -> tuple[date, date]:
    day = easter(year)
    return day - timedelta(days=7), day + timedelta(days=1)  # palmesøndag to 2. påskedag


def _whitsun(year: int) -> tuple[date, date]:
    day = easter(year) + timedelta(days=49)
    return day - timedelta(days=1), day + timedelta(days=1)


def _school_week(week: int) -> Callable[[int], tuple[date, date]]:
    def span(year: int) -> tuple[date, date]:
        monday = date.fromisocalendar(year, week, 1)
        return monday - timedelta(days=2), monday + timedelta(days=6)  # from the Saturday

    return span


_HOLIDAYS = {
    "paske": Holiday("påsken", "Easter", "påske", _easter),
    "pinse": Holiday("pinsen", "Whitsun", "pinse", _whitsun),
    "jul": Holiday("julen", "Christmas", "jul", lambda y: (date(y, 12, 24), date(y, 12, 26))),
    "juleferie": Holiday(
        "juleferien",
        "the Christmas holidays",
        "juleferien",
        lambda y: (date(y, 12, 23), date(y + 1, 1, 1)),
    ),
    "romjul": Holiday(
        "romjulen",
        "the days between Christmas and New Year",
        "romjulen",
        lambda y: (date(y, 12, 27), date(y, 12, 30)),
    ),
    "nytar": Holiday("nytår", "New Year", "nytår", lambda y: (date(y, 12, 31), date(y + 1, 1, 1))),
    "efterarsferie": Holiday(
        "efterårsferien", "the autumn school holidays", "efterårsferien", _school_week(42)
    ),
    "vinterferie": Holiday(
        "vinterferien", "the winter school holidays", "vinterferien", _school_week(7)
    ),
}
_NAMES = {
    "paske": "paske",
    "pasken": "paske",
    "paskeferien": "paske",
    "paskeferie": "paske",
    "easter": "paske",
    "pinse": "pinse",
    "pinsen": "pinse",
    "whitsun": "pinse",
    "jul": "jul",
    "julen": "jul",
    "christmas": "jul",
    "xmas": "jul",
    "juleferien": "juleferie",
    "christmas holidays": "juleferie",
    "christmas break": "juleferie",
    "romjul": "romjul",
    "romjulen": "romjul",
    "mellem jul og nytar": "romjul",
    "between christmas and new year": "romjul",
    "juleferie": "juleferie",
    "nytar": "nytar",
    "nytaret": "nytar",
    "new year": "nytar",
    "efterarsferien": "efterarsferie",
    "efterarsferie": "efterarsferie",
    "vinterferien": "vinterferie",
    "vinterferie": "vinterferie",
}
# On folded text. "før" folds to "for", the English "for": "for jul" is before it either way;
# "til jul" is by Christmas.
_HOLIDAY = re.compile(
    r"\b(?:(?:(?P<before>inden|for|til|op til|before|until|by)|(?P<after>lige efter|efter|after)"
    r"|i|over|in|at|during|this|next|naeste) (?:the )?)?"
    rf"(?P<name>{'|'.join(sorted(_NAMES, key=len, reverse=True))})\b"
    r"(?: (?:i |in |of )?(?P<year>20\d\d))?"
)


# "Hvor mange dage er der til jul?" counts days; it asks for no events.
_COUNTDOWN = re.compile(r"\b(?:hvor (?:mange|lang)|how (?:many|long))\b")


@dataclass(frozen=True, slots=True)
class HolidayWindow:
    start: date
    end: date
    da: str  # "i påsken 2027"
    en: str  # "at Easter 2027"
    matched: str
    given_year: bool


def holiday_window(folded: str, today: date, *, past: bool) -> HolidayWindow | None:
    """The period a holiday names in the (folded) question, or None. Without a year, the
    coming one (or the one we are in); in the past tense, the latest one that has begun."""
    m = _HOLIDAY.search(folded)
    if m is None or _COUNTDOWN.search(folded):
        return None
    holiday = _HOLIDAYS[_NAMES[m.group("name")]]
    given = m.group("year")
    kind = "before" if m.group("before") else "after" if m.group("after") else "in"

    def period(year: int) -> tuple[date, date]:
        first, last = holiday.span(year)
        if kind == "before":
            return date(year, 1, 1), first - timedelta(days=1)
        if kind == "after":
            return last + timedelta(days=1), last + timedelta(weeks=AFTER_WEEKS)
        return first, last

    if given:
        year = int(given)
    elif past:
        year = today.year - (period(today.year)[0] > today)
    else:
        year = today.year - 1 if period(today.year - 1)[1] >= today else today.year
        if period(year)[1] < today:
            year += 1
    start, end = period(year)
    if kind == "before" and not given and not past:
        start = today  # "inden jul": from now on, not what this year already had
    # The year the holiday's days are in ("efter nytår 2027" starts on 2 January 2027).
    shown = (start if kind == "after" else holiday.span(year)[0]).year
    if kind == "before":
        da, en = f"inden {holiday.before_da} {shown}", f"before {holiday.en} {shown}"
    elif kind == "after":
        da, en = f"efter {holiday.before_da} {shown}", f"after {holiday.en} {shown}"
    else:
        da, en = f"i {holiday.da} {shown}", f"over {holiday.en} {shown}"
    return HolidayWindow(start, end, da, en, m.group(0), bool(given))
