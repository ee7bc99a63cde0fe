"""Recurring reminders: RFC 5545 rules from words; next occurrences across DST and month ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import (
    Recurrence,
    ReminderRequest,
    describe_recurrence,
    next_occurrence,
    parse_reminder,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)  # Tuesday


def request(text: str, now: datetime = NOW) -> ReminderRequest:
    result = parse_reminder(text, now)
    assert isinstance(result, ReminderRequest), result
    assert result.recurrence is not None
    return result


@pytest.mark.parametrize(
    ("text", "rule", "first"),
    [
        ("påmind os hver mandag kl. 9 om møde", "FREQ=WEEKLY;BYDAY=MO", "2026-12-07 09:00"),
        ("remind us every monday at 9 to meet", "FREQ=WEEKLY;BYDAY=MO", "2026-12-07 09:00"),
        ("påmind mig om mandagen kl. 9 om x", "FREQ=WEEKLY;BYDAY=MO", "2026-12-07 09:00"),
        ("remind me on mondays at 9 to x", "FREQ=WEEKLY;BYDAY=MO", "2026-12-07 09:00"),
        (
            "påmind mig hver mandag og onsdag kl. 9 om x",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            "2026-12-02 09:00",
        ),
        (
            "påmind mig den første tirsdag i hver måned kl. 10 om PL-møde",
            "FREQ=MONTHLY;BYDAY=+1TU",
            "2027-01-05 10:00",
        ),
        (
            "remind me the first tuesday of every month at 10 to x",
            "FREQ=MONTHLY;BYDAY=+1TU",
            "2027-01-05 10:00",
        ),
        (
            "påmind mig den sidste fredag i måneden kl. 14 om x",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "2026-12-25 14:00",
        ),
        (
            "påmind kanalen hver dag kl. 8.30 på hverdage om standup",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "2026-12-02 08:30",
        ),
        (
            "remind us every weekday at 8:30 to x",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "2026-12-02 08:30",
        ),
        ("påmind mig hver dag kl. 12 om x", "FREQ=DAILY", "2026-12-01 12:00"),
        ("påmind mig dagligt kl. 7 om x", "FREQ=DAILY", "2026-12-02 07:00"),
        (
            "påmind mig hver anden uge kl. 11 om x",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "2026-12-01 11:00",
        ),
        (
            "påmind mig den 1. i hver måned kl. 9 om x",
            "FREQ=MONTHLY;BYMONTHDAY=1",
            "2027-01-01 09:00",
        ),
        (
            "påmind mig hver måned den 31. kl. 9 om x",
            "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
            "2026-12-31 09:00",
        ),
        (
            "remind me on the last day of the month at 16 to x",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "2026-12-31 16:00",
        ),
    ],
)
def test_rule_and_first_occurrence(text, rule, first):
    found = request(text)
    assert found.recurrence.rrule == rule
    assert found.due_at.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") == first
    assert found.due_at.tzinfo == UTC


def test_without_a_time_the_default_is_used_and_said():
    assert request("påmind os hver mandag om møde").default_time_used


def occurrences(rule: Recurrence, after: datetime, n: int) -> list[datetime]:
    found = []
    for _ in range(n):
        nxt = next_occurrence(rule, COPENHAGEN, after)
        assert nxt is not None
        found.append(nxt)
        after = nxt
    return found


def test_nine_stays_nine_across_both_dst_changes():
    rule = Recurrence("FREQ=WEEKLY;BYDAY=MO", datetime(2027, 3, 1, 9, 0))
    times = occurrences(rule, datetime(2027, 3, 20, tzinfo=UTC), 3)
    assert [t.astimezone(COPENHAGEN).strftime("%m-%d %H:%M") for t in times] == [
        "03-22 09:00",
        "03-29 09:00",
        "04-05 09:00",
    ]
    assert [t.hour for t in times] == [8, 7, 7]  # UTC moves by the change, the wall clock not
    autumn = occurrences(rule, datetime(2027, 10, 20, tzinfo=UTC), 2)
    assert [t.astimezone(COPENHAGEN).hour for t in autumn] == [9, 9]
    assert [t.hour for t in autumn] == [7, 8]


def test_a_daily_0230_on_the_night_without_one_is_0330_and_the_next_day_0230():
    rule = Recurrence("FREQ=DAILY", datetime(2027, 3, 20, 2, 30))
    times = occurrences(rule, datetime(2027, 3, 27, 12, tzinfo=UTC), 2)
    assert [t.astimezone(COPENHAGEN).strftime("%d %H:%M") for t in times] == [
        "28 03:30",
        "29 02:30",
    ]


def test_a_daily_0230_on_the_night_with_two_is_sent_once():
    rule = Recurrence("FREQ=DAILY", datetime(2026, 10, 20, 2, 30))
    times = occurrences(rule, datetime(2026, 10, 24, 12, tzinfo=UTC), 2)
    assert times[0] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02.30 (summer)
    assert times[1].astimezone(COPENHAGEN).strftime("%d %H:%M") == "26 02:30"


def test_monthly_on_the_31st_clamps_to_the_month_end():
    rule = Recurrence("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", datetime(2027, 1, 31, 9))
    times = occurrences(rule, datetime(2027, 1, 1, tzinfo=UTC), 5)
    assert [t.astimezone(COPENHAGEN).strftime("%m-%d") for t in times] == [
        "01-31",
        "02-28",
        "03-31",
        "04-30",
        "05-31",
    ]


def test_the_stored_text_round_trips():
    rule = request("påmind os hver mandag kl. 9 om møde").recurrence
    assert rule.text == "DTSTART;TZID=Europe/Copenhagen:20261201T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO"
    after = datetime(2026, 12, 8, 12, tzinfo=UTC)
    assert next_occurrence(rule.text, COPENHAGEN, after) == next_occurrence(rule, COPENHAGEN, after)


def test_a_finished_rule_has_no_next_occurrence():
    rule = Recurrence("FREQ=DAILY;COUNT=2", datetime(2026, 12, 1, 9))
    assert next_occurrence(rule, COPENHAGEN, datetime(2026, 12, 3, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("text", "da", "en"),
    [
        ("påmind os hver mandag kl. 9 om x", "hver mandag kl. 9.00", "every Monday at 09:00"),
        (
            "påmind os hver dag kl. 8.30 på hverdage om x",
            "alle hverdage kl. 8.30",
            "every weekday at 08:30",
        ),
        (
            "påmind mig den første tirsdag i hver måned kl. 10 om x",
            "den første tirsdag i hver måned kl. 10.00",
            "the first Tuesday of every month at 10:00",
        ),
    ],
)
def test_described_in_words(text, da, en):
    rule = request(text).recurrence
    assert (describe_recurrence(rule), describe_recurrence(rule, "en")) == (da, en)
