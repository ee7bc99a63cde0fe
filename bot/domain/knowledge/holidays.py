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
    # New Year 2027 is the night into 1 January 2027.
    "nytar": Holiday("nytår", "New Year", "nytår", lambda y: (date(y - 1, 12, 31), date(y, 1, 1))),
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
# Names that are a period however they are written ("juleferien", "romjulen"); a bare "jul"
# or "nytår" needs a preposition or a year: "Glædelig jul!", "Godt nytår!" name no period.
_STANDALONE = frozenset(
    name
    for name, key in _NAMES.items()
    if key in ("juleferie", "romjul", "efterarsferie", "vinterferie")
    or name.endswith(("ferie", "ferien"))
)
# On folded text. "før" folds to "for", the English "for": "for jul" is before it either way;
# "til jul" is by Christmas.
_HOLIDAY = re.compile(
    r"\b(?:(?:(?P<before>inden|for|til|op til|before|until|by)|(?P<after>lige efter|efter|after)"
    r"|(?P<during>i|over|in|at|during|this|next|naeste)) (?:the )?)?"
    rf"(?P<name>{'|'.join(sorted(_NAMES, key=len, reverse=True))})\b"
    r"(?: (?:i |in |of )?(?P<year>20\d\d))?"
)
# "Hvor mange dage er der til jul?" counts days; it asks for no events.
_COUNTDOWN = re.compile(
    r"\b(?:hvor mange (?:dage|uger|timer|maneder)|hvor lang tid|how (?:many (?:days|weeks|hours"
    r"|months)|long))\b"
)
MAX_BEFORE_DAYS = 366


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
    m = next(
        (
            found
            for found in _HOLIDAY.finditer(folded)
            if found.group("before", "after", "during", "year") != (None,) * 4
            or found.group("name") in _STANDALONE
        ),
        None,
    )
    if m is None or _COUNTDOWN.search(folded):
        return None
    holiday = _HOLIDAYS[_NAMES[m.group("name")]]
    given = m.group("year")
    kind = "before" if m.group("before") else "after" if m.group("after") else "in"

    def period(year: int) -> tuple[date, date]:
        first, last = holiday.span(year)
        if kind == "before":
            return date(first.year, 1, 1), first - timedelta(days=1)
        if kind == "after":
            return last + timedelta(days=1), last + timedelta(weeks=AFTER_WEEKS)
        return first, last

    years = range(today.year - 2, today.year + 2)
    if given:
        year = int(given)
    elif past:  # the latest one that has begun
        year = max(y for y in years if period(y)[0] <= today)
    else:  # the one we are in, or the coming one
        year = min(y for y in years if period(y)[1] >= today)
    start, end = period(year)
    if kind == "before" and not given and not past:
        if any(a <= today <= b for a, b in map(holiday.span, years)):
            return None  # "inden jul" at Christmas: before which one?
        # From now on, not what this year already had; at most a year ahead.
        start = max(today, end - timedelta(days=MAX_BEFORE_DAYS - 1))
    if kind == "before":
        da, en = f"inden {holiday.before_da} {year}", f"before {holiday.en} {year}"
    elif kind == "after":
        da, en = f"efter {holiday.before_da} {year}", f"after {holiday.en} {year}"
    else:
        da, en = f"i {holiday.da} {year}", f"over {holiday.en} {year}"
    return HolidayWindow(start, end, da, en, m.group(0), bool(given))
