"""RFC 5545 export of events."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.knowledge.ics import escape, event_to_ics, fold_line, vtimezone
from bot.domain.knowledge.model import Event, Session, When


def test_timed_event_uses_copenhagen_timezone(service, now):
    text = service.ics("ky-webinar", now=now)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "TZID:Europe/Copenhagen" in text
    assert "DTSTART;TZID=Europe/Copenhagen:20210412T130000" in text
    assert "DTEND;TZID=Europe/Copenhagen:20210412T150000" in text
    assert "DTSTAMP:20210324T090000Z" in text  # 10:00 in Copenhagen is 09:00 UTC in March
    assert "UID:ky-webinar-1@moedebot.local" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_multi_session_all_day_event(service, now):
    text = service.ics("kl-masterclass-it-anskaffelse", now=now)
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20211013" in text and "DTEND;VALUE=DATE:20211015" in text
    assert "DTSTART;VALUE=DATE:20211108" in text and "DTEND;VALUE=DATE:20211110" in text
    assert "LOCATION:KL-Huset\\, København" in text


def test_uid_is_stable_and_month_items_are_not_exported(service, now):
    later = datetime(2021, 4, 1, tzinfo=UTC)
    first, second = service.ics("ky-webinar", now=now), service.ics("ky-webinar", now=later)
    uid = [line for line in first.split("\r\n") if line.startswith("UID:")]
    assert uid == [line for line in second.split("\r\n") if line.startswith("UID:")]
    assert service.ics("oeir-netvaerksmoede", now=now) is None
    assert service.ics("no-such-event", now=now) is None


def test_escaping_and_folding():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold_line("DESCRIPTION:" + "æ" * 100)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == "DESCRIPTION:" + "æ" * 100


def test_english_summary():
    event = Event(
        "x",
        "Dansk titel",
        When("date", sessions=(Session(date(2021, 5, 3)),)),
        title_en="English title",
    )
    text = event_to_ics(event, now=datetime(2021, 3, 1, tzinfo=UTC), lang="en")
    assert "SUMMARY:English title" in text


REYKJAVIK = ZoneInfo("Atlantic/Reykjavik")


def _check_calendar(text: str) -> list[str]:
    """Structural RFC 5545 checks: CRLF, folded lines, balanced components, TZIDs defined."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    stack = []
    for line in lines:
        name, _, value = line.partition(":")
        assert value, line
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value
    assert stack == []
    defined = {line[5:] for line in lines if line.startswith("TZID:")}
    used = {line.split("TZID=")[1].split(":")[0] for line in lines if ";TZID=" in line}
    assert used <= defined
    return lines


def test_timed_event_in_another_zone(knowledge_dir, now):
    from bot.domain.knowledge import KnowledgeService

    service = KnowledgeService(knowledge_dir, zone=REYKJAVIK)
    lines = _check_calendar(service.ics("ky-webinar", now=now))
    # 13:00-15:00 in Copenhagen (CEST, UTC+2) is 11:00-13:00 in Reykjavik (UTC+0).
    assert "DTSTART;TZID=Atlantic/Reykjavik:20210412T110000" in lines
    assert "DTEND;TZID=Atlantic/Reykjavik:20210412T130000" in lines
    tz = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]
    assert tz == [
        "BEGIN:VTIMEZONE",
        "TZID:Atlantic/Reykjavik",
        "BEGIN:STANDARD",
        "DTSTART:20200101T000000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    # All-day sessions stay floating dates whatever the zone.
    text = service.ics("kl-masterclass-it-anskaffelse", now=now)
    assert "DTSTART;VALUE=DATE:20211013" in _check_calendar(text)


def test_copenhagen_keeps_its_hand_written_vtimezone(service, now):
    lines = _check_calendar(service.ics("ky-webinar", now=now))
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in lines


def test_generated_vtimezone_has_the_zone_transitions():
    lines = vtimezone(ZoneInfo("America/New_York"), 2021, 2021)
    assert lines[:2] == ("BEGIN:VTIMEZONE", "TZID:America/New_York")
    # Spring forward on 14 March 2021 at 02:00 local (EST) and back on 7 November at 02:00 (EDT).
    i = lines.index("DTSTART:20210314T020000")
    assert lines[i - 1 : i + 5] == (
        "BEGIN:DAYLIGHT",
        "DTSTART:20210314T020000",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "END:DAYLIGHT",
    )
    i = lines.index("DTSTART:20211107T020000")
    assert lines[i - 1 : i + 4] == (
        "BEGIN:STANDARD",
        "DTSTART:20211107T020000",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
    )


def test_event_to_ics_in_a_zone_with_daylight_saving():
    event = Event(
        "x",
        "Møde",
        When(
            "date", sessions=(Session(date(2021, 4, 12), start_time=time(13), end_time=time(15)),)
        ),
    )
    text = event_to_ics(
        event, now=datetime(2021, 3, 1, tzinfo=UTC), zone=ZoneInfo("America/New_York")
    )
    lines = _check_calendar(text)
    assert "DTSTART;TZID=America/New_York:20210412T070000" in lines
    assert "DTEND;TZID=America/New_York:20210412T090000" in lines
