"""Hostile text of the longest parsed length finishes: every parser here is linear."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.reminders import parse_breakout, parse_manage_command, parse_reminder, snooze_until
from bot.domain.text_limits import MAX_PARSED_CHARS

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)


def repeated(unit: str, size: int = MAX_PARSED_CHARS) -> str:
    return (unit * (size // len(unit) + 1))[:size]


HOSTILE = [
    "påmind mig " + repeated("i morgen "),
    "påmind mig " + repeated("kl. 9 "),
    "påmind mig " + repeated("om "),
    "påmind mig om " + repeated("1"),
    "påmind mig " + repeated("hver mandag og "),
    "påmind mig om at " + repeated("x kl. ") + "9",
    "påmind mig " + repeated("19/3 "),
    "påmind mig " + repeated(" ") + "x",
    "påmind mig " + repeated(".") + "x",
    "remind me " + repeated("in 2 hours and "),
    "grupper af 3 i 10 min: " + repeated("om "),
    "grupper af " + repeated("3"),
    repeated("slet påmindelse "),
    repeated("udsæt 10 min "),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_finishes_with_a_result(text):
    # A complexity guard, not a benchmark: the timeout only catches catastrophic backtracking.
    for _ in range(3):
        parse_reminder(text * 2, NOW)  # twice the parsed length: the rest is cut, not read
        parse_breakout(text)
        parse_manage_command(text)
        snooze_until(text, NOW)
