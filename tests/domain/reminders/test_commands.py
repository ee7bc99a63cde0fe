"""Managing reminders, snoozing, and the confirmation's wording of a moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import (
    SNOOZE_CHOICES_DA,
    SNOOZE_CHOICES_EN,
    ManageCommand,
    ReminderError,
    format_moment,
    parse_manage_command,
    snooze_until,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("påmindelser", ManageCommand("list")),
        ("Påmindelser!", ManageCommand("list")),
        ("reminders", ManageCommand("list")),
        ("vis mine påmindelser", ManageCommand("list")),
        ("slet påmindelse 2", ManageCommand("delete", 2)),
        ("delete reminder 2", ManageCommand("delete", 2)),
        ("slet påmindelse nr. 12", ManageCommand("delete", 12)),
        ("abonner på påmindelser", ManageCommand("subscribe")),
        ("subscribe to reminders", ManageCommand("subscribe")),
        ("subscribe", ManageCommand("subscribe")),
        ("afmeld påmindelser", ManageCommand("unsubscribe")),
        ("afmeld", ManageCommand("unsubscribe")),
        ("unsubscribe", ManageCommand("unsubscribe")),
    ],
)
def test_manage_commands(text, command):
    assert parse_manage_command(text) == command


@pytest.mark.parametrize(
    "text", ["stop", "slet påmindelse 0", "hvornår sendes påmindelser?", "slet"]
)
def test_not_manage_commands(text):
    assert parse_manage_command(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("udsæt 10 min", "2026-12-01 10:10"),
        ("10 min", "2026-12-01 10:10"),
        ("1 time", "2026-12-01 11:00"),
        ("udsæt 1 time", "2026-12-01 11:00"),
        ("i morgen kl. 9", "2026-12-02 09:00"),
        ("udsæt til i morgen kl. 9", "2026-12-02 09:00"),
        ("snooze 1 hour", "2026-12-01 11:00"),
        ("snooze until tomorrow at 9", "2026-12-02 09:00"),
    ],
)
def test_snooze(text, expected):
    due = snooze_until(text, NOW)
    assert isinstance(due, datetime) and due.tzinfo == UTC
    assert due.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") == expected


def test_every_snooze_button_parses():
    for text in (*SNOOZE_CHOICES_DA, *SNOOZE_CHOICES_EN):
        assert isinstance(snooze_until(text, NOW), datetime), text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("udsæt blah", "unrecognised"),
        ("kl. 9", "in_the_past"),
        ("hver mandag", "conflicting_times"),
    ],
)
def test_snooze_errors(text, reason):
    found = snooze_until(text, NOW)
    assert isinstance(found, ReminderError) and found.reason == reason


def test_format_moment():
    moment = datetime(2021, 3, 19, 11, 0, tzinfo=UTC)  # 12.00 in Copenhagen (winter)
    assert format_moment(moment) == "fredag den 19. marts 2021 kl. 12.00"
    assert format_moment(moment, "en") == "Friday 19 March 2021 at 12:00"
    summer = datetime(2021, 6, 1, 7, 0, tzinfo=UTC)
    assert format_moment(summer) == "tirsdag den 1. juni 2021 kl. 9.00"
