"""Outbound calls against a fake connector: keep-alive, retries, typed errors, ids in URLs."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.channel.outbound import (
    AadTokenProvider,
    BotRemovedError,
    ConnectorTransport,
    ConversationForbidden,
    ConversationNotFound,
    DeliveryError,
    DeliveryStats,
    MoedebotConnectorFactory,
    RetryPolicy,
    parse_retry_after,
)

TEAMS_CONVERSATION = "19:abc123@thread.tacv2;messageid=1700000000000"
TEAMS_ACTIVITY = "1:1xYzAbC-dEf@g"


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def message(text: str = "hello") -> Activity:
    return Activity(
        type="message",
        text=text,
        conversation=ConversationAccount(id=TEAMS_CONVERSATION),
        from_property=ChannelAccount(id="28:bot"),
    )


def build(session, connector, *, app_id="", sleep=None, **transport_kwargs):
    tokens = AadTokenProvider(
        session,
        app_id=app_id,
        app_password="pw" if app_id else "",
        tenant="botframework.com",
        authority=connector.base_url,
    )
    stats = DeliveryStats()
    transport = ConnectorTransport(
        session, tokens, stats=stats, sleep=sleep or RecordingSleep(), **transport_kwargs
    )
    client = MoedebotConnectorFactory(transport).client_for(connector.base_url + "/emea/")
    return client, stats


async def test_sequential_replies_reuse_one_connection(session, connector):
    client, stats = build(session, connector)
    for i in range(25):
        await client.conversations.reply_to_activity("conv-1", "act-0", message(f"m{i}"))
    assert len(connector.requests) == 25
    assert len(connector.ports) <= 2
    assert stats.sent == 25


async def test_teams_ids_are_quoted_like_the_sdk(session, connector):
    client, _ = build(session, connector)
    await client.conversations.reply_to_activity(TEAMS_CONVERSATION, TEAMS_ACTIVITY, message())
    sent = connector.requests[-1]
    assert sent.method == "POST"
    assert sent.raw_path == (
        "/emea/v3/conversations/19%3Aabc123%40thread.tacv2%3Bmessageid%3D1700000000000"
        "/activities/1%3A1xYzAbC-dEf%40g"
    )
    assert sent.path == f"/emea/v3/conversations/{TEAMS_CONVERSATION}/activities/{TEAMS_ACTIVITY}"
    assert sent.body["text"] == "hello"
    assert sent.body["conversation"]["id"] == TEAMS_CONVERSATION
    assert sent.headers["Content-Type"].startswith("application/json")
    assert "Authorization" not in sent.headers  # local mode: no token


async def test_send_returns_the_resource_id(session, connector, fk):
    client, _ = build(session, connector)
    connector.program(fk.Reply(201, {"id": "1:new"}))
    response = await client.conversations.send_to_conversation(TEAMS_CONVERSATION, message())
    assert response.id == "1:new"
    assert connector.requests[-1].raw_path.endswith("%3D1700000000000/activities")


async def test_429_honours_retry_after(session, connector, fk):
    sleep = RecordingSleep()
    client, stats = build(session, connector, sleep=sleep)
    connector.program(fk.Reply(429, headers={"Retry-After": "1"}))
    response = await client.conversations.send_to_conversation("conv", message())
    assert response.id
    assert sleep.delays == [1.0]
    assert len(connector.requests) == 2
    assert stats.retried == {"429": 1} and stats.sent == 1 and not stats.failed


async def test_429_retry_after_really_waits(session, connector, fk):
    client, _ = build(session, connector, sleep=asyncio.sleep)
    connector.program(fk.Reply(429, headers={"Retry-After": "1"}))
    await client.conversations.send_to_conversation("conv", message())
    first, second = connector.requests
    assert second.at - first.at >= 0.95


async def test_retry_after_is_capped(session, connector, fk):
    sleep = RecordingSleep()
    client, _ = build(
        session, connector, sleep=sleep, retry=RetryPolicy(retry_after_cap=5.0, deadline=60.0)
    )
    connector.program(fk.Reply(429, headers={"Retry-After": "3600"}))
    await client.conversations.send_to_conversation("conv", message())
    assert sleep.delays == [5.0]


async def test_retry_that_would_pass_the_deadline_is_not_attempted(session, connector, fk):
    sleep = RecordingSleep()
    client, stats = build(
        session, connector, sleep=sleep, retry=RetryPolicy(retry_after_cap=30.0, deadline=10.0)
    )
    connector.program(fk.Reply(429, headers={"Retry-After": "20"}))
    with pytest.raises(DeliveryError) as failure:
        await client.conversations.send_to_conversation("conv", message())
    assert failure.value.status == 429
    assert sleep.delays == [] and len(connector.requests) == 1
    assert stats.failed == {"429": 1}


@pytest.mark.parametrize("status", [503, 502, 504, 412])
async def test_transient_status_is_retried_with_jittered_backoff(session, connector, status):
    sleep = RecordingSleep()
    client, stats = build(session, connector, sleep=sleep)
    connector.program(status, status)
    response = await client.conversations.reply_to_activity("conv", "a1", message())
    assert response.id
    assert len(connector.requests) == 3
    # Full jitter: each delay is within [0, base * 2^(n-1)].
    assert len(sleep.delays) == 2
    assert 0 <= sleep.delays[0] <= 0.5 and 0 <= sleep.delays[1] <= 1.0
    assert stats.retried == {str(status): 2}


async def test_persistent_503_gives_up_after_max_attempts(session, connector):
    client, stats = build(session, connector, retry=RetryPolicy(max_attempts=4))
    connector.program(503, 503, 503, 503, 503)
    with pytest.raises(DeliveryError) as failure:
        await client.conversations.send_to_conversation("conv", message())
    assert type(failure.value) is DeliveryError
    assert failure.value.status == 503 and failure.value.attempts == 4
    assert len(connector.requests) == 4
    assert stats.failed == {"503": 1} and stats.retried == {"503": 3}


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, DeliveryError),
        (401, DeliveryError),
        (403, ConversationForbidden),
        (404, ConversationNotFound),
        (409, DeliveryError),
    ],
)
async def test_final_statuses_are_not_retried(session, connector, status, error, caplog):
    sleep = RecordingSleep()
    client, stats = build(session, connector, sleep=sleep)
    connector.program(status)
    with caplog.at_level(logging.WARNING), pytest.raises(error) as failure:
        await client.conversations.reply_to_activity(TEAMS_CONVERSATION, "act-9", message())
    assert type(failure.value) is error
    assert failure.value.status == status
    assert failure.value.conversation_id == TEAMS_CONVERSATION
    assert failure.value.activity_id == "act-9"
    assert len(connector.requests) == 1 and sleep.delays == []
    assert stats.failed == {str(status): 1}
    assert TEAMS_CONVERSATION in caplog.text and "act-9" in caplog.text


def test_bot_removed_is_the_forbidden_error():
    assert BotRemovedError is ConversationForbidden
    assert issubclass(ConversationNotFound, DeliveryError)


class AdvancingSleep(RecordingSleep):
    """Sleeps that move a fake monotonic clock (`clock`) instead of waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    async def __call__(self, delay: float) -> None:
        await super().__call__(delay)
        self.now += delay

    def clock(self) -> float:
        return self.now


