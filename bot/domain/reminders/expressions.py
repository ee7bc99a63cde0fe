"""Time expressions read one anchored piece at a time: "i morgen", "kl. 9", "hver mandag"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.reminders.model import Reason
from bot.domain.reminders.vocabulary import (
    END,
    MONTH,
    NUMBER_WORD,
    ORDINAL,
    UNIT,
    WEEKDAY,
    da,
    month_of,
    number_of,
    ordinal_of,
    unit_of,
    weekday_of,
)


@dataclass(slots=True)
class Parts:
    """What the pieces of a time expression said; `error` is the first thing wrong with them."""

    duration: list[tuple[int, str]] = field(default_factory=list)  # (amount, unit)
    day_offset: int | None = None  # 0 today, 1 tomorrow, 2 the day after
    weekday: int | None = None
    date: tuple[int, int, int | None] | None = None  # day, month, year
    day_only: int | None = None  # "den 31."
    time: tuple[int, int] | None = None
    freq: str | None = None  # DAILY / WEEKLY / MONTHLY / YEARLY
    interval: int = 1
    byday: list[int] = field(default_factory=list)
    setpos: int | None = None  # "den første tirsdag": +1 with byday
    monthday: int | None = None
    error: tuple[Reason, str] | None = None
    day_text: str = ""  # the words that named the day, quoted when it does not exist

    @property
    def empty(self) -> bool:
        return self.error is None and not (
            self.has_day or self.time or self.duration or self.freq or self.byday
        )

    @property
    def has_day(self) -> bool:
        return any(x is not None for x in (self.day_offset, self.weekday, self.date, self.day_only))

    def fail(self, reason: Reason, detail: str) -> None:
        if self.error is None:
            self.error = (reason, detail)


Apply = Callable[[re.Match[str], Parts], None]
_COMPONENTS: list[tuple[re.Pattern[str], Apply]] = []


def component(pattern: str) -> Callable[[Apply], Apply]:
    def register(apply: Apply) -> Apply:
        _COMPONENTS.append((re.compile(f"(?:{pattern}){END}", re.IGNORECASE), apply))
        return apply

    return register


_MONTHLY = rf"(?:i|of)\s(?:hver\s|every\s|each\s|the\s)?{da('måned')}(?:en)?"
_MONTHLY_EN = r"(?:i|of)\s(?:hver\s|every\s|each\s|the\s)?month"
_EVERY = r"(?:hver|hvert|every|each)"


@component(
    rf"(?:den|the|on\sthe|{_EVERY})\s(?P<ord>{ORDINAL})\s(?P<wd>{WEEKDAY})"
    rf"(?:\s(?:{_MONTHLY}|{_MONTHLY_EN}))?"
)
def _nth_weekday(m: re.Match[str], p: Parts) -> None:
    _recurring(p, "MONTHLY", m)
    p.byday.append(weekday_of(m["wd"]))
    p.setpos = ordinal_of(m["ord"])


@component(rf"(?:den|the|on\sthe)\s(?:sidste|last)\s(?:dag|day)\s(?:{_MONTHLY}|{_MONTHLY_EN})")
def _last_day(m: re.Match[str], p: Parts) -> None:
    _recurring(p, "MONTHLY", m)
    p.monthday = -1


@component(
    rf"(?:den|the|on\sthe)\s(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th)\s(?:{_MONTHLY}|{_MONTHLY_EN})"
)
def _monthday(m: re.Match[str], p: Parts) -> None:
    _recurring(p, "MONTHLY", m)
    p.monthday = int(m["d"])


_FREQ_WORDS = {"dag": "DAILY", "day": "DAILY", "uge": "WEEKLY", "week": "WEEKLY"}
_FREQ_WORDS |= {"maned": "MONTHLY", "måned": "MONTHLY", "maaned": "MONTHLY", "month": "MONTHLY"}
_FREQ_WORDS |= {"ar": "YEARLY", "år": "YEARLY", "aar": "YEARLY", "year": "YEARLY"}
_FREQ_WORDS |= {"dagligt": "DAILY", "daily": "DAILY", "ugentligt": "WEEKLY", "weekly": "WEEKLY"}
_FREQ_WORDS |= {"manedligt": "MONTHLY", "månedligt": "MONTHLY", "monthly": "MONTHLY"}
_WORKDAYS = rf"(?:{da('hverdag')}|weekday|{da('arbejdsdag')}|workday|business\sday)"


@component(
    rf"{_EVERY}\s(?:(?P<other>anden|andet|other|2\.)\s)?(?:(?P<work>{_WORKDAYS})"
    rf"|(?P<wd>{WEEKDAY})|(?P<f>dag|day|uge|week|{da('måned')}|month|{da('år')}|year))"
)
def _every(m: re.Match[str], p: Parts) -> None:
    if m["work"]:
        _workdays(m, p)
    elif m["wd"]:
        _recurring(p, "WEEKLY", m)
        p.byday.append(weekday_of(m["wd"]))
    else:
        _recurring(p, _FREQ_WORDS[m["f"].lower()], m)
    if m["other"]:
        p.interval = 2


@component(rf"(?:dagligt|daily|ugentligt|weekly|{da('månedligt')}|monthly)")
def _adverb(m: re.Match[str], p: Parts) -> None:
    _recurring(p, _FREQ_WORDS[m[0].lower().replace("aa", "å")], m)


@component(rf"(?:(?:alle|om|on)\s)?(?P<wd>{WEEKDAY})(?:ene|en|s)")
def _plural_weekday(m: re.Match[str], p: Parts) -> None:
    _recurring(p, "WEEKLY", m)
    p.byday.append(weekday_of(m["wd"]))


@component(rf"(?:(?:på|pa|paa|alle|on|every)\s)?(?:{_WORKDAYS}(?:e|s)|{_WORKDAYS})")
def _workdays(m: re.Match[str], p: Parts) -> None:
    # "hver dag ... på hverdage" narrows a daily rule; on its own it is one.
    if p.freq not in (None, "DAILY", "WEEKLY") or (p.byday and p.freq == "WEEKLY"):
        p.fail("conflicting_times", m[0])
    p.freq = "WEEKLY"
    p.byday = [0, 1, 2, 3, 4]


@component(rf"(?:,\s?|\s)?(?:og|and|,)\s(?P<wd>{WEEKDAY})")
def _and_weekday(m: re.Match[str], p: Parts) -> None:
    # "hver mandag og onsdag": only after a weekly rule; otherwise it is part of the text.
    if p.freq == "WEEKLY" and p.byday:
        p.byday.append(weekday_of(m["wd"]))
    else:
        p.fail("conflicting_times", m[0])


def _recurring(p: Parts, freq: str, m: re.Match[str]) -> None:
    if p.freq is not None:
        p.fail("conflicting_times", m[0])
    p.freq = freq


_HALVES = {
    "et kvarter": 15, "a quarter": 15, "a quarter of an hour": 15, "en halv time": 30,
    "half an hour": 30, "halvanden time": 90, "an hour and a half": 90,
}  # fmt: skip


def _count(name: str) -> str:
    return rf"(?:(?P<{name}>\d{{1,4}})\s?|(?P<{name}w>{NUMBER_WORD})\s)"


_HALF = "|".join(re.escape(w).replace(r"\ ", r"\s") for w in sorted(_HALVES, key=len)[::-1])


_SPAN = (
    rf"(?:{_count('n')}(?P<u>{UNIT})(?:\s(?:og|and)\s{_count('n2')}(?P<u2>{UNIT}))?"
    rf"|(?P<half>{_HALF}))"
)


@component(rf"(?:om|in|efter|after)\s{_SPAN}")
def _duration(m: re.Match[str], p: Parts) -> None:
    _add_duration(m, p)


def _add_duration(m: re.Match[str], p: Parts) -> None:
    if p.duration:
        p.fail("conflicting_times", m[0])
    if m["half"]:
        p.duration.append((_HALVES[" ".join(m["half"].lower().split())], "minutes"))
        return
    p.duration.append((number_of(m["n"] or m["nw"]), unit_of(m["u"])))
    if m["u2"]:
        p.duration.append((number_of(m["n2"] or m["n2w"]), unit_of(m["u2"])))


_DAY_WORDS = {"overmorgen": 2, "day after tomorrow": 2, "morgen": 1, "tomorrow": 1}
_DAY_WORDS |= {"dag": 0, "today": 0}


@component(
    r"(?:i\s?)?(?P<w>overmorgen)|(?:the\s)?(?P<w2>day\safter\stomorrow)"
    r"|i\s?(?P<w3>morgen|dag)|(?P<w4>tomorrow|today)"
)
def _day_word(m: re.Match[str], p: Parts) -> None:
    word = " ".join((m["w"] or m["w2"] or m["w3"] or m["w4"]).lower().split())
    _set_day(p, m, "day_offset", _DAY_WORDS[word])


@component(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
def _iso_date(m: re.Match[str], p: Parts) -> None:
    _set_day(p, m, "date", (int(m["d"]), int(m["m"]), int(m["y"])))


_ON = r"(?:(?:den|d\.|on|the|on\sthe)\s)?"


@component(
    rf"{_ON}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:[-/](?P<y>\d{{4}}|\d{{2}}))?"
    r"|" + rf"{_ON}(?P<d2>\d{{1,2}})\.(?P<m2>0?[1-9]|1[0-2])\.(?P<y2>\d{{4}}|\d{{2}})?"
)
def _numeric_date(m: re.Match[str], p: Parts) -> None:
    year = m["y"] or m["y2"]
    full = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    _set_day(p, m, "date", (int(m["d"] or m["d2"]), int(m["m"] or m["m2"]), full))


@component(
    rf"{_ON}(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th)?\s?(?:of\s)?(?P<mon>{MONTH})(?![a-zæøå])\.?"
    r"(?:,?\s(?P<y>\d{4}))?"
    rf"|(?:on\s)?(?P<mon2>{MONTH})\s(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y2>\d{{4}}))?"
)
def _named_date(m: re.Match[str], p: Parts) -> None:
    year = m["y"] or m["y2"]
    month = month_of(m["mon"] or m["mon2"])
    _set_day(p, m, "date", (int(m["d"] or m["d2"]), month, int(year) if year else None))


@component(r"(?:den|d\.|on\sthe|the)\s(?P<d>\d{1,2})(?:\.|st|nd|rd|th)")
def _day_only(m: re.Match[str], p: Parts) -> None:
    if p.freq == "MONTHLY" and p.monthday is None and not p.byday:
        p.monthday = int(m["d"])  # "hver måned den 15."
        return
    _set_day(p, m, "day_only", int(m["d"]))


@component(rf"(?:(?:på|pa|paa|on|{da('næste')}|next|kommende|this|nu)\s)?(?P<wd>{WEEKDAY})")
def _weekday(m: re.Match[str], p: Parts) -> None:
    if p.freq == "WEEKLY" and p.byday:
        p.fail("conflicting_times", m[0])
    _set_day(p, m, "weekday", weekday_of(m["wd"]))


_EXCLUSIVE_DAYS = {"day_offset", "date", "day_only"}


def _set_day(p: Parts, m: re.Match[str], slot: str, value: object) -> None:
    # One day each; a weekday may accompany a date ("fredag den 19. marts", checked when the
    # date is resolved) but not "i morgen".
    clash = getattr(p, slot) is not None
    if slot in _EXCLUSIVE_DAYS:
        clash |= any(getattr(p, o) is not None for o in _EXCLUSIVE_DAYS - {slot})
    if (slot, p.weekday is not None) == ("day_offset", True):
        clash = True
    if (slot, p.day_offset is not None) == ("weekday", True):
        clash = True
    if clash:
        p.fail("conflicting_times", m[0])
    setattr(p, slot, value)
    if slot != "weekday":
        p.day_text = m[0].strip()


def _ampm(name: str) -> str:
    return rf"(?:\s?(?P<{name}>am|pm|a\.m\.|p\.m\.))"


@component(
    rf"(?:kl\.?|klokken|at|@)\s?(?P<h>\d{{1,2}})(?:[.:](?P<mi>\d{{1,2}}))?{_ampm('ap')}?"
    rf"|(?P<h2>\d{{1,2}})[.:](?P<mi2>\d{{2}}){_ampm('ap2')}?|(?P<h3>\d{{1,2}}){_ampm('ap3')}"
)
def _clock_time(m: re.Match[str], p: Parts) -> None:
    hour, minute = int(m["h"] or m["h2"] or m["h3"]), m["mi"] or m["mi2"] or "00"
    ap = (m["ap"] or m["ap2"] or m["ap3"] or "").replace(".", "").lower()
    if len(minute) != 2 or int(minute) > 59 or hour > (12 if ap else 23) or (ap and hour == 0):
        p.fail("impossible_time", m[0].strip())
        return
    if ap:
        hour = hour % 12 + (12 if ap == "pm" else 0)
    _set_time(p, m, (hour, int(minute)))


@component(r"(?:(?:ved|at|kl\.?)\s)?(?:middagstid|noon|midday)|(?:at\s)?midnight|midnat")
def _named_time(m: re.Match[str], p: Parts) -> None:
    _set_time(p, m, (0, 0) if "midn" in m[0].lower() else (12, 0))


def _set_time(p: Parts, m: re.Match[str], value: tuple[int, int]) -> None:
    if p.time is not None:
        p.fail("conflicting_times", m[0])
    p.time = value


_BARE_DURATION = re.compile(f"(?:{_SPAN}){END}", re.IGNORECASE)
_GAP = re.compile(r",?\s?")


def scan(text: str, pos: int, parts: Parts, *, bare_durations: bool = False) -> int:
    """Read time-expression pieces from `pos` on into `parts`; the end of the last one read.

    Every piece is an anchored pattern of bounded length, so this is linear in what it reads.
    """
    components = _COMPONENTS
    if bare_durations:  # snoozing: "10 min" needs no "om"
        components = [*_COMPONENTS, (_BARE_DURATION, _add_duration)]
    end = pos
    while True:
        gap = _GAP.match(text, end)
        start = gap.end() if gap else end
        for pattern, apply in components:
            m = pattern.match(text, start)
            if m and m.end() > start:
                apply(m, parts)
                end = m.end()
                break
        else:
            return end
