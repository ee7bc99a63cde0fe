"""The time window a question names ("i april", "næste uge", "i morgen", "Q2", "12/4")."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.clock import COPENHAGEN
from bot.domain.danish_format import format_date, format_date_range, format_month, format_quarter
from bot.domain.knowledge.text import fold, raw_tokens

_MONTHS = {
    **{fold(m): i for i, m in enumerate(
        "januar februar marts april maj juni juli august september oktober november december"
        .split(), 1)},
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december"
        .split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr _ jun jul aug sep okt nov dec".split(), 1)},
}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS if m != "_"), key=len, reverse=True))
_WEEKDAY_NO = {
    **{d: i for i, d in enumerate("mandag tirsdag onsdag torsdag fredag lordag sondag".split())},
    **{d: i for i, d in enumerate(
        "monday tuesday wednesday thursday friday saturday sunday".split())},
}
_WEEKDAYS = "|".join(_WEEKDAY_NO)

_RELATIVE_DAYS = {
    r"\b(?:i )?overmorgen\b|\bday after tomorrow\b": 2,
    r"\bi morgen\b|\bimorgen\b|\btomorrow\b": 1,
    r"\bi dag\b|\bidag\b|\btoday\b": 0,
    r"\bi gar\b|\byesterday\b": -1,
}
_WEEKS = {r"\b(?:i )?(?:denne|den her) uge\b|\bthis week\b": 0,
          r"\b(?:i )?(?:naeste|kommende) uge\b|\bnext week\b": 1,
          r"\b(?:i )?sidste uge\b|\blast week\b": -1}
_MONTHS_REL = {r"\b(?:i )?(?:denne|den her) maned\b|\bthis month\b": 0,
               r"\b(?:i )?(?:naeste|kommende) maned\b|\bnext month\b": 1}
_QUARTER = re.compile(
    r"\b(?:i )?([1-4])\.? ?kvartal(?: (20\d\d))?\b|\bq([1-4])(?:[ /-]?(20\d\d))?\b"
)
_WEEK_NO = re.compile(r"\b(?:i )?(?:uge|week) (\d{1,2})(?: (20\d\d))?\b")
_DAY_MONTH = re.compile(rf"\b(?:den )?(\d{{1,2}})\.? ?({_MONTH_RE})\b(?: (20\d\d))?")
_NUMERIC = re.compile(r"\b(?:den )?(\d{1,2})/(\d{1,2})(?:[-/](\d{2,4}))?\b")
_WEEKDAY = re.compile(rf"\b(?:pa |on |om |nu )?({_WEEKDAYS})\b")
_IN_DAYS = re.compile(r"\bom (\d{1,3}) dage?\b|\bin (\d{1,3}) days?\b")
# Only full month names stand alone ("jul" is Christmas). English "may" is usually a verb:
# only a month after "in"/"during" or before a year.
_FULL_MONTHS = "|".join(
    m for m in sorted(_MONTHS, key=len, reverse=True) if len(m) > 3 or m in ("maj", "may")
)
_MONTH_WORD = re.compile(rf"\b(?:(?:i|in|during|for) )?({_FULL_MONTHS})\b(?: (20\d\d))?")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    start: date
    end: date  # inclusive
    label_da: str
    label_en: str
    words: frozenset[str]  # folded words the window used (not topic words)

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_da

    def overlaps(self, first: date, last: date) -> bool:
        return first <= self.end and last >= self.start


def _today(now: datetime) -> date:
    return now.astimezone(COPENHAGEN).date()


def _window(start: date, end: date, da: str, en: str, matched: str) -> TimeWindow:
    return TimeWindow(start, end, da, en, frozenset(raw_tokens(matched)))


def _days(start: date, end: date, da: str, en: str, matched: str) -> TimeWindow:
    return _window(start, end, f"{da} ({format_date_range(start, end)})",
                   f"{en} ({format_date_range(start, end, 'en')})", matched)


def _month(year: int, month: int, matched: str) -> TimeWindow:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return _window(start, end, format_month(year, month), format_month(year, month, "en"), matched)


def _nearest_year(today: date, month: int) -> int:
    # Planning looks ahead: the occurrence from three months back to eight months ahead.
    delta = (month - today.month) % 12
    if delta <= 8:
        return today.year + (today.month + delta > 12)
    return today.year - (month > today.month)


def parse_window(text: str, now: datetime) -> TimeWindow | None:
    """The first time window the question mentions, or None."""
    folded = " ".join(re.sub(r"[^\w/.\- ]", " ", fold(text)).split())
    today = _today(now)
    for pattern, offset in _RELATIVE_DAYS.items():
        if m := re.search(pattern, folded):
            day = today + timedelta(days=offset)
            names = {0: ("i dag", "today"), 1: ("i morgen", "tomorrow"),
                     2: ("i overmorgen", "the day after tomorrow"), -1: ("i går", "yesterday")}
            return _days(day, day, *names[offset], m.group(0))
    for pattern, offset in _WEEKS.items():
        if m := re.search(pattern, folded):
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
            names = {0: ("denne uge", "this week"), 1: ("næste uge", "next week"),
                     -1: ("sidste uge", "last week")}
            return _days(monday, monday + timedelta(days=6), *names[offset], m.group(0))
    for pattern, offset in _MONTHS_REL.items():
        if m := re.search(pattern, folded):
            year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
            return _month(year, month + 1, m.group(0))
    if m := _QUARTER.search(folded):
        q = int(m.group(1) or m.group(3))
        year = int(m.group(2) or m.group(4) or today.year)
        start = date(year, 3 * q - 2, 1)
        end = _month(year, 3 * q, "").end
        return _window(start, end, format_quarter(year, q), format_quarter(year, q, "en"),
                       m.group(0))
    if m := _WEEK_NO.search(folded):
        year = int(m.group(2) or today.year)
        try:
            monday = date.fromisocalendar(year, int(m.group(1)), 1)
        except ValueError:
            return None
        return _days(monday, monday + timedelta(days=6), f"uge {m.group(1)}",
                     f"week {m.group(1)}", m.group(0))
    if m := _WEEKDAY.search(folded):
        ahead = (_WEEKDAY_NO[m.group(1)] - today.weekday()) % 7
        day = today + timedelta(days=ahead)
        return _window(day, day, format_date(day, weekday=True),
                       format_date(day, "en", weekday=True), m.group(0))
    for pattern in (_DAY_MONTH, _NUMERIC, _IN_DAYS):
        if (m := pattern.search(folded)) and (day := _parse_day(m.group(0), now)):
            return _window(day, day, format_date(day), format_date(day, "en"), m.group(0))
    if m := _MONTH_WORD.search(folded):
        word = m.group(1)
        if word == "may" and not (m.group(0).startswith(("in ", "during ")) or m.group(2)):
            return None
        month = _MONTHS[word]
        year = int(m.group(2)) if m.group(2) else _nearest_year(today, month)
        return _month(year, month, m.group(0))
    return None


def _parse_day(fragment: str, now: datetime) -> date | None:
    """Explicit dates ("12. april", "19/3-2021", "om 3 dage") via dateparser; day first."""
    import dateparser  # imported lazily: it is slow to import and rarely needed

    local = now.astimezone(COPENHAGEN).replace(tzinfo=None)
    settings = {"RELATIVE_BASE": local, "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future"}
    fragment = re.sub(r"^(?:den|pa|on|nu) ", "", fragment)
    if re.fullmatch(r"\d{1,2}/\d{1,2}", fragment):
        fragment += f"/{local.year}"
    with warnings.catch_warnings():
        # dateparser's tz handling may warn on some platforms; the result is still correct.
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(fragment, languages=["da", "en"], settings=settings)
    return parsed.date() if parsed else None
