"""Danish and English formatting of dates, times, months, quarters and numbers (stdlib only)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN

Lang = Literal["da", "en"]

MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DASH = "–"  # en dash, as Danish typography uses for ranges


def to_zone(moment: datetime, zone: ZoneInfo = COPENHAGEN) -> datetime:
    """Convert an aware datetime to `zone`; naive ones are taken as already in `zone`."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def to_copenhagen(moment: datetime) -> datetime:
    """Convert an aware datetime to Copenhagen time; naive ones are taken as Copenhagen."""
    return to_zone(moment, COPENHAGEN)


def format_date(
    day: date, lang: Lang = "da", *, weekday: bool = False, zone: ZoneInfo = COPENHAGEN
) -> str:
    """`12. april 2021` / `12 April 2021` (optionally with the weekday first).

    A datetime is shown as its calendar day in `zone`.
    """
    if isinstance(day, datetime):
        day = to_zone(day, zone).date()
    if lang == "en":
        text = f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
        return f"{WEEKDAYS_EN[day.weekday()]} {text}" if weekday else text
    text = f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_DA[day.weekday()]} den {text}" if weekday else text


def format_time(moment: time | datetime, lang: Lang = "da", *, zone: ZoneInfo = COPENHAGEN) -> str:
    """`9.00` / `13.00` in Danish (the hour without a zero, as Danes write it), `09:00` in
    English (datetimes are converted to `zone` first)."""
    if isinstance(moment, datetime):
        moment = to_zone(moment, zone).timetz()
    if lang == "en":
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{moment.hour}.{moment.minute:02d}"


def format_time_range(start: time, end: time | None, lang: Lang = "da") -> str:
    """`kl. 13.00–15.00` / `13:00–15:00`."""
    text = format_time(start, lang) + (DASH + format_time(end, lang) if end else "")
    return text if lang == "en" else f"kl. {text}"


def format_date_range(start: date, end: date | None, lang: Lang = "da") -> str:
    """`13.–14. oktober 2021`, `30. oktober–2. november 2021`; full dates across years."""
    if end is None or end == start:
        return format_date(start, lang)
    if start.year != end.year:
        return format_date(start, lang) + DASH + format_date(end, lang)
    if lang == "en":
        if start.month == end.month:
            return f"{start.day}{DASH}{format_date(end, lang)}"
        return f"{start.day} {MONTHS_EN[start.month - 1]}{DASH}{format_date(end, lang)}"
    if start.month == end.month:
        return f"{start.day}.{DASH}{format_date(end, lang)}"
    return f"{start.day}. {MONTHS_DA[start.month - 1]}{DASH}{format_date(end, lang)}"


def format_day_and_times(
    day: date, start: time | None, end: time | None = None, lang: Lang = "da"
) -> str:
    """`12. april 2021 kl. 13.00–15.00` / `12 April 2021, 13:00–15:00`."""
    text = format_date(day, lang)
    if start is None:
        return text
    sep = ", " if lang == "en" else " "
    return text + sep + format_time_range(start, end, lang)


def format_datetime_range(
    start: datetime, end: datetime | None, lang: Lang = "da", *, zone: ZoneInfo = COPENHAGEN
) -> str:
    """An aware start/end pair shown in `zone` time; a multi-day span shows both dates."""
    s = to_zone(start, zone)
    if end is None:
        return format_day_and_times(s.date(), s.timetz(), None, lang)
    e = to_zone(end, zone)
    if s.date() == e.date():
        return format_day_and_times(s.date(), s.timetz(), e.timetz(), lang)
    return (
        format_day_and_times(s.date(), s.timetz(), None, lang)
        + f" {DASH} "
        + (format_day_and_times(e.date(), e.timetz(), None, lang))
    )


def format_month(year: int, month: int, lang: Lang = "da") -> str:
    """`februar 2022` / `February 2022`."""
    names = MONTHS_EN if lang == "en" else MONTHS_DA
    return f"{names[month - 1]} {year}"


def format_month_range(
    start: tuple[int, int], end: tuple[int, int] | None, lang: Lang = "da"
) -> str:
    """`oktober 2021–januar 2022`, `april–juni 2021`."""
    if end is None or end == start:
        return format_month(*start, lang)
    names = MONTHS_EN if lang == "en" else MONTHS_DA
    if start[0] == end[0]:
        return f"{names[start[1] - 1]}{DASH}{format_month(*end, lang)}"
    return format_month(*start, lang) + DASH + format_month(*end, lang)


def format_quarter(year: int, quarter: int, lang: Lang = "da") -> str:
    """`2. kvartal 2021` / `Q2 2021`."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    return f"Q{quarter} {year}" if lang == "en" else f"{quarter}. kvartal {year}"


def format_number(value: float, decimals: int = 0, lang: Lang = "da") -> str:
    """`1.234.567,8` in Danish, `1,234,567.8` in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_amount_dkk(amount: float, lang: Lang = "da") -> str:
    """`2,9 mio. kr.` / `DKK 2.9 million`; smaller sums as `12.500 kr.` / `DKK 12,500`."""
    if abs(amount) >= 1_000_000:
        millions = amount / 1_000_000
        decimals = 0 if millions == int(millions) else 1
        number = format_number(millions, decimals, lang)
        return f"DKK {number} million" if lang == "en" else f"{number} mio. kr."
    decimals = 0 if amount == int(amount) else 2
    number = format_number(amount, decimals, lang)
    return f"DKK {number}" if lang == "en" else f"{number} kr."
