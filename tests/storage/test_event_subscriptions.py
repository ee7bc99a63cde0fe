"""SqlEventSubscriptionRepository on both databases: one subscription per conversation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.reminders.subscriptions import EventSubscription
from storage.event_subscriptions import SqlEventSubscriptionRepository
from tests.support.storage import migrated

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def subscription(sub_id: str, conversation: str = "19:meeting@thread.v2", **extra):
    values = {
        "id": sub_id,
        "conversation_id": conversation,
        "tenant_id": "tenant-1",
        "lang": "da",
        "subscribed_by": "29:user-1",
        "subscribed_at": T0,
    }
    return EventSubscription(**(values | extra))


async def test_subscribe_once_then_the_same_subscription_is_kept(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        first, created = await repo.subscribe(subscription("s1"))
        again, created_again = await repo.subscribe(subscription("s2", lang="en"))
        assert created and first.id == "s1"
        assert not created_again and again == first
        assert await repo.get("19:meeting@thread.v2") == first
        assert await repo.active() == [first]


async def test_unsubscribe_ends_it_and_a_new_subscription_gets_a_new_id(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        await repo.subscribe(subscription("s1"))
        ended = await repo.unsubscribe("19:meeting@thread.v2", T0 + timedelta(hours=1))
        assert ended is not None and ended.id == "s1"
        assert await repo.get("19:meeting@thread.v2") is None
        assert await repo.active() == []
        assert await repo.unsubscribe("19:meeting@thread.v2", T0) is None
        renewed, created = await repo.subscribe(subscription("s2", lang="en"))
        assert created and renewed.id == "s2" and renewed.lang == "en"
        assert [s.id for s in await repo.active()] == ["s2"]


async def test_unsubscribing_an_unknown_conversation_is_none(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        assert await repo.unsubscribe("19:nobody@thread.v2", T0) is None
        assert await repo.get("19:nobody@thread.v2") is None


async def test_many_conversations_listed_in_subscription_order(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        for n in range(5):
            stamp = T0 + timedelta(minutes=5 - n)
            await repo.subscribe(subscription(f"s{n}", f"19:c{n}@thread.v2", subscribed_at=stamp))
        await repo.unsubscribe("19:c2@thread.v2", T0)
        assert [s.id for s in await repo.active()] == ["s4", "s3", "s1", "s0"]


async def test_racing_subscribes_leave_exactly_one(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        results = await asyncio.gather(*(repo.subscribe(subscription(f"s{n}")) for n in range(20)))
        assert sum(1 for _, created in results if created) == 1
        assert len({stored.id for stored, _ in results}) == 1


async def test_long_and_odd_values_round_trip(database_url):
    async with migrated(database_url) as (engine, writer):
        repo = SqlEventSubscriptionRepository(engine, writer)
        conversation = "19:" + "x" * 380 + "@thread.v2"
        stored, _ = await repo.subscribe(
            subscription("s1", conversation, subscribed_by="29:" + "æ" * 300, lang="en")
        )
        assert stored.conversation_id == conversation
        assert len(stored.subscribed_by) == 200
        assert stored.subscribed_at == T0 and stored.subscribed_at.tzinfo is not None


async def test_the_migration_creates_what_the_table_describes_and_goes_back(database_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, inspect

    from storage.migrate import alembic_config
    from storage.tables import metadata

    ours = MetaData()
    metadata.tables["event_subscriptions"].to_metadata(ours)

    def differences(connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [
            d
            for d in compare_metadata(context, ours)
            if d[0] != "remove_table" and _table_of(d) == "event_subscriptions"
        ]

    def downgrade(connection) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_event_subscriptions-1")
        return set(inspect(connection).get_table_names())

    async with migrated(database_url) as (engine, _):
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
        async with engine.begin() as connection:
            remaining = await connection.run_sync(downgrade)
    assert "event_subscriptions" not in remaining
    assert "polls" in remaining


def _table_of(difference) -> str | None:
    item = difference[1] if len(difference) > 1 else None
    table = getattr(item, "table", None)
    return getattr(table, "name", None) or getattr(item, "name", None)
