"""RFC 5545 calendar text for an event (times in the service's zone, all-day for date-only items).

Europe/Copenhagen uses a hand-written VTIMEZONE with the EU summer-time rule; any other zone
gets a VTIMEZONE generated from its tz database transitions around the event's years.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.knowledge.answers import pick
from bot.domain.knowledge.model import KNOWLEDGE_ZONE, Event, Session

PRODID = "-//Moedebot//Knowledge//DA"
UID_DOMAIN = "moedebot.local"
_COPENHAGEN_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold at 75 octets (continuation lines start with a space), never inside a character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines spend one octet on the space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _offset(delta: timedelta | None) -> str:
    """`+0200`, `-0330` (seconds only when the zone has them, as for old local mean time)."""
    seconds = int((delta or timedelta()).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _observance(at: datetime, before: timedelta | None, zone: ZoneInfo) -> list[str]:
    """One STANDARD/DAYLIGHT block for the offset that starts at the UTC instant `at`."""
    local = at.astimezone(zone)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    onset = (at + (before or timedelta())).replace(tzinfo=None)  # local time in the old offset
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{onset:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(local.utcoffset())}",
        f"TZNAME:{local.tzname()}",
        f"END:{kind}",
    ]


@lru_cache(maxsize=64)
def vtimezone(zone: ZoneInfo, first_year: int, last_year: int) -> tuple[str, ...]:
    """A VTIMEZONE for `zone` valid from a year before `first_year` to a year after `last_year`.

    Every offset change in that span becomes its own observance (no RRULEs), so the block is
    exact for any zone the tz database knows, including ones without daylight saving time.
    """
    if zone.key == KNOWLEDGE_ZONE.key:
        return _COPENHAGEN_VTIMEZONE
    start = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 2, 1, 1, tzinfo=UTC)
    offset = start.astimezone(zone).utcoffset()
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone.key}", *_observance(start, offset, zone)]
    step = timedelta(days=1)  # tz transitions are months apart; bisect within the day
    t = start
    while t < end:
        nxt = t + step
        if nxt.astimezone(zone).utcoffset() != offset:
            lo, hi = t, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    lo = mid
                else:
                    hi = mid
            hi = hi.replace(microsecond=0)
            lines += _observance(hi, offset, zone)
            offset = hi.astimezone(zone).utcoffset()
        t = nxt
    return (*lines, "END:VTIMEZONE")


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y%m%dT%H%M%S}"


def _session_lines(session: Session, zone: ZoneInfo) -> list[str]:
    start = session.starts_at()
    if start is None:
        last: date = session.end or session.start
        return [
            f"DTSTART;VALUE=DATE:{session.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",
        ]
    lines = [f"DTSTART;TZID={zone.key}:{_local(start, zone)}"]
    if (end := session.ends_at()) is not None:
        lines.append(f"DTEND;TZID={zone.key}:{_local(end, zone)}")
    return lines


def event_to_ics(
    event: Event, *, now: datetime, lang: str = "da", zone: ZoneInfo = KNOWLEDGE_ZONE
) -> str | None:
    """A VCALENDAR with one VEVENT per session; None when only a month or quarter is known.

    Timed sessions are written in `zone` (TZID = its tz database key) with a matching
    VTIMEZONE; all-day sessions are floating dates, as RFC 5545 intends.
    """
    if event.when.precision != "date":
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    summary = pick(lang, event.title, event.title_en)
    description = "\n\n".join(
        t for t in (pick(lang, event.description, event.description_en), event.registration) if t
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    sessions = event.when.sessions
    years = [d.year for s in sessions for d in (s.start, s.end or s.start)]
    lines += vtimezone(zone, min(years), max(years))
    for n, session in enumerate(sessions, 1):
        lines += ["BEGIN:VEVENT", f"UID:{event.id}-{n}@{UID_DOMAIN}", f"DTSTAMP:{stamp}"]
        lines += _session_lines(session, zone)
        lines.append(f"SUMMARY:{escape(summary)}")
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        if event.place:
            lines.append(f"LOCATION:{escape(event.place)}")
        if event.registration:
            lines.append(f"URL:{event.registration.replace(' ', '%20')}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold_line(line) for line in lines) + "\r\n"
