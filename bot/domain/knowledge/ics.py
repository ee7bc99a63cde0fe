"""RFC 5545 calendar text for an event (Europe/Copenhagen times, all-day for date-only items)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.knowledge.answers import pick
from bot.domain.knowledge.model import Event, Session

PRODID = "-//Moedebot//Knowledge//DA"
UID_DOMAIN = "moedebot.local"
_VTIMEZONE = (
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
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold at 75 octets (continuation lines start with a space), never inside a character."""
    out, current, size = [], "", 0
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


def _session_lines(session: Session) -> list[str]:
    if session.start_time is None:
        last: date = session.end or session.start
        return [f"DTSTART;VALUE=DATE:{session.start:%Y%m%d}",
                f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"]
    start = datetime.combine(session.start, session.start_time)
    lines = [f"DTSTART;TZID=Europe/Copenhagen:{start:%Y%m%dT%H%M%S}"]
    if session.end_time is not None:
        end = datetime.combine(session.end or session.start, session.end_time)
        lines.append(f"DTEND;TZID=Europe/Copenhagen:{end:%Y%m%dT%H%M%S}")
    return lines


def event_to_ics(event: Event, *, now: datetime, lang: str = "da") -> str | None:
    """A VCALENDAR with one VEVENT per session; None when only a month or quarter is known."""
    if event.when.precision != "date":
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    summary = pick(lang, event.title, event.title_en)
    description = "\n\n".join(
        t for t in (pick(lang, event.description, event.description_en), event.registration) if t
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", *_VTIMEZONE]
    for n, session in enumerate(event.when.sessions, 1):
        lines += ["BEGIN:VEVENT", f"UID:{event.id}-{n}@{UID_DOMAIN}", f"DTSTAMP:{stamp}"]
        lines += _session_lines(session)
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
