"""SqlConversationRepository: upsert, welcome claim and removal on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FixedClock
from bot.domain.conversations import ConversationRecord
from storage.conversations import SqlConversationRepository
from storage.engine import create_engine
from storage.migrate import current_revision, head_revision, upgrade
from tests.support.storage import migrated


@pytest.fixture
async def repository(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlConversationRepository(
            engine, writer, FixedClock(datetime(2026, 11, 26, tzinfo=UTC))
        )


def _record(**changes) -> ConversationRecord:
    values = dict(
        id="19:x@thread.v2",
        channel_id="msteams",
        service_url="https://smba.example/emea/",
        tenant_id="tenant-1",
        conversation_type="groupChat",
        bot_id="28:bot",
        reference={"conversation": {"id": "19:x@thread.v2", "tenantId": "tenant-1"}},
    )
    values.update(changes)
    return ConversationRecord(**values)


async def test_save_then_update_keeps_one_row(repository):
    await repository.save(_record())
    await repository.save(_record(service_url="https://smba.example/amer/"))
    stored = await repository.get("19:x@thread.v2")
    assert stored.service_url == "https://smba.example/amer/"
    assert stored.tenant_id == "tenant-1"
    assert stored.reference["conversation"]["tenantId"] == "tenant-1"


async def test_welcome_is_claimed_once_even_concurrently(repository):
    await repository.save(_record())
    claims = await asyncio.gather(*(repository.claim_welcome("19:x@thread.v2") for _ in range(10)))
    assert claims.count(True) == 1


async def test_removal_resets_the_welcome(repository):
    await repository.save(_record())
    assert await repository.claim_welcome("19:x@thread.v2")
    await repository.mark_removed("19:x@thread.v2")
    assert not (await repository.get("19:x@thread.v2")).installed
    await repository.save(_record())
    assert await repository.claim_welcome("19:x@thread.v2")


async def test_migrations_reach_head_and_are_idempotent(database_url):
    engine = create_engine(database_url)
    try:
        assert await upgrade(engine) == head_revision()
        assert await upgrade(engine) == head_revision()
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()
