"""Recurring reminders as RFC 5545 rules (dateutil), and their next occurrence across DST."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]

from bot.domain.reminders.model import Recurrence
from bot.domain.reminders.wallclock import to_local, to_utc

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Two wall-clock hours cover any DST change: searching from that far before `after` finds an
# occurrence whose local time repeats or falls into a gap.
_DST_MARGIN = timedelta(hours=3)


def build_rule(
    freq: str,
    start: datetime,
    *,
    interval: int = 1,
    byday: tuple[int, ...] = (),
    setpos: int | None = None,
    monthday: int | None = None,
) -> str:
    """The RRULE text for a rule starting at the naive local `start` (its time of day is kept).

    A monthly day 29-31 is clamped to the month's last day ("den 31." is 30 April, 28/29
    February) instead of RFC 5545's skipping of months without that day.
    """
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq == "WEEKLY" and not byday:
        byday = (start.weekday(),)
    if freq == "MONTHLY" and not byday and monthday is None:
        monthday = start.day
    if freq == "YEARLY":
        parts.append(f"BYMONTH={start.month}")
        monthday = start.day if monthday is None else monthday
    if byday:
        prefix = f"{setpos:+d}" if setpos else ""
        parts.append("BYDAY=" + ",".join(prefix + _DAYS[d] for d in sorted(set(byday))))
    if monthday is not None and monthday > 28:
        parts.append("BYMONTHDAY=" + ",".join(str(d) for d in range(28, monthday + 1)))
        parts.append("BYSETPOS=-1")
    elif monthday is not None:
        parts.append(f"BYMONTHDAY={monthday}")
    return ";".join(parts)


@lru_cache(maxsize=1024)
def _rule(rule_text: str, dtstart: datetime) -> rrule:
    return rrulestr(rule_text, dtstart=dtstart)


def parse_rule_text(text: str) -> tuple[str, datetime]:
    """(RRULE, naive DTSTART) from the iCalendar lines of `Recurrence.text`."""
    rule, start = "", None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.startswith("DTSTART"):
            start = datetime.strptime(value.strip(), "%Y%m%dT%H%M%S")
        elif name == "RRULE":
            rule = value.strip()
    if not rule or start is None:
        raise ValueError(f"not a DTSTART/RRULE pair: {text!r}")
    return rule, start


def next_occurrence(rule: Recurrence | str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first occurrence strictly after the aware `after`, in UTC; None when none is left.

    Occurrences are computed in local wall-clock time, so 9.00 stays 9.00 in winter and
    summer; a local time that does not exist that day is moved on as `to_utc` documents.
    """
    rule_text, start = (
        parse_rule_text(rule) if isinstance(rule, str) else (rule.rrule, rule.dtstart)
    )
    recurring = _rule(rule_text, start)
    cursor = to_local(after, zone) - _DST_MARGIN
    inclusive = True
    for _ in range(16):  # a few occurrences lie inside the margin at most
        candidate = recurring.after(cursor, inc=inclusive)
        if candidate is None:
            return None
        moment, _shifted = to_utc(candidate, zone)
        if moment > after:
            return moment
        cursor, inclusive = candidate, False
    return None
