"""The understood time as the confirmation says it: "fredag den 19. marts 2021 kl. 12.00"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.danish_format import Lang, format_date, format_time
from bot.domain.reminders.model import Recurrence

_DAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NTH_DA = {1: "første", 2: "anden", 3: "tredje", 4: "fjerde", 5: "femte", -1: "sidste"}
_NTH_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def format_moment(moment: datetime, lang: Lang = "da", zone: ZoneInfo = COPENHAGEN) -> str:
    """`fredag den 19. marts 2021 kl. 12.00` / `Friday 19 March 2021 at 12:00`, in `zone`."""
    day = format_date(moment, lang, weekday=True, zone=zone)
    clock = format_time(moment, lang, zone=zone)
    return f"{day} at {clock}" if lang == "en" else f"{day} kl. {clock}"


def describe_recurrence(recurrence: Recurrence, lang: Lang = "da") -> str:
    """The rules this package writes, in words: `hver mandag kl. 9.00`, `every weekday at 08:30`.

    A rule written elsewhere falls back to a neutral wording rather than a wrong one.
    """
    fields = dict(p.split("=", 1) for p in recurrence.rrule.split(";") if "=" in p)
    clock = format_time(recurrence.dtstart.time(), lang)
    at = f"at {clock}" if lang == "en" else f"kl. {clock}"
    return f"{_pattern(fields, lang)} {at}"


def _pattern(fields: dict[str, str], lang: Lang) -> str:
    en = lang == "en"
    freq, days = fields.get("FREQ", ""), fields.get("BYDAY", "")
    other = fields.get("INTERVAL") == "2"
    every = ("every other" if other else "every") if en else ("hver anden" if other else "hver")
    if freq == "DAILY":
        return f"{every} day" if en else f"{every} dag"
    if freq == "WEEKLY" and days == "MO,TU,WE,TH,FR":
        return "every weekday" if en else "alle hverdage"
    if freq == "WEEKLY" and days:
        names = _DAYS_EN if en else _DAYS_DA
        listed = [names[_CODES.index(d)] for d in days.split(",") if d in _CODES]
        joiner = " and " if en else " og "
        return f"{every} " + (
            ", ".join(listed[:-1]) + joiner + listed[-1] if len(listed) > 1 else listed[0]
        )
    if freq == "MONTHLY" and days and days[:-2].lstrip("+-").isdigit():
        nth = int(days[:-2])
        day = (_DAYS_EN if en else _DAYS_DA)[_CODES.index(days[-2:])]
        if en:
            return f"the {_NTH_EN.get(nth, str(nth))} {day} of every month"
        return f"den {_NTH_DA.get(nth, str(nth))} {day} i hver måned"
    if freq == "MONTHLY" and "BYMONTHDAY" in fields:
        last = fields["BYMONTHDAY"].split(",")[-1]
        if last == "-1":
            return "on the last day of every month" if en else "den sidste dag i hver måned"
        return f"on day {last} of every month" if en else f"den {last}. i hver måned"
    return "repeatedly" if en else "gentaget"
