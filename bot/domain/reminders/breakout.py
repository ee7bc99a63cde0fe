"""Breakout groups: "grupper af 3 i 10 min: …" understood, and members dealt into groups."""

from __future__ import annotations

import random
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, TypeVar

from bot.domain.commands import clean_text
from bot.domain.reminders.vocabulary import END, NUMBER_WORD, number_of

T = TypeVar("T", bound=Hashable)
BreakoutReason = Literal["invalid_group_size", "invalid_duration", "too_few_members"]
MAX_GROUP_SIZE = 50
MAX_MINUTES = 8 * 60


@dataclass(frozen=True, slots=True)
class BreakoutRequest:
    size: int
    duration: timedelta | None  # None: groups without a timer
    task: str = ""


@dataclass(frozen=True, slots=True)
class BreakoutError:
    reason: BreakoutReason
    detail: str = ""


_COUNT = rf"(?:\d{{1,4}}|{NUMBER_WORD})"
_UNITS = {"min": 1, "minutter": 1, "minut": 1, "minutes": 1, "minute": 1, "mins": 1}
_UNITS |= {"m": 1, "time": 60, "timer": 60, "hour": 60, "hours": 60, "t": 60, "h": 60}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_BREAKOUT = re.compile(
    rf"(?:breakout(?:[\s-]?(?:rooms?|grupper|groups))?\s?[:,·]?\s)?(?:i\s|in\s)?"
    rf"(?:grupper|groups)\s(?:af|på|pa|of)\s(?P<size>{_COUNT}){END}"
    rf"(?:\s?[,·]?\s(?:(?:i|for|in)\s)?(?P<n>\d{{1,4}})\s?(?P<u>{_UNIT}){END})?"
    r"(?:\s?(?::|\bom\b|\babout\b|\bwith\b|–|-)\s?(?P<task>.*))?",
    re.IGNORECASE | re.DOTALL,
)


def parse_breakout(text: str) -> BreakoutRequest | BreakoutError | None:
    """`grupper af 3 i 10 min: …`, `breakout grupper af 3, 10 min`, `groups of 3 for 10 min
    about …`; None when the message is not a breakout command."""
    line = clean_text(text)
    m = _BREAKOUT.fullmatch(line)
    if m is None:
        return None
    size = number_of(m["size"])
    if not 2 <= size <= MAX_GROUP_SIZE:
        return BreakoutError("invalid_group_size", m["size"])
    duration = None
    if m["n"]:
        minutes = int(m["n"]) * _UNITS[m["u"].lower()]
        if not 1 <= minutes <= MAX_MINUTES:
            return BreakoutError("invalid_duration", f"{m['n']} {m['u']}")
        duration = timedelta(minutes=minutes)
    return BreakoutRequest(size, duration, (m["task"] or "").strip())


def group_sizes(count: int, size: int) -> list[int]:
    """Sizes of the groups for `count` people in groups of about `size`.

    As many groups of `size` as fit, the rest spread one each over them (7 in threes: 4 + 3);
    when the rest is larger than the number of groups, one more group instead (9 in fives:
    5 + 4, not 9). Sizes differ by at most one; never a group of one (2 people: one pair).
    """
    if count < 2:
        return []
    groups = max(1, count // size)
    if count - groups * size > groups:
        groups += 1
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def split_into_groups(
    members: Sequence[T], size: int, rng: random.Random | None = None
) -> list[list[T]] | BreakoutError:
    """`members` (the bot already left out) shuffled into groups; each member exactly once."""
    unique = list(dict.fromkeys(members))  # someone listed twice still gets one seat
    if len(unique) < 2:
        return BreakoutError("too_few_members", str(len(unique)))
    if size < 2:
        return BreakoutError("invalid_group_size", str(size))
    (rng or random.Random()).shuffle(unique)
    groups, start = [], 0
    for n in group_sizes(len(unique), size):
        groups.append(unique[start : start + n])
        start += n
    return groups
