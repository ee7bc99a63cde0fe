"""The time window a question names ("i april", "næste uge", "i morgen", "Q2", "12/4").

Relative days, weeks and months ("i morgen", "næste uge", "om to uger", "på fredag",
"next month") and explicit dates ("12. april", "19/3-2021") are resolved by dateparser, in the
service's time zone. dateparser has no notion of quarters, ISO week numbers or "the next
April", so "Q2", "uge 15" and bare month names stay rule-based here.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.danish_format import (
    format_date,
    format_date_range,
    format_month,
    format_month_range,
    format_quarter,
)
from bot.domain.knowledge.holidays import holiday_window
from bot.domain.knowledge.text import fold, raw_tokens

_MONTHS_DA = "januar februar marts april maj juni juli august september oktober november december"
_MONTHS_EN = "january february march april may june july august september october november december"
_MONTHS = {
    **{fold(m): i for i, m in enumerate(_MONTHS_DA.split(), 1)},
    **{m: i for i, m in enumerate(_MONTHS_EN.split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr _ jun jul aug sep okt nov dec".split(), 1)},
    "sept": 9,
    "oct": 10,
}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS if m != "_"), key=len, reverse=True))
_WEEKDAYS = (
    "mandag|tirsdag|onsdag|torsdag|fredag|lordag|sondag"
    "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)

_COUNT_WORDS = {
    **dict.fromkeys(("en", "et", "a", "an", "one"), 1),
    **{w: n for n, w in enumerate("- - to tre fire fem seks syv otte ni ti".split()) if n > 1},
    **{
        w: n
        for n, w in enumerate("- - two three four five six seven eight nine ten".split())
        if n > 1
    },
}
_COUNT = rf"(\d{{1,3}}|{'|'.join(_COUNT_WORDS)})"
_WEEKDAY_SPELLING = {"lordag": "lørdag", "sondag": "søndag"}  # dateparser wants the real letters


def _count(m: re.Match[str]) -> int:
    word = m.group(1)
    return int(word) if word.isdigit() else _COUNT_WORDS[word]


def _counted(da: str, en: str, *, english: bool) -> Callable[[re.Match[str]], tuple[str, str, str]]:
    """Counted spans ("om to uger"); digits, as dateparser reads no Danish numerals."""

    def phrase(m: re.Match[str]) -> tuple[str, str, str]:
        n = _count(m)
        label_da = f"om {n} {da if n == 1 else _PLURAL_DA[da]}"
        label_en = f"in {n} {en}{'s' * (n != 1)}"
        return (label_en if english else label_da), label_da, label_en

    return phrase


_PLURAL_DA = {"dag": "dage", "uge": "uger"}


def _fixed(phrase: str, da: str, en: str) -> Callable[[re.Match[str]], tuple[str, str, str]]:
    return lambda _m: (phrase, da, en)


# Relative expressions: (pattern on the folded text, what the parsed day stands for, and
# m -> (phrase for dateparser, Danish label, English label)). The patterns only recognise the
# expression and restore the spelling dateparser knows ("naeste uge" -> "næste uge", "to" -> 2);
# the date arithmetic is dateparser's. Order is priority: the first pattern that matches wins.
# Span "day": that day; "week": the ISO week (Mon-Sun) holding it; "month": its month.
_Rule = tuple[re.Pattern[str], str, Callable[[re.Match[str]], tuple[str, str, str]]]
_NEAR: tuple[_Rule, ...] = tuple(
    (re.compile(p), span, phrase)
    for p, span, phrase in (
        (
            r"\b(?:i )?overmorgen\b",
            "day",
            _fixed("om 2 dage", "i overmorgen", "the day after tomorrow"),
        ),
        (
            r"\bday after tomorrow\b",
            "day",
            _fixed("day after tomorrow", "i overmorgen", "the day after tomorrow"),
        ),
        (r"\bi ?morgen\b", "day", _fixed("i morgen", "i morgen", "tomorrow")),
        (r"\btomorrow\b", "day", _fixed("tomorrow", "i morgen", "tomorrow")),
        (r"\bi ?dag\b", "day", _fixed("i dag", "i dag", "today")),
        (r"\btoday\b", "day", _fixed("today", "i dag", "today")),
        (r"\bi ?gar\b", "day", _fixed("i går", "i går", "yesterday")),
        (r"\byesterday\b", "day", _fixed("yesterday", "i går", "yesterday")),
        (rf"\bom {_COUNT} dage?\b", "day", _counted("dag", "day", english=False)),
        (rf"\bin {_COUNT} days?\b", "day", _counted("dag", "day", english=True)),
        (
            r"\b(?:i )?(?:denne|den her) uge\b",
            "week",
            _fixed("denne uge", "denne uge", "this week"),
        ),
        (r"\bthis week\b", "week", _fixed("this week", "denne uge", "this week")),
        (
            r"\b(?:i )?(?:naeste|kommende) uge\b",
            "week",
            _fixed("næste uge", "næste uge", "next week"),
        ),
        (r"\bnext week\b", "week", _fixed("next week", "næste uge", "next week")),
        (r"\b(?:i )?sidste uge\b", "week", _fixed("sidste uge", "sidste uge", "last week")),
        (r"\blast week\b", "week", _fixed("last week", "sidste uge", "last week")),
        (rf"\bom {_COUNT} uger?\b", "week", _counted("uge", "week", english=False)),
        (rf"\bin {_COUNT} weeks?\b", "week", _counted("uge", "week", english=True)),
        (
            r"\b(?:i )?(?:denne|den her) maned\b",
            "month",
            _fixed("denne måned", "denne måned", "this month"),
        ),
        (r"\bthis month\b", "month", _fixed("this month", "denne måned", "this month")),
        (
            r"\b(?:i )?(?:naeste|kommende) maned\b",
            "month",
            _fixed("næste måned", "næste måned", "next month"),
        ),
        (r"\bnext month\b", "month", _fixed("next month", "næste måned", "next month")),
        (r"\b(?:i )?sidste maned\b", "month", _fixed("sidste måned", "sidste måned", "last month")),
        (r"\blast month\b", "month", _fixed("last month", "sidste måned", "last month")),
    )
)
# "på fredag", "on Friday": the coming one (a week ahead when asked on that weekday).
_WEEKDAY_RULES: tuple[_Rule, ...] = (
    (
        re.compile(rf"\b(?:pa |on |om |nu |naeste |kommende |next |this )?({_WEEKDAYS})\b"),
        "weekday",
        lambda m: (_WEEKDAY_SPELLING.get(m.group(1), m.group(1)), "", ""),
    ),
)
# The fast path: without one of these cue words no dateparser call is made for relative dates.
_RELATIVE_CUE = re.compile(
    r"\b(?:i ?morgen|i ?dag|i ?gar|overmorgen|tomorrow|today|yesterday|uger?|weeks?|dage?|days?"
    rf"|maned|month|{_WEEKDAYS})\b"
)
# "2. kvartal", "fjerde kvartal 2021", "Q4", "the fourth quarter of 2021".
_QUARTER_WORDS = {
    **dict.fromkeys(("forste", "1st", "first"), 1),
    **dict.fromkeys(("andet", "anden", "2nd", "second"), 2),
    **dict.fromkeys(("tredje", "3rd", "third"), 3),
    **dict.fromkeys(("fjerde", "4th", "fourth"), 4),
}
_QUARTER = re.compile(
    r"\b(?:i )?(?:(?P<n>[1-4])\.? ?|(?P<word>forste|andet|anden|tredje|fjerde) )kvartal"
    r"(?: (?:i |af )?(?P<year>20\d\d))?\b"
    r"|\bq(?P<q>[1-4])(?:[ /-]?(?P<qyear>20\d\d))?\b"
    r"|\b(?:in )?(?:the )?(?P<en>first|second|third|fourth|1st|2nd|3rd|4th) quarter"
    r"(?: (?:of |in )?(?P<enyear>20\d\d))?\b"
)
# "de næste par uger", "the next couple of weeks", "de kommende 14 dage": from today on.
_SPAN_COUNTS = {**_COUNT_WORDS, "par": 2, "couple of": 2, "fa": 3, "few": 3, "several": 3}
_NEXT_SPAN = re.compile(
    r"\b(?:(?:i )?de |the )?(?:naeste|kommende|next|coming|upcoming) "
    rf"(?:(\d{{1,3}}|{'|'.join(_SPAN_COUNTS)}) )?(uger|weeks|dage|days)\b"
)
MAX_SPAN_DAYS = 366
_WEEK_NO = re.compile(r"\b(?:i )?(?:uge|week) (\d{1,2})(?: (20\d\d))?\b")
_DAY_MONTH = re.compile(rf"\b(?:den )?(\d{{1,2}})\.? ?({_MONTH_RE})\b(?: (20\d\d))?")
_NUMERIC = re.compile(r"\b(?:den )?(\d{1,2})/(\d{1,2})(?:[-/](\d{2,4}))?\b")
# Only full month names stand alone ("jul" is Christmas). English "may" is usually a verb:
# only a month after "in"/"during" or before a year.
_FULL_MONTHS = "|".join(
    m for m in sorted(_MONTHS, key=len, reverse=True) if len(m) > 3 or m in ("maj", "may")
)
_MONTH_WORD = re.compile(rf"\b(?:(?:i|in|during|for) )?({_FULL_MONTHS})\b\.?(?: (20\d\d))?")
# A short name is a month after "i"/"in" ("noget i nov?"); not "jul", which is Christmas.
_MONTH_SHORT = re.compile(
    r"\b(?:i|in|during) (jan|feb|mar|apr|jun|aug|sept?|okt|oct|nov|dec)\b\.?(?: (20\d\d))?"
)
# Two months together are the months from the first to the second: "maj og juni", "May or
# June 2021", "fra marts til maj", "jan-feb" (a year after the second applies to both).
_MONTH_RANGE = re.compile(
    rf"\b(?:(?:i|in|during|fra|from|mellem|between) )?({_MONTH_RE})\b\.?"
    r"(?: ?- ?| (?:og|eller|til|and|or|to|through|until) (?:(?:i|in) )?)"
    rf"({_MONTH_RE})\b\.?(?: (20\d\d))?"
)
# A question about a month in the past tense ("Hvad skete der i januar?") means the latest one.
_PAST_TENSE = re.compile(
    r"\b(?:skete|sket|var|blev|blevet|vaeret|foregik|holdtes|afholdtes|gik|havde|talte"
    r"|snakkede|besluttede|vedtog|happened|was|were|did)\b"
)


# Seasons as the calendar has them in Denmark: (first month, Danish name in the definite form,
# English name). Winter runs into the next year.
_SEASONS = {
    "forar": (3, "foråret", "spring"),
    "spring": (3, "foråret", "spring"),
    "sommer": (6, "sommeren", "summer"),
    "summer": (6, "sommeren", "summer"),
    "efterar": (9, "efteråret", "autumn"),
    "autumn": (9, "efteråret", "autumn"),
    "fall": (9, "efteråret", "autumn"),
    "vinter": (12, "vinteren", "winter"),
    "winter": (12, "vinteren", "winter"),
}
# "i foråret", "til sommer", "in the spring", "this summer"; "inden sommerferien", "before
# summer": from today until the season begins. ("fall" only after an English preposition: it
# is a verb too. "før" folds to "for", which is also "for": only "inden" means before.)
_SEASON = re.compile(
    r"\b(?:(inden|foer|before|until) (?:the )?|(?:i|til|om|in|during|this|next|naeste) "
    r"(?:the )?)?(forar|sommer|efterar|vinter|spring|summer|autumn|fall|winter)"
    r"(?:en|et|ferien)?\b(?: (?:i |in |of )?(20\d\d))?"
)
_YEAR = re.compile(
    r"\b(?:(?:i|in|during) (20\d\d)|(i ar|this year|(?:i )?naeste ar|next year"
    r"|(?:i )?sidste ar|last year))\b"
)


@dataclass(frozen=True, slots=True)
class TimeWindow:
    start: date
    end: date  # inclusive
    label_da: str
    label_en: str
    words: frozenset[str]  # folded words the window used (not topic words)
    # How the label reads inside a sentence: "in" ("i april 2027"), "date" ("den 12. april"),
    # "weekday" ("på fredag den 26. marts"), or "" (a relative phrase: "næste uge").
    prep: str = ""
    # The question named a month, quarter or season without a year ("møderne i januar"):
    # the year is our guess, so a topic's event in that month of another year may be meant.
    named: bool = False

    def months(self) -> frozenset[int]:
        """The calendar months (1-12) the window covers, whatever the year."""
        return months_of(self.start, self.end)

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_da

    def phrase(self, lang: str) -> str:
        """The label as it reads in a sentence: "Jeg kender ingen begivenheder i april 2027"."""
        words = _PREPOSITIONS.get(self.prep)
        if words is None:
            return self.label(lang)
        return f"{words[lang == 'en']} {self.label(lang)}"

    def overlaps(self, first: date, last: date) -> bool:
        return first <= self.end and last >= self.start


def months_of(first: date, last: date) -> frozenset[int]:
    """The calendar months (1-12) from `first` to `last`."""
    months: set[int] = set()
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < 12:
        months.add(month)
        year, month = year + (month == 12), month % 12 + 1
    return frozenset(months)


_PREPOSITIONS = {"in": ("i", "in"), "date": ("den", "on"), "weekday": ("på", "on")}


def _window(start: date, end: date, da: str, en: str, matched: str, prep: str = "") -> TimeWindow:
    return TimeWindow(start, end, da, en, frozenset(raw_tokens(matched)), prep)


def _days(start: date, end: date, da: str, en: str, matched: str, prep: str = "") -> TimeWindow:
    return _window(
        start,
        end,
        f"{da} ({format_date_range(start, end)})",
        f"{en} ({format_date_range(start, end, 'en')})",
        matched,
        prep,
    )


def _month(year: int, month: int, matched: str) -> TimeWindow:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return _window(
        start, end, format_month(year, month), format_month(year, month, "en"), matched, "in"
    )


def month_year(today: date, month: int, *, past: bool = False) -> int:
    """The year of a bare month name: planning looks ahead, so it is the next occurrence of the
    month, this month included; a question in the past tense means the latest occurrence."""
    if past:
        return today.year - (month > today.month)
    return today.year + (month < today.month)


def parse_window(text: str, now: datetime, zone: ZoneInfo = COPENHAGEN) -> TimeWindow | None:
    """The first time window the question mentions, or None; "today" is taken in `zone`."""
    folded = " ".join(re.sub(r"[^\w/.\- ]", " ", fold(text)).split())
    local = now.astimezone(zone).replace(tzinfo=None)
    today = local.date()
    cue = _RELATIVE_CUE.search(folded) is not None  # most questions name no time: skip it all
    if cue and (window := _relative(folded, local, _NEAR)):
        return window
    if cue and (window := _next_span(folded, today)):
        return window
    if m := _QUARTER.search(folded):
        number = m.group("n") or m.group("q")
        q = int(number) if number else _QUARTER_WORDS[m.group("word") or m.group("en")]
        given = m.group("year") or m.group("qyear") or m.group("enyear")
        # Like a bare month: the coming quarter (this one included), or the latest one when
        # the question is in the past tense.
        past = _PAST_TENSE.search(folded) is not None
        year = int(given) if given else month_year(today, 3 * q, past=past)
        start = date(year, 3 * q - 2, 1)
        end = _month(year, 3 * q, "").end
        window = _window(
            start, end, format_quarter(year, q), format_quarter(year, q, "en"), m.group(0), "in"
        )
        return replace(window, named=not given)
    if m := _WEEK_NO.search(folded):
        year = int(m.group(2) or today.year)
        try:
            monday = date.fromisocalendar(year, int(m.group(1)), 1)
        except ValueError:
            return None
        return _days(
            monday,
            monday + timedelta(days=6),
            f"uge {m.group(1)}",
            f"week {m.group(1)}",
            m.group(0),
            "in",
        )
    if cue and (window := _relative(folded, local, _WEEKDAY_RULES)):
        return window
    for pattern in (_DAY_MONTH, _NUMERIC):
        if (m := pattern.search(folded)) and (day := _parse_day(m.group(0), local)):
            return _window(day, day, format_date(day), format_date(day, "en"), m.group(0), "date")
    past = _PAST_TENSE.search(folded) is not None  # for the named periods below
    if holiday := holiday_window(folded, today, past=past):
        window = _days(holiday.start, holiday.end, holiday.da, holiday.en, holiday.matched)
        return replace(window, named=not holiday.given_year)
    if (m := _SEASON.search(folded)) and (window := _season(m, today, past=past)):
        return window
    if (m := _MONTH_RANGE.search(folded)) and _MONTHS[m.group(1)] != _MONTHS[m.group(2)]:
        return _month_range(m, today, past=past)
    if m := _MONTH_WORD.search(folded) or _MONTH_SHORT.search(folded):
        word = m.group(1)
        if word == "may" and not (m.group(0).startswith(("in ", "during ")) or m.group(2)):
            return None
        month = _MONTHS[word]
        if m.group(2):
            return _month(int(m.group(2)), month, m.group(0))
        year = month_year(today, month, past=past)
        return replace(_month(year, month, m.group(0)), named=True)
    if m := _YEAR.search(folded):
        return _year(m, today)
    return None


def _month_range(m: re.Match[str], today: date, *, past: bool) -> TimeWindow:
    first, last = _MONTHS[m.group(1)], _MONTHS[m.group(2)]
    wraps = last < first  # "december og januar": into the next year
    if m.group(3):
        end_year = int(m.group(3))
        start_year = end_year - wraps
    else:
        start_year = month_year(today, first, past=past)
        end_year = start_year + wraps
    start = date(start_year, first, 1)
    end = _month(end_year, last, "").end
    span = ((start_year, first), (end_year, last))
    window = _window(
        start, end, format_month_range(*span), format_month_range(*span, "en"), m.group(0), "in"
    )
    return replace(window, named=not m.group(3))


def _season(m: re.Match[str], today: date, *, past: bool) -> TimeWindow | None:
    before, word, given = m.group(1), m.group(2), m.group(3)
    if word == "fall" and not re.match(r"(?:in|during|this|next|before|until)\b", m.group(0)):
        return None
    first, name_da, name_en = _SEASONS[word]
    if before:
        return _before_season(m, first, name_da, name_en, today)
    if given:
        year = int(given)
    elif past:  # the latest one that has begun
        year = today.year - (today < date(today.year, first, 1))
    else:  # the coming one, or the one we are in (winter: December to February)
        year = today.year - (first == 12 and today.month <= 2)
        if _season_end(year, first) < today:
            year += 1
    da, en = _season_labels(year, first, name_da, name_en)
    window = _window(date(year, first, 1), _season_end(year, first), da, en, m.group(0), "in")
    return replace(window, named=not given)


def _before_season(
    m: re.Match[str], first: int, name_da: str, name_en: str, today: date
) -> TimeWindow | None:
    """ "inden sommer": from today until the season begins; "inden sommerferien": until the
    end of June. Once it has begun (or is over), the next one; of a year long past ("inden
    sommerferien i 2021"), that year from its start."""
    given = m.group(3)
    holidays = "ferien" in m.group(0)

    def until(year: int) -> date:
        return date(year, 6, 30) if holidays else date(year, first, 1) - timedelta(days=1)

    year = int(given) if given else today.year
    if until(year) < today and not given:
        year += 1
    # "inden sommerferien i 2021", long past: what that year held until then.
    start = today if until(year) >= today else date(year, 1, 1)
    if until(year) < start:
        return None
    da, en = _before_label(year, first, name_da, name_en, holidays)
    return _days(start, until(year), f"inden {da}", f"before {en}", m.group(0))


def _before_label(
    year: int, first: int, name_da: str, name_en: str, holidays: bool
) -> tuple[str, str]:
    if holidays:
        return f"sommerferien {year}", f"the summer holidays {year}"
    return _season_labels(year, first, name_da, name_en)


def _season_end(year: int, first: int) -> date:
    last = first + 2  # winter ends in February of the next year
    return _month(year + (last > 12), (last - 1) % 12 + 1, "").end


def _season_labels(year: int, first: int, name_da: str, name_en: str) -> tuple[str, str]:
    suffix = f"–{(year + 1) % 100:02d}" if first == 12 else ""  # "vinteren 2026–27"
    return f"{name_da} {year}{suffix}", f"{name_en} {year}{suffix}"


def _year(m: re.Match[str], today: date) -> TimeWindow:
    phrase = m.group(2) or ""
    if m.group(1):
        year = int(m.group(1))
    elif "naeste" in phrase or "next" in phrase:
        year = today.year + 1
    elif "sidste" in phrase or "last" in phrase:
        year = today.year - 1
    else:
        year = today.year
    return _window(date(year, 1, 1), date(year, 12, 31), str(year), str(year), m.group(0), "in")


def _next_span(folded: str, today: date) -> TimeWindow | None:
    """ "de næste par uger": today and the days after it (two weeks when no count is given)."""
    m = _NEXT_SPAN.search(folded)
    if m is None:
        return None
    count = m.group(1)
    n = (int(count) if count.isdigit() else _SPAN_COUNTS[count]) if count else 2
    weeks = m.group(2) in ("uger", "weeks")
    days = min(MAX_SPAN_DAYS, n * 7 if weeks else n)
    if days < 1:
        return None
    unit_da = ("uge" if n == 1 else "uger") if weeks else ("dag" if n == 1 else "dage")
    unit_en = ("week" if n == 1 else "weeks") if weeks else ("day" if n == 1 else "days")
    return _days(
        today,
        today + timedelta(days=days - 1),
        f"de næste {n} {unit_da}",
        f"the next {n} {unit_en}",
        m.group(0),
    )


def _relative(folded: str, local: datetime, rules: tuple[_Rule, ...]) -> TimeWindow | None:
    for index, m in _matching(folded, rules):
        _pattern, span, phrase_of = rules[index]
        phrase, da, en = phrase_of(m)
        day = _dateparse(phrase, local)
        if day is None:
            continue
        matched = m.group(0)
        if span == "week":
            monday = day - timedelta(days=day.weekday())
            return _days(monday, monday + timedelta(days=6), da, en, matched)
        if span == "month":
            return _month(day.year, day.month, matched)
        if span == "weekday":
            return _window(
                day,
                day,
                format_date(day, weekday=True),
                format_date(day, "en", weekday=True),
                matched,
                "weekday",
            )
        return _days(day, day, da, en, matched)
    return None


# Unions of rules[lo:hi]: (id(rules), lo, hi) -> pattern. (Without a group per rule: groups
# around the alternatives make a search of the union ten times slower.)
_UNIONS: dict[tuple[int, int, int], re.Pattern[str]] = {}


def _union(rules: tuple[_Rule, ...], lo: int, hi: int) -> re.Pattern[str]:
    key = (id(rules), lo, hi)
    union = _UNIONS.get(key)
    if union is None:
        union = _UNIONS[key] = re.compile("|".join(f"(?:{r[0].pattern})" for r in rules[lo:hi]))
    return union


def _matching(folded: str, rules: tuple[_Rule, ...]) -> Iterator[tuple[int, re.Match[str]]]:
    """(index, first match) of each rule that matches, in the rules' order: what searching the
    text with each rule in turn finds, in about one pass over it instead of one per rule."""
    lo = 0
    while lo < len(rules):
        # The lowest rule that matches anywhere: search the union of the rules below the best
        # found so far, after the position where that was found (none of them matches before
        # it, and at a position the union tries its rules in order).
        best: tuple[int, re.Match[str]] | None = None
        hi, pos = len(rules), 0
        while hi > lo and (m := _union(rules, lo, hi).search(folded, pos)) is not None:
            at = m.start()
            for index in range(lo, hi):
                if found := rules[index][0].match(folded, at):
                    best, hi = (index, found), index
                    break
            pos = at + 1
        if best is None:
            return
        yield best
        lo = best[0] + 1


def _parse_day(fragment: str, local: datetime) -> date | None:
    """Explicit dates ("12. april", "19/3-2021") via dateparser; day first."""
    fragment = re.sub(r"^(?:den|pa|on|nu) ", "", fragment)
    if re.fullmatch(r"\d{1,2}/\d{1,2}", fragment):
        fragment += f"/{local.year}"
    return _dateparse(fragment, local)


# (phrase, local date) -> parsed day. Every phrase here names whole days, so the result depends
# on the date of RELATIVE_BASE, not its time of day: one dateparser call per phrase and day.
_PARSED: dict[tuple[str, date], date | None] = {}
_PARSED_MAX = 4096


def _dateparse(phrase: str, local: datetime) -> date | None:
    """`phrase` parsed by dateparser (Danish and English) relative to the naive local `now`."""
    key = (phrase, local.date())
    try:
        return _PARSED[key]
    except KeyError:
        pass
    import dateparser  # imported lazily: it is slow to import and most questions need none

    settings = {
        "RELATIVE_BASE": local,
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():
        # dateparser's tz handling may warn on some platforms; the result is still correct.
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(phrase, languages=["da", "en"], settings=settings)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = day = parsed.date() if parsed else None
    return day
