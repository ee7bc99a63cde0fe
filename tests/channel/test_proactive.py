"""ProactiveNotifier over real HTTP to the fake connector: addressing, personal chats, errors."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from bot.channel.auth import EdgeConfig
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.outbound import DeliveryError
from bot.channel.proactive import ProactiveNotifier, outcome_of
from bot.domain.clock import FixedClock
from bot.domain.conversations import ConversationRecord
from bot.domain.scheduling import Delivered, DeliveryGone, Job, JobState, RetryLater, new_job
from storage.conversations import SqlConversationRepository
from tests.fakes.connector import FakeConnector
from tests.support.storage import migrated

CHANNEL = "19:general@thread.tacv2"
BOT = "28:bot-app-id"
NOW = datetime(2026, 3, 19, 8, 0, tzinfo=UTC)


@pytest.fixture
async def connector():
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def database(tmp_path):
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}") as (engine, writer):
        yield engine, writer


@pytest.fixture
async def conversations(database):
    return SqlConversationRepository(*database, FixedClock(NOW))


@pytest.fixture
async def notifier(connector, conversations):
    async with aiohttp.ClientSession() as session:
        # One attempt per call, so a failure injected once is the answer the notifier sees.
        authentication = MoedebotFrameworkAuthentication(EdgeConfig(max_attempts=1), session)
        await conversations.save(_record(connector.url))
        yield ProactiveNotifier(conversations, authentication.connector_factory, bot_id=BOT)
        await authentication.close()


def _record(service_url: str, **changes) -> ConversationRecord:
    reference = {
        "bot": {"id": BOT, "name": "Mødebot"},
        "conversation": {"id": CHANNEL, "conversationType": "channel", "tenantId": "t1"},
        "channelId": "msteams",
        "serviceUrl": service_url,
        "locale": "da-DK",
    }
    values = {
        "id": CHANNEL,
        "channel_id": "msteams",
        "service_url": service_url,
        "tenant_id": "t1",
        "conversation_type": "channel",
        "bot_id": BOT,
        "reference": reference,
        **changes,
    }
    return ConversationRecord(**values)


async def test_send_text_to_the_stored_conversation(notifier, connector):
    activity_id = await notifier.send(CHANNEL, "Husk: svar KMD senest fredag")
    [call] = connector.sent(CHANNEL)
    assert activity_id and activity_id.startswith("activity-")
    assert call.text == "Husk: svar KMD senest fredag"
    assert call.body["from"]["id"] == BOT and call.body["conversation"]["id"] == CHANNEL
    assert call.body.get("replyToId") is None and call.path.endswith("/activities")


async def test_send_and_update_a_card(notifier, connector):
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "1"}]}
    activity_id = await notifier.send(CHANNEL, card)
    assert connector.sent(CHANNEL)[0].cards == [card]
    changed = {**card, "body": [{"type": "TextBlock", "text": "2"}]}
    await notifier.update(CHANNEL, activity_id, changed)
    [update] = connector.updates()
    assert update.activity_id == activity_id and update.cards == [changed]


async def test_an_unknown_conversation_is_gone(notifier, connector):
    with pytest.raises(DeliveryGone, match="no conversation reference"):
        await notifier.send("19:never-seen@thread.v2", "hej")
    assert connector.calls == []


@pytest.mark.parametrize("status", [403, 404])
async def test_403_and_404_are_gone(notifier, connector, status):
    connector.fail_next(status)
    with pytest.raises(DeliveryGone, match=str(status)):
        await notifier.send(CHANNEL, "hej")


async def test_404_on_an_update_is_gone(notifier, connector):
    connector.fail_next(404)
    with pytest.raises(DeliveryGone, match="update"):
        await notifier.update(CHANNEL, "activity-9", {"type": "AdaptiveCard", "body": []})


async def test_a_conversation_the_bot_was_removed_from_is_gone(notifier, connector, conversations):
    await conversations.mark_removed(CHANNEL)
    with pytest.raises(DeliveryGone, match="removed"):
        await notifier.send(CHANNEL, "hej")
    assert connector.calls == []


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_throttling_and_server_trouble_are_retried_later(notifier, connector, status):
    connector.fail_next(status, retry_after="7")
    with pytest.raises(RetryLater, match=str(status)) as later:
        await notifier.send(CHANNEL, "hej")
    # The connector's Retry-After comes through the transport to the scheduler's next try.
    assert later.value.after_seconds == 7.0


async def test_a_connector_that_does_not_answer_is_retried_later(conversations):
    async with aiohttp.ClientSession() as session:
        authentication = MoedebotFrameworkAuthentication(EdgeConfig(max_attempts=1), session)
        # Nothing listens on port 9 of loopback (discard): the connection is refused.
        await conversations.save(_record("http://127.0.0.1:9/"))
        notifier = ProactiveNotifier(conversations, authentication.connector_factory)
        with pytest.raises(RetryLater):
            await notifier.send(CHANNEL, "hej")


def test_the_mapping_of_connector_errors():
    def error(status, **extra):
        failure = DeliveryError(f"connector answered {status}", status=status, operation="send")
        for name, value in extra.items():
            setattr(failure, name, value)
        return outcome_of(failure, "send")

    assert isinstance(error(400), DeliveryGone)
    assert isinstance(error(413), DeliveryGone)
    for status in (None, 401, 412, 429, 500, 502, 504):
        assert isinstance(error(status), RetryLater), status
    # A Retry-After the transport passes on becomes the scheduler's floor.
    assert error(429, retry_after=12.0).after_seconds == 12.0


async def test_personal_delivery_creates_the_one_to_one_chat_once(notifier, connector):
    first = await notifier.send_personal("29:anne", "t1", connector.url, "Husk KMD")
    second = await notifier.send_personal("29:anne", "t1", connector.url, "Husk igen")
    created = [c for c in connector.calls if c.path == "/v3/conversations"]
    assert len(created) == 1
    body = created[0].body
    assert body["bot"]["id"] == BOT and body["members"] == [{"id": "29:anne"}]
    assert body["channelData"] == {"tenant": {"id": "t1"}} and body["isGroup"] is False
    assert first.conversation_id == second.conversation_id
    assert first.conversation_id.startswith("a:created-")
    texts = [c.text for c in connector.sent(first.conversation_id)]
    assert texts == ["Husk KMD", "Husk igen"]
    assert connector.sent(first.conversation_id)[0].body["from"]["id"] == BOT
    # The new conversation's reference is stored: plain send() reaches it too.
    await notifier.send(first.conversation_id, "direkte")
    assert len(connector.sent(first.conversation_id)) == 3


async def test_personal_delivery_where_the_app_is_not_installed_is_gone(notifier, connector):
    connector.fail_next(403)
    with pytest.raises(DeliveryGone, match="403"):
        await notifier.send_personal("29:bob", "t1", connector.url, "hej")


async def test_members_of_a_conversation(notifier, connector):
    connector.members[CHANNEL] = [
        {"id": "29:anne", "name": "Anne", "aadObjectId": "aad-1"},
        {"id": "29:bo", "name": "Bo"},
    ]
    members = await notifier.members(CHANNEL)
    assert [(m.id, m.name, m.aad_object_id) for m in members] == [
        ("29:anne", "Anne", "aad-1"),
        ("29:bo", "Bo", None),
    ]


async def test_with_the_transport_s_own_retries_a_single_429_is_absorbed(conversations, connector):
    async with aiohttp.ClientSession() as session:
        authentication = MoedebotFrameworkAuthentication(EdgeConfig(), session)
        await conversations.save(_record(connector.url))
        notifier = ProactiveNotifier(conversations, authentication.connector_factory)
        connector.fail_next(429, retry_after="0")
        assert await notifier.send(CHANNEL, "hej")
        assert len(connector.sent(CHANNEL)) == 2


async def test_scheduled_jobs_delivered_through_the_notifier(notifier, connector, database):
    from bot.scheduler import Scheduler
    from storage.scheduled_jobs import SqlJobRepository

    jobs = SqlJobRepository(*database)
    clock = FixedClock(NOW)
    scheduler = Scheduler(jobs, clock)

    async def remind(job: Job) -> Delivered:
        activity_id = await notifier.send(job.conversation_id, job.payload["text"])
        return Delivered(activity_id=activity_id)

    scheduler.register("reminder", remind)
    sent = await jobs.schedule(new_job("reminder", NOW, CHANNEL, now=NOW, payload={"text": "1"}))
    lost = await jobs.schedule(new_job("reminder", NOW, "19:gone", now=NOW, payload={"text": "2"}))
    assert await scheduler.tick() == 2
    assert [c.text for c in connector.sent()] == ["1"]
    assert (await jobs.get(sent.id)).state is JobState.DONE
    failed = await jobs.get(lost.id)
    assert (failed.state, failed.last_error) == (JobState.FAILED, "no conversation reference")
