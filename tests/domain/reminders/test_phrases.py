"""What people write, read as the moment and target they mean (fixed `now`, Copenhagen)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import ReminderRequest, parse_reminder

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)  # a Tuesday, winter time
SPRING = datetime(2027, 3, 27, 10, 0, tzinfo=COPENHAGEN)  # the Saturday before summer time
AUTUMN = datetime(2026, 10, 24, 10, 0, tzinfo=COPENHAGEN)  # the Saturday before winter time
LATE = datetime(2026, 12, 1, 23, 55, tzinfo=COPENHAGEN)  # just before midnight


def local(text: str, now: datetime = NOW) -> ReminderRequest:
    result = parse_reminder(text, now)
    assert isinstance(result, ReminderRequest), result
    return result


# (text, now, expected local "YYYY-MM-DD HH:MM", target, text of the reminder)
PHRASES = [
    ("påmind mig i morgen kl. 9 om at svare KMD", NOW, "2026-12-02 09:00", "me", "at svare KMD"),
    ("påmind mig imorgen kl 9.15 om x", NOW, "2026-12-02 09:15", "me", "x"),
    ("påmind mig i overmorgen kl. 13 om x", NOW, "2026-12-03 13:00", "me", "x"),
    ("påmind mig om 20 minutter om at ringe", NOW, "2026-12-01 10:20", "me", "at ringe"),
    ("påmind mig om 90 minutter om pause", NOW, "2026-12-01 11:30", "me", "pause"),
    ("påmind mig om 10min om kaffe", NOW, "2026-12-01 10:10", "me", "kaffe"),
    ("påmind mig om en time om x", NOW, "2026-12-01 11:00", "me", "x"),
    ("påmind mig om to timer om x", NOW, "2026-12-01 12:00", "me", "x"),
    ("påmind mig om en halv time om x", NOW, "2026-12-01 10:30", "me", "x"),
    ("påmind mig om et kvarter om x", NOW, "2026-12-01 10:15", "me", "x"),
    ("påmind mig om 2 timer og 30 minutter om x", NOW, "2026-12-01 12:30", "me", "x"),
    ("påmind mig om 3 dage om x", NOW, "2026-12-04 10:00", "me", "x"),
    ("påmind mig om 2 uger om x", NOW, "2026-12-15 10:00", "me", "x"),
    ("påmind mig om 1 måned om x", NOW, "2027-01-01 10:00", "me", "x"),
    ("påmind mig fredag kl. 12 om frokost", NOW, "2026-12-04 12:00", "me", "frokost"),
    ("påmind mig på fredag kl. 12 om frokost", NOW, "2026-12-04 12:00", "me", "frokost"),
    ("påmind mig tirsdag kl. 12 om x", NOW, "2026-12-08 12:00", "me", "x"),  # said on a Tuesday
    ("påmind mig lordag kl 10 om x", NOW, "2026-12-05 10:00", "me", "x"),
    ("påmind mig fredag den 18. december kl. 9 om x", NOW, "2026-12-18 09:00", "me", "x"),
    ("påmind mig den 19/3 kl. 10 om KMD", NOW, "2027-03-19 10:00", "me", "KMD"),
    ("påmind mig 19/3-2027 kl. 10 om KMD", NOW, "2027-03-19 10:00", "me", "KMD"),
    ("påmind mig 19.3. kl. 10 om KMD", NOW, "2027-03-19 10:00", "me", "KMD"),
    ("påmind mig 2027-03-19 kl. 10 om KMD", NOW, "2027-03-19 10:00", "me", "KMD"),
    ("påmind mig 1. juni om ferie", NOW, "2027-06-01 09:00", "me", "ferie"),
    ("påmind mig den 24. december kl. 8 om x", NOW, "2026-12-24 08:00", "me", "x"),
    ("påmind mig 1. december kl. 18 om x", NOW, "2026-12-01 18:00", "me", "x"),
    ("påmind mig 30. november kl. 18 om x", NOW, "2027-11-30 18:00", "me", "x"),
    ("påmind mig den 31. om x", NOW, "2026-12-31 09:00", "me", "x"),
    ("påmind mig kl. 14.30 om kaffe", NOW, "2026-12-01 14:30", "me", "kaffe"),
    ("påmind mig klokken 16 om x", NOW, "2026-12-01 16:00", "me", "x"),
    ("påmind mig 15:45 om x", NOW, "2026-12-01 15:45", "me", "x"),
    ("påmind mig ved middagstid om x", NOW, "2026-12-01 12:00", "me", "x"),
    ("påmind mig i morgen om mødet kl. 9", NOW, "2026-12-02 09:00", "me", "mødet"),
    ("påmind mig om at svare KMD i morgen kl. 9", NOW, "2026-12-02 09:00", "me", "at svare KMD"),
    ("påmind mig i morgen kl. 9: svar KMD", NOW, "2026-12-02 09:00", "me", "svar KMD"),
    ("paamind mig i morgen kl. 9 om x", NOW, "2026-12-02 09:00", "me", "x"),
    ("Påmind mig I MORGEN kl. 9 om X", NOW, "2026-12-02 09:00", "me", "X"),
    (
        "påmind mig i morgen kl. 9 om at flytte mødet til fredag kl. 10",
        NOW,
        "2026-12-02 09:00",
        "me",
        "at flytte mødet til fredag kl. 10",
    ),
    ("påmind mig i morgen kl. 8 om x", LATE, "2026-12-02 08:00", "me", "x"),
    ("påmind mig om 10 minutter om x", LATE, "2026-12-02 00:05", "me", "x"),
    ("remind me tomorrow at 9 to reply to KMD", NOW, "2026-12-02 09:00", "me", "reply to KMD"),
    ("remind me in 2 hours to call", NOW, "2026-12-01 12:00", "me", "call"),
    ("remind me in 45 minutes to call", NOW, "2026-12-01 10:45", "me", "call"),
    ("remind me in half an hour to call", NOW, "2026-12-01 10:30", "me", "call"),
    ("remind me on Friday at 12 to eat", NOW, "2026-12-04 12:00", "me", "eat"),
    ("remind me on 19 March at 10:00 to answer", NOW, "2027-03-19 10:00", "me", "answer"),
    ("remind me on March 19th at 10am to answer", NOW, "2027-03-19 10:00", "me", "answer"),
    ("remind me at 3pm to stretch", NOW, "2026-12-01 15:00", "me", "stretch"),
    ("remind me at noon about lunch", NOW, "2026-12-01 12:00", "me", "lunch"),
    ("remind me to call Bob tomorrow at 9", NOW, "2026-12-02 09:00", "me", "call Bob"),
    ("remind me on the 31st to pay", NOW, "2026-12-31 09:00", "me", "pay"),
    ("påmind kanalen 19/3 kl. 12 om frist", NOW, "2027-03-19 12:00", "conversation", "frist"),
    (
        "påmind os om 10 min om pausen slutter",
        NOW,
        "2026-12-01 10:10",
        "conversation",
        "pausen slutter",
    ),
    ("påmind gruppen i morgen kl. 9 om x", NOW, "2026-12-02 09:00", "conversation", "x"),
    ("remind the channel tomorrow at 9 to vote", NOW, "2026-12-02 09:00", "conversation", "vote"),
    ("remind us in 5 minutes to wrap up", NOW, "2026-12-01 10:05", "conversation", "wrap up"),
    # DST: wall-clock days keep their time; elapsed hours do not.
    ("påmind mig i morgen kl. 9 om x", SPRING, "2027-03-28 09:00", "me", "x"),
    ("påmind mig om 1 dag om x", SPRING, "2027-03-28 10:00", "me", "x"),
    ("påmind mig om 24 timer om x", SPRING, "2027-03-28 11:00", "me", "x"),
    ("påmind mig om 24 timer om x", AUTUMN, "2026-10-25 09:00", "me", "x"),
    ("påmind mig i morgen kl. 3 om x", AUTUMN, "2026-10-25 03:00", "me", "x"),
]


@pytest.mark.parametrize(("text", "now", "expected", "target", "what"), PHRASES)
def test_phrase_means_this_moment(text, now, expected, target, what):
    request = local(text, now)
    assert request.due_at.tzinfo is not None and request.due_at.utcoffset().total_seconds() == 0
    assert request.due_at.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") == expected
    assert (request.target, request.text) == (target, what)
    assert request.recurrence is None


def test_the_table_is_large():
    assert len(PHRASES) >= 50


def test_a_day_without_a_time_defaults_to_nine_and_says_so():
    assert local("påmind mig 1. juni om ferie").default_time_used
    assert local("påmind mig fredag om x").default_time_used
    assert not local("påmind mig fredag kl. 9 om x").default_time_used


def test_durations_are_marked_relative():
    assert local("påmind mig om 20 minutter om x").relative
    assert not local("påmind mig i morgen kl. 9 om x").relative


def test_a_time_in_the_spring_gap_moves_on_by_the_gap():
    request = local("påmind mig i morgen kl. 2.30 om x", SPRING)
    assert request.due_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03.30 summer time
    assert request.wall_time_shifted


def test_a_time_that_happens_twice_in_autumn_is_the_first():
    request = local("påmind mig i morgen kl. 2.30 om x", AUTUMN)
    assert request.due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02.30 summer time
    assert not request.wall_time_shifted


def test_other_messages_are_not_reminder_commands():
    for text in ("hej", "hvornår er KP Basis klar?", "reminders", "mindre end 3", ""):
        assert parse_reminder(text, NOW) is None
