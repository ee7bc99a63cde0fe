"""LeanTurnContext: the SDK's send pipeline, without the reference cycle the SDK leaves."""

import gc
import warnings
import weakref

import pytest
from botbuilder.core import BotAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ResourceResponse

from bot.channel.adapter import LeanTurnContext


class _RecordingAdapter(BotAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []

    async def send_activities(self, context, activities):
        self.sent.extend(activities)
        return [ResourceResponse(id=f"r{len(self.sent)}") for _ in activities]

    async def update_activity(self, context, activity):
        raise NotImplementedError

    async def delete_activity(self, context, reference):
        raise NotImplementedError


def _incoming() -> Activity:
    return Activity(
        type="message",
        id="a1",
        text="hjælp",
        channel_id="msteams",
        service_url="https://smba.example/",
        from_property=ChannelAccount(id="29:user"),
        recipient=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id="a:conv"),
    )


async def test_send_handlers_run_in_order_before_the_send():
    adapter = _RecordingAdapter()
    context = LeanTurnContext(adapter, _incoming())
    seen: list[str] = []

    async def first(ctx, activities, next_handler):
        seen.append("first")
        activities[0].text += " (1)"
        await next_handler()
        seen.append("first after")

    async def second(ctx, activities, next_handler):
        assert ctx is context
        seen.append("second")
        activities[0].text += " (2)"
        await next_handler()

    context.on_send_activities(first).on_send_activities(second)
    response = await context.send_activity("svar")
    assert seen == ["first", "second", "first after"]
    assert [a.text for a in adapter.sent] == ["svar (1) (2)"]
    assert response.id == "r1" and context.responded


async def test_a_failing_handler_fails_the_send_and_sends_nothing():
    adapter = _RecordingAdapter()
    context = LeanTurnContext(adapter, _incoming())

    async def refuse(ctx, activities, next_handler):
        raise RuntimeError("no")

    context.on_send_activities(refuse)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError):
            await context.send_activity("svar")
        gc.collect()
    assert adapter.sent == []
    # The send that never happened is closed, not left behind for a "never awaited" warning.
    assert not [w for w in caught if "never awaited" in str(w.message)]


async def test_a_turn_leaves_no_reference_cycle():
    # The SDK's handler chain is a closure that refers to itself; every send kept the context,
    # its activity and turn state alive until the cycle collector ran (long pauses under load).
    adapter = _RecordingAdapter()
    context = LeanTurnContext(adapter, _incoming())

    async def passing(ctx, activities, next_handler):
        await next_handler()

    context.on_send_activities(passing)
    await context.send_activity("svar")
    await context.send_activity("igen")
    alive = weakref.ref(context)
    activity = weakref.ref(context.activity)
    gc.disable()
    try:
        del context
        assert alive() is None and activity() is None  # freed at once, without a collection
    finally:
        gc.enable()
