"""SUBSCRIPTION_REMINDER_DAYS / SUBSCRIPTION_REMINDER_TIME: read, checked, explained."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)


def test_the_defaults_are_a_week_and_a_day_before_at_nine():
    default = settings()
    assert default.subscription_reminder_days == (7, 1)
    assert default.subscription_remind_at == time(9, 0)


@pytest.mark.parametrize(
    ("days", "expected"),
    [("7,1", (7, 1)), ("1, 7, 7", (7, 1)), ("14,3,0", (14, 3, 0)), ("2", (2,))],
)
def test_days_from_the_environment(monkeypatch, days, expected):
    monkeypatch.setenv("SUBSCRIPTION_REMINDER_DAYS", days)
    assert settings().subscription_reminder_days == expected


@pytest.mark.parametrize(("text", "expected"), [("8:30", time(8, 30)), ("9.15", time(9, 15))])
def test_the_time_of_day(monkeypatch, text, expected):
    monkeypatch.setenv("SUBSCRIPTION_REMINDER_TIME", text)
    assert settings().subscription_remind_at == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SUBSCRIPTION_REMINDER_DAYS", ""),
        ("SUBSCRIPTION_REMINDER_DAYS", "7,-1"),
        ("SUBSCRIPTION_REMINDER_DAYS", "400"),
        ("SUBSCRIPTION_REMINDER_DAYS", "en uge"),
        ("SUBSCRIPTION_REMINDER_TIME", "25:00"),
        ("SUBSCRIPTION_REMINDER_TIME", "ni"),
    ],
)
def test_nonsense_is_refused_at_start_up(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        settings()
