"""The stock CloudAdapter driven through MoedebotFrameworkAuthentication and our connector."""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.channel.auth import AuthenticationFailed, EdgeConfig
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.outbound import ConversationForbidden, MissingServiceUrl

CONVERSATION = "19:meeting_abc@thread.v2"


def inbound(service_url: str) -> Activity:
    return Activity(
        type="message",
        id="1700000000001",
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id=CONVERSATION),
        from_property=ChannelAccount(id="29:user", name="User"),
        recipient=ChannelAccount(id="28:bot", name="Mødebot"),
        text="hej",
        channel_data={"tenant": {"id": "tenant-1"}},
    )


@pytest.fixture
async def edge(session, connector):
    edge = MoedebotFrameworkAuthentication(EdgeConfig(), session)
    await edge.start()
    yield edge
    await edge.close()


async def test_reply_update_delete_and_member_lookup_through_the_adapter(edge, connector, fk):
    adapter = CloudAdapter(edge)
    seen = {}

    async def bot(context: TurnContext) -> None:
        sent = await context.send_activity("svar")
        seen["reply_id"] = sent.id
        edit = Activity(
            type="message", id=sent.id, text="rettet", conversation=context.activity.conversation
        )
        await context.update_activity(edit)
        await context.delete_activity(sent.id)
        connector.program(fk.Reply(200, {"id": "29:user", "email": "u@x.dk", "name": "User"}))
        seen["member"] = await TeamsInfo.get_member(context, "29:user")

    await adapter.process_activity("", inbound(connector.base_url), bot)

    methods = [(r.method, r.path) for r in connector.requests]
    base = f"/v3/conversations/{CONVERSATION}/activities"
    assert methods == [
        ("POST", f"{base}/1700000000001"),
        ("PUT", f"{base}/{seen['reply_id']}"),
        ("DELETE", f"{base}/{seen['reply_id']}"),
        ("GET", f"/v3/conversations/{CONVERSATION}/members/29:user"),
    ]
    assert connector.requests[0].body["text"] == "svar"
    assert connector.requests[0].body["replyToId"] == "1700000000001"
    assert seen["member"].email == "u@x.dk"
    assert edge.stats.sent == 4


async def test_delivery_errors_reach_the_bot(edge, connector):
    adapter = CloudAdapter(edge)
    connector.program(403)
    caught = []

    async def bot(context: TurnContext) -> None:
        try:
            await context.send_activity("svar")
        except ConversationForbidden as exc:
            caught.append(exc)

    await adapter.process_activity("", inbound(connector.base_url), bot)
    assert caught and caught[0].conversation_id == CONVERSATION
    assert edge.stats.failed == {"403": 1}


async def test_missing_service_url_is_refused(edge, connector):
    adapter = CloudAdapter(edge)
    ran = []

    async def bot(context: TurnContext) -> None:
        ran.append(True)

    with pytest.raises(MissingServiceUrl):
        await adapter.process_activity("", inbound(""), bot)
    assert not ran and connector.requests == []


async def test_bad_token_stops_before_any_bot_logic(session, connector):
    config = EdgeConfig(
        app_id="app", app_password="pw", openid_metadata_url=f"{connector.base_url}/metadata"
    )
    edge = MoedebotFrameworkAuthentication(config, session)
    adapter = CloudAdapter(edge)
    ran = []

    async def bot(context: TurnContext) -> None:
        ran.append(True)

    for header in ("", "Bearer garbage", "Basic abc"):
        with pytest.raises(AuthenticationFailed):
            await adapter.process_activity(header, inbound(connector.base_url), bot)
    assert not ran and connector.requests == []
    await edge.close()


async def test_proactive_continue_conversation_uses_our_connector(edge, connector):
    adapter = CloudAdapter(edge)
    reference = TurnContext.get_conversation_reference(inbound(connector.base_url))

    async def callback(context: TurnContext) -> None:
        await context.send_activity("påmindelse")

    await adapter.continue_conversation(reference, callback, "")
    sent = connector.requests[-1]
    # The SDK's continuation activity has an id, so the proactive message goes as a "reply".
    assert sent.method == "POST"
    assert sent.path.startswith(f"/v3/conversations/{CONVERSATION}/activities")
    assert sent.body["text"] == "påmindelse"
