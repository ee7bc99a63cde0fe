"""ConversationPacer: Teams' per-conversation windows, FIFO order, independent conversations."""

from __future__ import annotations

import asyncio
import bisect

import pytest

from bot.channel.outbound import ConversationPacer


def max_in_window(stamps: list[float], window: float) -> int:
    """Most sends in any half-open window [t, t + window) (windows starting at a send suffice)."""
    ordered = sorted(stamps)
    return (
        max(bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered))
        if ordered
        else 0
    )


async def test_thousand_messages_respect_every_window_in_order(vclock):
    pacer = ConversationPacer(clock=vclock, sleep=vclock.sleep)
    grants: list[tuple[int, float]] = []
    other: list[float] = []

    async def send(conversation: str, n: int, out: list) -> None:
        async with pacer.lane(conversation) as take_slot:
            await take_slot()
            out.append((n, vclock.now) if out is grants else vclock.now)

    async def scenario() -> None:
        busy = [asyncio.create_task(send("19:busy@thread.v2", i, grants)) for i in range(1000)]
        await asyncio.sleep(0)  # the busy conversation has queued up before the quiet one
        quiet = [asyncio.create_task(send("a:quiet", i, other)) for i in range(5)]
        await asyncio.gather(*busy, *quiet)

    await vclock.run(scenario())

    order = [n for n, _ in grants]
    stamps = [t for _, t in grants]
    assert order == list(range(1000))  # FIFO within the conversation
    assert max_in_window(stamps, 1.0) <= 7
    assert max_in_window(stamps, 2.0) <= 8
    assert max_in_window(stamps, 30.0) <= 60
    # Not needlessly slow either: 1,000 at 60 per 30 s is just under 500 s.
    assert 480 <= stamps[-1] <= 520
    # The quiet conversation went at once, not behind the busy one's queue.
    assert other == [0.0] * 5


async def test_a_lane_is_held_across_retries(vclock):
    pacer = ConversationPacer(limits=[(2, 10.0)], clock=vclock, sleep=vclock.sleep)
    log: list[tuple[str, float]] = []

    async def sender(name: str, attempts: int) -> None:
        async with pacer.lane("c") as take_slot:
            for _ in range(attempts):
                await take_slot()  # every attempt counts against the limits
                log.append((name, vclock.now))

    async def scenario() -> None:
        await asyncio.gather(sender("first", 3), sender("second", 1))

    await vclock.run(scenario())
    assert log == [("first", 0.0), ("first", 0.0), ("first", 10.0), ("second", 10.0)]


async def test_idle_conversations_are_forgotten(vclock):
    pacer = ConversationPacer(
        limits=[(7, 1.0), (60, 30.0)], clock=vclock, sleep=vclock.sleep, sweep_interval=60.0
    )
    for i in range(100):
        async with pacer.lane(f"c{i}") as take_slot:
            await take_slot()
    assert pacer.tracked == 100
    vclock.now += 61
    async with pacer.lane("fresh") as take_slot:
        await take_slot()
    assert pacer.tracked == 1


async def test_lane_count_stays_bounded_under_pressure(vclock):
    pacer = ConversationPacer(clock=vclock, sleep=vclock.sleep, max_lanes=50)
    for i in range(200):
        vclock.now += 1.0
        async with pacer.lane(f"c{i}") as take_slot:
            await take_slot()
    # Lanes quiet for longer than the 30 s window are dropped when the cap is reached.
    assert pacer.tracked <= 50 + 31


async def test_channel_threads_share_the_channel_lane(vclock):
    pacer = ConversationPacer(limits=[(1, 5.0)], clock=vclock, sleep=vclock.sleep)
    stamps: list[float] = []

    async def send(conversation: str) -> None:
        async with pacer.lane(conversation) as take_slot:
            await take_slot()
            stamps.append(vclock.now)

    async def scenario() -> None:
        await asyncio.gather(
            send("19:chan@thread.tacv2;messageid=1"),
            send("19:chan@thread.tacv2;messageid=2"),
            send("19:chan@thread.tacv2"),
            send("19:other@thread.tacv2;messageid=1"),
        )

    await vclock.run(scenario())
    assert stamps == [0.0, 0.0, 5.0, 10.0]


def test_limits_are_validated():
    with pytest.raises(ValueError):
        ConversationPacer(limits=[(0, 1.0)])


async def test_arrivals_keep_the_limits_when_sends_take_varying_time(vclock):
    """A send counts from when its answer came back: however long the POST took, the next
    one leaves only after that, so the receiving end never sees more than the limit."""
    pacer = ConversationPacer(limits=[(3, 1.0)], clock=vclock, sleep=vclock.sleep)
    durations = [0.6, 0.0, 0.0, 0.0, 0.6, 0.0, 0.0, 0.0]
    arrivals: list[float] = []

    async def send(n: int) -> None:
        async with pacer.lane("c") as turn:
            await turn()
            started = vclock.now
            await vclock.sleep(durations[n])  # on the way; it arrives just before the answer
            arrivals.append(started + durations[n])
            turn.sent()

    async def scenario() -> None:
        await asyncio.gather(*(send(n) for n in range(len(durations))))

    await vclock.run(scenario())
    assert len(arrivals) == len(durations)
    # With stamps taken only before each POST, a slow first send and fast later ones would put
    # four arrivals inside one second here.
    assert max_in_window(arrivals, 1.0) <= 3
