"""Breakout commands, and members dealt into groups of even sizes, never alone."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.domain.reminders import (
    BreakoutError,
    BreakoutRequest,
    group_sizes,
    parse_breakout,
    split_into_groups,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grupper af 3 i 10 min", BreakoutRequest(3, timedelta(minutes=10))),
        ("breakout grupper af 3, 10 min", BreakoutRequest(3, timedelta(minutes=10))),
        ("BREAKOUT · grupper af 3 · 10 min", BreakoutRequest(3, timedelta(minutes=10))),
        ("groups of 3 for 10 min", BreakoutRequest(3, timedelta(minutes=10))),
        (
            "grupper af 4 i 15 min: diskuter rollerne",
            BreakoutRequest(4, timedelta(minutes=15), "diskuter rollerne"),
        ),
        ("grupper af 2 i 5 min om KP Basis", BreakoutRequest(2, timedelta(minutes=5), "KP Basis")),
        (
            "groups of 3 for 1 hour about onboarding",
            BreakoutRequest(3, timedelta(hours=1), "onboarding"),
        ),
        ("grupper af tre", BreakoutRequest(3, None)),
    ],
)
def test_parse(text, expected):
    assert parse_breakout(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("grupper af 1 i 10 min", "invalid_group_size"),
        ("groups of 100", "invalid_group_size"),
        ("grupper af 3 i 0 min", "invalid_duration"),
        ("grupper af 3 i 900 min", "invalid_duration"),
    ],
)
def test_parse_errors(text, reason):
    found = parse_breakout(text)
    assert isinstance(found, BreakoutError) and found.reason == reason


def test_not_a_breakout():
    assert parse_breakout("hvem er i gruppen?") is None


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (2, 3, [2]),
        (4, 3, [4]),
        (5, 3, [3, 2]),
        (6, 3, [3, 3]),
        (7, 3, [4, 3]),
        (9, 5, [5, 4]),
        (10, 3, [4, 3, 3]),
        (7, 2, [3, 2, 2]),
        (11, 4, [4, 4, 3]),
    ],
)
def test_group_sizes(count, size, sizes):
    assert group_sizes(count, size) == sizes


@pytest.mark.parametrize("size", [2, 3, 4, 5])
def test_every_member_once_in_even_groups_never_alone(size):
    for count in range(2, 40):
        members = [f"m{i}" for i in range(count)]
        groups = split_into_groups(members, size, random.Random(count))
        assert not isinstance(groups, BreakoutError)
        flat = [m for g in groups for m in g]
        assert sorted(flat) == sorted(members)
        lengths = [len(g) for g in groups]
        assert min(lengths) >= 2 and max(lengths) - min(lengths) <= 1, (count, lengths)


def test_seeded_random_is_deterministic_and_actually_shuffles():
    members = list("abcdefgh")
    first = split_into_groups(members, 3, random.Random(7))
    assert first == split_into_groups(members, 3, random.Random(7))
    assert any(split_into_groups(members, 3, random.Random(s)) != first for s in range(5))


def test_too_few_members():
    assert split_into_groups(["a"], 3) == BreakoutError("too_few_members", "1")
    assert split_into_groups(["a", "a"], 3) == BreakoutError("too_few_members", "1")
    assert split_into_groups([], 3) == BreakoutError("too_few_members", "0")
