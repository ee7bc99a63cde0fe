"""Outbound messages go through the pacer: order kept per conversation, limits held, reads free."""

from __future__ import annotations

import asyncio

from botbuilder.schema import Activity

from bot.channel.outbound import (
    AadTokenProvider,
    ConnectorTransport,
    ConversationPacer,
    DeliveryStats,
    MoedebotConnectorFactory,
)


class JumpClock:
    """Sleeping jumps time forward; fine here because one conversation sends at a time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


async def test_concurrent_sends_to_one_conversation_are_paced_and_ordered(session, connector):
    clock = JumpClock()
    pacer = ConversationPacer(clock=clock, sleep=clock.sleep)
    tokens = AadTokenProvider(session, app_id="", app_password="", tenant="t")
    transport = ConnectorTransport(session, tokens, stats=DeliveryStats(), pacer=pacer)
    ops = MoedebotConnectorFactory(transport).client_for(connector.base_url).conversations

    stamps: list[float] = []
    connector.on_request = lambda request: stamps.append(clock.now)

    sends = [
        ops.send_to_conversation("conv-A", Activity(type="message", text=str(i))) for i in range(20)
    ]
    updates = [
        ops.update_activity("conv-A", "x", Activity(type="message", text=f"u{i}")) for i in range(2)
    ]
    await asyncio.gather(*sends, *updates)

    texts = [r.body["text"] for r in connector.requests]
    assert texts == [str(i) for i in range(20)] + ["u0", "u1"]
    assert max(sum(1 for t in stamps if s <= t < s + 1.0) for s in stamps) <= 7
    assert max(sum(1 for t in stamps if s <= t < s + 2.0) for s in stamps) <= 8
    assert clock.sleeps  # the pacer really made senders wait

    # Reads and deletes are not paced: they do not touch the clock.
    waits_before = len(clock.sleeps)
    await asyncio.gather(*(ops.get_conversation_members("conv-A") for _ in range(20)))
    await asyncio.gather(*(ops.delete_activity("conv-A", f"d{i}") for i in range(10)))
    assert len(clock.sleeps) == waits_before
