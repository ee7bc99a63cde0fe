"""Close times with a fixed clock, across the DST changes in Copenhagen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.polls.close_times import CloseTimeError, read_close_time


def at(words: str, now: datetime) -> datetime:
    closes, used = read_close_time(words.split(), now)
    assert used == len(words.split())
    return closes


def test_a_clock_time_is_today_in_copenhagen_winter_and_summer():
    winter = FixedClock(datetime(2021, 3, 24, 9, 0, tzinfo=UTC))  # 10.00 CET
    summer = FixedClock(datetime(2021, 3, 29, 8, 0, tzinfo=UTC))  # 10.00 CEST
    assert at("kl. 14.30", winter.now()) == datetime(2021, 3, 24, 13, 30, tzinfo=UTC)
    assert at("kl. 14.30", summer.now()) == datetime(2021, 3, 29, 12, 30, tzinfo=UTC)


def test_on_the_day_clocks_go_forward():
    clock = FixedClock(datetime(2021, 3, 28, 0, 30, tzinfo=UTC))  # 01.30 CET
    assert at("kl 14:30", clock.now()) == datetime(2021, 3, 28, 12, 30, tzinfo=UTC)  # CEST
    # 02.30 does not exist that night: read with the winter offset, 03.30 summer time.
    gap = at("kl 02:30", clock.now())
    assert gap == datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    assert gap.astimezone(COPENHAGEN).hour == 3
    # Relative times are elapsed time: two hours later is 04.30 summer time.
    assert at("om 2 timer", clock.now()) == clock.now() + timedelta(hours=2)


def test_on_the_day_clocks_go_back():
    clock = FixedClock(datetime(2021, 10, 31, 0, 15, tzinfo=UTC))  # 02.15 CEST, first time
    # 02.45 comes twice; the first (summer time) is meant, and it is still ahead.
    assert at("kl. 2.45", clock.now()) == datetime(2021, 10, 31, 0, 45, tzinfo=UTC)
    assert at("kl. 14.00", clock.now()) == datetime(2021, 10, 31, 13, 0, tzinfo=UTC)  # CET


def test_today_means_the_copenhagen_day_not_the_utc_day():
    late = FixedClock(datetime(2021, 3, 24, 23, 30, tzinfo=UTC))  # 00.30 on the 25th locally
    assert at("kl. 8.00", late.now()) == datetime(2021, 3, 25, 7, 0, tzinfo=UTC)


def test_a_past_time_is_an_error_not_tomorrow():
    clock = FixedClock(datetime(2021, 3, 24, 13, 0, tzinfo=UTC))  # 14.00
    for words in ("kl. 13.59", "kl. 14.00", "at 9:00"):
        with pytest.raises(CloseTimeError) as raised:
            at(words, clock.now())
        assert raised.value.reason == "close_time_in_past"
    clock.advance(minutes=-1)
    assert at("kl. 14.00", clock.now()) == datetime(2021, 3, 24, 13, 0, tzinfo=UTC)


def test_words_after_the_close_phrase_are_left_alone():
    now = datetime(2021, 3, 24, 9, 0, tzinfo=UTC)
    closes, used = read_close_time(["om", "10", "min", "skjult"], now)
    assert (closes, used) == (now + timedelta(minutes=10), 3)
    closes, used = read_close_time(["om", "10min", "skjult"], now)
    assert (closes, used) == (now + timedelta(minutes=10), 2)
    closes, used = read_close_time(["kl.", "14.30", "flere"], now)
    assert used == 2