async def _closed_port() -> int:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    return port


def _dead_end(session, service_url, **transport_kwargs):
    sleep = AdvancingSleep()
    tokens = AadTokenProvider(session, app_id="", app_password="", tenant="t")
    stats = DeliveryStats()
    transport = ConnectorTransport(
        session, tokens, stats=stats, sleep=sleep, clock=sleep.clock, **transport_kwargs
    )
    return MoedebotConnectorFactory(transport).client_for(service_url), stats, sleep


@pytest.mark.parametrize("jitter", [0.0, 0.5, 1.0])
async def test_a_refused_connection_is_retried_briefly_then_reported(session, jitter):
    policy = RetryPolicy(refused_deadline=1.0)
    port = await _closed_port()
    client, stats, sleep = _dead_end(
        session, f"http://127.0.0.1:{port}/", retry=policy, rng=lambda: jitter
    )
    with pytest.raises(DeliveryError) as failure:
        await client.conversations.send_to_conversation("conv", message())
    assert failure.value.status is None and failure.value.reason == "connection refused"
    assert 2 <= failure.value.attempts <= policy.max_attempts
    assert sleep.now <= policy.refused_deadline
    assert stats.failed == {"connection": 1}


async def test_refused_connections_follow_the_full_policy_when_asked(session):
    port = await _closed_port()
    client, stats, sleep = _dead_end(
        session, f"http://127.0.0.1:{port}", retry=RetryPolicy(refused_deadline=60.0)
    )
    with pytest.raises(DeliveryError) as failure:
        await client.conversations.send_to_conversation("conv", message())
    assert failure.value.attempts == 4 and len(sleep.delays) == 3
    assert stats.failed == {"connection": 1} and stats.retried == {"connection": 3}


