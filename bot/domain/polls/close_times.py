"""Auto-close phrases: `luk om 10 min`, `luk kl. 14.30`, `close in 2 hours`, `close at 14:30`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from bot.domain.clock import COPENHAGEN
from bot.domain.polls.limits import MAX_CLOSE_MINUTES

CLOSE_WORDS = frozenset({"luk", "close"})
_IN_WORDS = frozenset({"om", "in"})
_AT_WORDS = frozenset({"kl", "kl.", "klokken", "at"})
_ONE = frozenset({"en", "et", "an", "a", "one"})
_MINUTES = frozenset({"m", "min", "min.", "mins", "minut", "minutter", "minute", "minutes"})
_HOURS = frozenset({"t", "t.", "time", "timer", "h", "hr", "hrs", "hour", "hours"})
# Anchored, no nested repetition: linear. "10", "10min"; "14", "14.30", "14:30", "kl.14.30".
_AMOUNT = re.compile(r"(\d{1,5})([a-z.]*)")
_CLOCK = re.compile(r"(?:kl\.?)?(\d{1,2})(?:[.:](\d{2}))?")


class CloseTimeError(ValueError):
    """`reason` is "close_time_invalid", "close_time_in_past" or "close_time_too_far"."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def read_close_time(words: Sequence[str], now: datetime) -> tuple[datetime, int]:
    """The close time the words after `luk`/`close` give, and how many words it took.

    A relative time is elapsed time (`luk om 2 timer` is 2 hours later, also across a DST
    change). A clock time is today in Copenhagen; one that has passed is an error, never
    silently tomorrow. A clock time that does not exist on the day clocks go forward (02.30)
    is read with the winter offset: 02.30 becomes 03.30 summer time.
    """
    lowered = [w.lower() for w in words[:3]]
    if lowered and lowered[0] in _IN_WORDS:
        minutes, used = _minutes(lowered[1:])
        if minutes > MAX_CLOSE_MINUTES:
            raise CloseTimeError("close_time_too_far")
        return now + timedelta(minutes=minutes), 1 + used
    if lowered and lowered[0] in _AT_WORDS:
        return _today_at(lowered[1:2], now), 2
    if lowered and lowered[0].startswith("kl"):
        return _today_at(lowered[:1], now), 1
    raise CloseTimeError("close_time_invalid")


def _minutes(words: Sequence[str]) -> tuple[int, int]:
    if not words:
        raise CloseTimeError("close_time_invalid")
    unit, used = "", 1
    if words[0] in _ONE:
        amount, unit = 1, words[1] if len(words) > 1 else ""
        used = 2
    else:
        match = _AMOUNT.fullmatch(words[0])
        if match is None:
            raise CloseTimeError("close_time_invalid")
        amount, unit = int(match.group(1)), match.group(2)
        if not unit and len(words) > 1:
            unit, used = words[1], 2
    if unit.rstrip(",") in _MINUTES:
        minutes = amount
    elif unit.rstrip(",") in _HOURS:
        minutes = amount * 60
    else:
        raise CloseTimeError("close_time_invalid")
    if minutes < 1:
        raise CloseTimeError("close_time_in_past")
    return minutes, used


def _today_at(words: Sequence[str], now: datetime) -> datetime:
    match = _CLOCK.fullmatch(words[0].rstrip(",")) if words else None
    if match is None:
        raise CloseTimeError("close_time_invalid")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise CloseTimeError("close_time_invalid")
    today = now.astimezone(COPENHAGEN).date()
    at = datetime.combine(today, time(hour, minute), tzinfo=COPENHAGEN).astimezone(UTC)
    if at <= now:
        raise CloseTimeError("close_time_in_past")
    return at
