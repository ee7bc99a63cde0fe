"""Replies and proactive messages through our connector client, against the fake connector."""

from __future__ import annotations

import pytest

from bot.channel.outbound import ConversationForbidden, ConversationNotFound
from bot.channel.references import MissingServiceUrl, reference_from_record
from tests.support import activities as a


async def test_a_throttled_reply_is_retried_after_retry_after(bot, connector):
    connector.fail_next(429, retry_after="1")
    status, _ = await bot.post(a.personal_message(connector.url, "hjælp"))
    assert status == 200
    first, second = connector.sent()
    assert second.at - first.at >= 0.9, "Retry-After: 1 was honoured"
    stats = bot.runtime.authentication.stats.snapshot()
    assert stats["retried"] == {"429": 1}
    assert stats["sent_by_operation"] == {"reply": 1}


async def test_a_server_error_is_retried(bot, connector):
    connector.fail_next(503)
    await bot.post(a.personal_message(connector.url, "hjælp"))
    assert len(connector.sent()) == 2
    assert bot.runtime.authentication.stats.snapshot()["retried"] == {"503": 1}


async def test_replies_reuse_one_connection(bot, connector):
    for _ in range(10):
        await bot.post(a.personal_message(connector.url, "hjælp"))
    ports = {call.client_port for call in connector.sent()}
    assert len(ports) <= 2


async def _stored_reference(bot, connector, conversation=None):
    activity = a.group_message(connector.url, "hjælp", mention=True, chat=conversation or "p")
    await bot.post(activity)
    record = await bot.runtime.conversations.get(activity["conversation"]["id"])
    connector.clear()
    return reference_from_record(record)


async def _proactive(bot, reference, text="Påmindelse: svar KMD i dag"):
    async def say(turn_context):
        await turn_context.send_activity(text)

    await bot.runtime.adapter.continue_conversation(reference, say, bot_app_id="")


async def test_proactive_message_goes_to_the_stored_conversation(bot, connector):
    reference = await _stored_reference(bot, connector)
    assert reference.conversation.tenant_id == a.TENANT
    await _proactive(bot, reference)
    [call] = connector.sent()
    assert call.conversation_id == "19:p@thread.v2"
    assert call.activity_id is None, "a new message, not a reply"
    assert call.text == "Påmindelse: svar KMD i dag"


@pytest.mark.parametrize(
    "status, error", [(403, ConversationForbidden), (404, ConversationNotFound)]
)
async def test_a_removed_bot_is_reported_to_the_caller_without_retries(
    bot, connector, status, error
):
    reference = await _stored_reference(bot, connector)
    connector.fail_next(status)
    with pytest.raises(error) as raised:
        await _proactive(bot, reference)
    assert raised.value.status == status
    assert len(connector.sent()) == 1
    assert bot.runtime.authentication.stats.snapshot()["failed"] == {str(status): 1}


async def test_a_reference_without_service_url_is_refused(bot, connector):
    reference = await _stored_reference(bot, connector)
    reference.service_url = ""
    with pytest.raises(MissingServiceUrl):
        await _proactive(bot, reference)
    assert connector.calls == []