async def test_an_undeliverable_reply_is_one_warning_with_the_reason(session, caplog):
    port = await _closed_port()
    # Credentials and a query in a service url must not reach the log.
    service_url = f"http://bot:pw-s3cret@127.0.0.1:{port}/emea/?sig=q-s3cret"
    client, _, _ = _dead_end(session, service_url)
    with caplog.at_level(logging.INFO), pytest.raises(DeliveryError):
        await client.conversations.reply_to_activity(
            TEAMS_CONVERSATION, "act-9", message("a private question")
        )
    [line] = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert line.levelno == logging.WARNING
    assert line.getMessage().startswith(
        f"could not deliver reply to http://127.0.0.1:{port}/emea/: connection refused "
        f"(conversation={TEAMS_CONVERSATION} activity=act-9 attempts="
    )
    assert "s3cret" not in caplog.text and "private" not in caplog.text


async def test_failures_log_neither_the_token_nor_the_text(session, connector, caplog):
    client, _ = build(session, connector, app_id="app-1")
    connector.program(403)
    with caplog.at_level(logging.DEBUG), pytest.raises(ConversationForbidden):
        await client.conversations.send_to_conversation("conv", message("a private question"))
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "connector answered 403" in warning.getMessage()
    assert connector.token_requests, "the call carried a token"
    assert "private" not in caplog.text and "tok-" not in caplog.text


async def test_timeouts_are_retried(session, connector, fk):
    client, stats = build(session, connector, request_timeout=0.2)
    connector.program(fk.Reply(200, {"id": "late"}, delay=1.0))
    response = await client.conversations.send_to_conversation("conv", message())
    assert response.id != "late"
    assert stats.retried == {"timeout": 1}


async def test_update_delete_and_reads_use_the_sdk_paths(session, connector, fk):
    client, _ = build(session, connector)
    ops = client.conversations
    updated = await ops.update_activity(TEAMS_CONVERSATION, TEAMS_ACTIVITY, message("edit"))
    await ops.delete_activity(TEAMS_CONVERSATION, TEAMS_ACTIVITY)
    connector.program(fk.Reply(200, [{"id": "29:a", "name": "A", "email": "a@x.dk"}]))
    members = await ops.get_conversation_members(TEAMS_CONVERSATION)
    connector.program(fk.Reply(200, {"id": "29:a", "userPrincipalName": "a@x.dk"}))
    member = await ops.get_conversation_member(TEAMS_CONVERSATION, "29:a")
    connector.program(fk.Reply(200, {"continuationToken": "next", "members": [{"id": "29:b"}]}))
    page = await ops.get_conversation_paged_members(TEAMS_CONVERSATION, 50, "tok")
    connector.program(fk.Reply(200, {"members": [{"id": "29:c", "email": "c@x.dk"}]}))
    teams_page = await ops.get_teams_conversation_paged_members(TEAMS_CONVERSATION)
    connector.program(fk.Reply(200, [{"id": "29:d"}]))
    activity_members = await ops.get_activity_members(TEAMS_CONVERSATION, TEAMS_ACTIVITY)

    conv = "/emea/v3/conversations/19%3Aabc123%40thread.tacv2%3Bmessageid%3D1700000000000"
    act = "1%3A1xYzAbC-dEf%40g"
    seen = [(r.method, r.raw_path, r.query) for r in connector.requests]
    assert seen == [
        ("PUT", f"{conv}/activities/{act}", {}),
        ("DELETE", f"{conv}/activities/{act}", {}),
        ("GET", f"{conv}/members", {}),
        ("GET", f"{conv}/members/29%3Aa", {}),
        ("GET", f"{conv}/pagedmembers", {"pageSize": "50", "continuationToken": "tok"}),
        ("GET", f"{conv}/pagedmembers", {}),
        ("GET", f"{conv}/activities/{act}/members", {}),
    ]
    assert updated.id
    assert members[0].id == "29:a" and members[0].additional_properties["email"] == "a@x.dk"
    assert member.additional_properties["userPrincipalName"] == "a@x.dk"
    assert page.continuation_token == "next" and page.members[0].id == "29:b"
    assert teams_page.members[0].email == "c@x.dk"
    assert activity_members[0].id == "29:d"


async def test_create_conversation(session, connector, fk):
    from botbuilder.schema import ConversationParameters

    client, _ = build(session, connector)
    connector.program(fk.Reply(201, {"id": "a:new", "activityId": "1", "serviceUrl": "x"}))
    result = await client.conversations.create_conversation(
        ConversationParameters(
            bot=ChannelAccount(id="28:bot"),
            members=[ChannelAccount(id="29:u")],
            tenant_id="tenant-1",
        )
    )
    assert result.id == "a:new" and result.activity_id == "1"
    sent = connector.requests[-1]
    assert (sent.method, sent.raw_path) == ("POST", "/emea/v3/conversations")
    assert sent.body["members"] == [{"id": "29:u"}]


def test_retry_after_parsing():
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None
    assert parse_retry_after("-3") == 0.0
    now = time.time()
    later = format_datetime(datetime.fromtimestamp(now, UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= parse_retry_after(later, now=lambda: now) <= 31
