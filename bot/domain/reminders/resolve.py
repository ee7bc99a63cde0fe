"""The moment a time expression names, given now and the user's zone: or why there is none."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

from bot.domain.reminders.expressions import Parts
from bot.domain.reminders.model import DEFAULT_TIME, MAX_AHEAD_YEARS, Reason, Recurrence
from bot.domain.reminders.recurrence import build_rule, next_occurrence
from bot.domain.reminders.wallclock import to_local, to_utc


@dataclass(frozen=True, slots=True)
class When:
    due_at: datetime  # UTC
    default_time_used: bool = False
    wall_time_shifted: bool = False
    recurrence: Recurrence | None = None
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Unresolved:
    reason: Reason
    detail: str = ""
    day: date | None = None


def resolve(parts: Parts, now: datetime, zone: ZoneInfo) -> When | Unresolved:
    """`parts` as a UTC moment after `now`; errors as reasons, never exceptions."""
    if parts.error:
        return Unresolved(*parts.error)
    if parts.duration:
        if parts.has_day or parts.time or parts.freq:
            return Unresolved("conflicting_times")
        return _checked(_after_duration(parts, now, zone), now)
    today = to_local(now, zone).date()
    day = _day(parts, today)
    if isinstance(day, Unresolved):
        return day
    if parts.freq:
        return _recurring(parts, day, now, zone)
    if day is None:
        day = today  # "kl. 14.30": today, refused below when it has passed
    elif parts.time is None and day == today and parts.day_offset == 0:
        return Unresolved("missing_time", day=day)  # "i dag" alone names no useful hour
    at = time(*parts.time) if parts.time else DEFAULT_TIME
    moment, shifted = to_utc(datetime.combine(day, at), zone)
    when = When(moment, default_time_used=parts.time is None, wall_time_shifted=shifted)
    return _checked(when, now, day)


def _checked(when: When, now: datetime, day: date | None = None) -> When | Unresolved:
    if when.due_at <= now:
        return Unresolved("in_the_past", day=day)
    if when.due_at > now + relativedelta(years=MAX_AHEAD_YEARS):
        return Unresolved("too_far", day=day)
    return when


def _after_duration(parts: Parts, now: datetime, zone: ZoneInfo) -> When:
    # Minutes and hours are elapsed time; days, weeks and months are calendar steps that keep
    # the wall-clock time ("om 2 dage" at 10.00 is 10.00, also across a DST change).
    exact = timedelta()
    steps = relativedelta()
    for amount, unit in parts.duration:
        if unit in ("minutes", "hours"):
            exact += timedelta(**{unit: amount})
        else:
            steps += relativedelta(**{unit: amount})
    moment, shifted = now.astimezone(UTC), False
    if steps:
        moment, shifted = to_utc(to_local(now, zone) + steps, zone)
    return When(moment + exact, wall_time_shifted=shifted, relative=True)


def _day(parts: Parts, today: date) -> date | Unresolved | None:
    day: date | None = None
    if parts.day_offset is not None:
        day = today + timedelta(days=parts.day_offset)
    elif parts.date is not None:
        found = _dated(*parts.date, today, parts.day_text)
        if isinstance(found, Unresolved):
            return found
        day = found
    elif parts.day_only is not None:
        found = _day_of_month(parts.day_only, today, parts.day_text)
        if isinstance(found, Unresolved):
            return found
        day = found
    if parts.weekday is not None and parts.freq is None:
        if day is None:  # "fredag": the coming one; said on a Friday, a week ahead
            return today + timedelta(days=(parts.weekday - today.weekday() - 1) % 7 + 1)
        if day.weekday() != parts.weekday:
            return Unresolved("weekday_mismatch", day=day)
    return day


def _dated(day: int, month: int, year: int | None, today: date, detail: str) -> date | Unresolved:
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else _days_in(2001, month)):
        return Unresolved("impossible_date", detail)
    if year is not None:
        if day > _days_in(year, month):
            return Unresolved("impossible_date", detail)
        found = date(year, month, day)
        return Unresolved("in_the_past", day=found) if found < today else found
    # Without a year: this year's, or next year's once it has passed (29/2: the next leap year).
    for candidate in range(today.year, today.year + 9):
        if day <= _days_in(candidate, month) and (found := date(candidate, month, day)) >= today:
            return found
    return Unresolved("impossible_date", detail)  # pragma: no cover - a leap year is near


def _day_of_month(day: int, today: date, detail: str) -> date | Unresolved:
    # "den 31.": this month's, or next month's once it has passed. A month without that day
    # is refused rather than moved, as the user may have meant another month.
    year, month = today.year, today.month
    if day < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not 1 <= day <= _days_in(year, month):
        return Unresolved("impossible_date", detail, day=date(year, month, 1))
    return date(year, month, day)


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _recurring(parts: Parts, day: date | None, now: datetime, zone: ZoneInfo) -> When | Unresolved:
    today = to_local(now, zone).date()
    if parts.monthday is not None and not (-1 <= parts.monthday <= 31 and parts.monthday != 0):
        return Unresolved("impossible_date", f"den {parts.monthday}.")
    byday = tuple(parts.byday) or ((parts.weekday,) if parts.weekday is not None else ())
    at = time(*parts.time) if parts.time else DEFAULT_TIME
    start = datetime.combine(day or today, at)
    rule = build_rule(
        parts.freq or "MONTHLY",
        start,
        interval=parts.interval,
        byday=byday,
        setpos=parts.setpos,
        monthday=parts.monthday,
    )
    recurrence = Recurrence(rule, start, zone.key)
    first = next_occurrence(recurrence, zone, max(now, to_utc(start, zone)[0] - timedelta(0, 1)))
    if first is None:
        return Unresolved("invalid_recurrence", rule)
    shifted = to_local(first, zone).time() != at
    when = When(first, parts.time is None, shifted, recurrence)
    return _checked(when, now)
