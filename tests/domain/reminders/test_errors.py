"""Everything a reminder command can get wrong comes back as a typed reason, never a raise."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import ReminderError, parse_reminder

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)
APRIL = datetime(2027, 4, 10, 10, 0, tzinfo=COPENHAGEN)


def error(text: str, now: datetime = NOW) -> ReminderError:
    result = parse_reminder(text, now)
    assert isinstance(result, ReminderError), result
    return result


@pytest.mark.parametrize(
    ("text", "reason", "detail"),
    [
        ("påmind mig 30/2 om x", "impossible_date", "30/2"),
        ("påmind mig 31. april om x", "impossible_date", "31. april"),
        ("remind me on 31 April to x", "impossible_date", "on 31 April"),
        ("påmind mig 12/13 om x", "impossible_date", "12/13"),
        ("påmind mig 29/2-2027 om x", "impossible_date", "29/2-2027"),
        ("påmind mig kl. 25 om x", "impossible_time", "kl. 25"),
        ("påmind mig i morgen kl. 9.75 om x", "impossible_time", "kl. 9.75"),
        ("remind me tomorrow at 13pm to x", "impossible_time", "at 13pm"),
        ("påmind mig kl. 9 om kaffe", "in_the_past", ""),  # today, and 9.00 has passed
        ("påmind mig 1/1-2020 om x", "in_the_past", ""),
        ("påmind mig 1. december om x", "in_the_past", ""),  # today, default 9.00 has passed
        ("påmind mig 1/1-2040 om x", "too_far", ""),
        ("påmind mig i morgen kl. 9 kl. 10 om x", "conflicting_times", "kl. 10"),
        ("påmind mig i morgen fredag om x", "conflicting_times", "fredag"),
        ("påmind mig om 10 min i morgen om x", "conflicting_times", ""),
        ("påmind mig fredag den 17. december om x", "weekday_mismatch", ""),
    ],
)
def test_reason(text, reason, detail):
    found = error(text)
    assert (found.reason, found.detail) == (reason, detail)
    assert found.text == "x" or reason == "in_the_past"


def test_the_31st_in_a_month_without_one_is_refused_not_moved():
    found = error("påmind mig den 31. om x", APRIL)
    assert (found.reason, found.detail, found.day) == (
        "impossible_date",
        "den 31.",
        date(2027, 4, 1),
    )


def test_a_day_of_month_that_passed_is_next_month():
    result = parse_reminder("påmind mig den 5. kl. 9 om x", APRIL)
    assert not isinstance(result, ReminderError)
    assert result.due_at.astimezone(COPENHAGEN).date() == date(2027, 5, 5)


def test_missing_text():
    found = error("påmind mig i morgen kl. 9")
    assert (found.reason, found.missing_parts) == ("missing_text", ("text",))
    assert error("påmind mig på fredag om").reason == "missing_text"


def test_missing_time_keeps_the_text_for_a_dialog_that_asks_only_for_the_time():
    found = error("påmind mig om at svare KMD")
    assert (found.reason, found.text, found.missing_parts) == (
        "missing_time",
        "at svare KMD",
        ("time",),
    )
    found = error("remind me to reply to KMD")
    assert (found.reason, found.text) == ("missing_time", "reply to KMD")


def test_today_without_a_time_asks_for_the_time_and_keeps_the_day():
    found = error("påmind mig i dag om x")
    assert (found.reason, found.day, found.missing_parts) == (
        "missing_time",
        date(2026, 12, 1),
        ("time",),
    )


def test_nonsense_is_unrecognised_so_the_reply_can_show_an_example():
    assert error("påmind mig blabla").reason == "unrecognised"
    assert error("påmind mig").missing_parts == ("time", "text")
    assert error("remind me whenever").reason == "unrecognised"


def test_the_target_survives_an_error():
    assert error("påmind kanalen om noget").target == "conversation"
