"""RFC 5545 export of events."""

from datetime import UTC, date, datetime

from bot.domain.knowledge.ics import escape, event_to_ics, fold_line
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
    event = Event("x", "Dansk titel", When("date", sessions=(Session(date(2021, 5, 3)),)),
                  title_en="English title")
    text = event_to_ics(event, now=datetime(2021, 3, 1, tzinfo=UTC), lang="en")
    assert "SUMMARY:English title" in text
