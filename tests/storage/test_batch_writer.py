"""BatchWriter: group commit, isolation of a bad write, order, write-behind flushed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text, update

from storage.batch_writer import WriterClosed
from storage.tables import conversations, kb_unanswered
from tests.support.storage import migrated

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
KEY, UPDATED = ("id",), ("service_url", "updated_at")


def _question(n: int) -> dict:
    return {
        "question": f"q{n}",
        "normalised": f"q{n}",
        "lang": "da",
        "suggestions": [],
        "asked_at": AT,
    }


def _conversation(conversation_id: str, service_url: str = "https://smba.example/") -> dict:
    return {
        "id": conversation_id,
        "channel_id": "msteams",
        "service_url": service_url,
        "reference": {},
        "installed": True,
        "created_at": AT,
        "updated_at": AT,
    }


async def _count(engine, table) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(select(func.count()).select_from(table))


async def test_concurrent_writes_share_commits_and_are_all_durable(database_url):
    async with migrated(database_url) as (engine, writer):
        await asyncio.gather(*(writer.insert(kb_unanswered, _question(n)) for n in range(200)))
        # Everyone was answered only after a commit: all rows are there now.
        assert await _count(engine, kb_unanswered) == 200
        assert writer.batches < 200 / 4  # grouped, not one transaction per write


async def test_a_failing_write_fails_alone_and_the_others_are_kept(database_url):
    async with migrated(database_url) as (engine, writer):

        def broken(connection):
            connection.execute(text("INSERT INTO no_such_table VALUES (1)"))

        results = await asyncio.gather(
            writer.insert(kb_unanswered, _question(1)),
            writer.run(broken),
            writer.insert(kb_unanswered, _question(2)),
            return_exceptions=True,
        )
        assert results[0] is None and results[2] is None
        assert isinstance(results[1], Exception)
        assert await _count(engine, kb_unanswered) == 2


async def test_work_results_come_back_after_commit(database_url):
    async with migrated(database_url) as (_engine, writer):
        await writer.upsert(conversations, _conversation("c1"), key=KEY, update=UPDATED)

        def claim(connection):
            result = connection.execute(
                update(conversations)
                .where(conversations.c.id == "c1", conversations.c.welcomed_at.is_(None))
                .values(welcomed_at=AT)
            )
            return result.rowcount == 1

        claims = await asyncio.gather(*(writer.run(claim) for _ in range(10)))
        assert sorted(claims) == [False] * 9 + [True]


async def test_written_behind_rows_keep_their_order_and_the_latest_value_wins(database_url):
    async with migrated(database_url) as (engine, writer):
        for n in range(5):  # the same row five times in one batch: one statement, no conflict
            writer.upsert_behind(
                conversations,
                _conversation("c1", f"https://s{n}.example/"),
                key=KEY,
                update=UPDATED,
            )
        writer.upsert_behind(conversations, _conversation("c2"), key=KEY, update=UPDATED)
        await writer.flush()
        async with engine.connect() as connection:
            rows = dict(
                (
                    await connection.execute(
                        select(conversations.c.id, conversations.c.service_url)
                    )
                ).all()
            )
        assert rows == {"c1": "https://s4.example/", "c2": "https://smba.example/"}


async def test_close_flushes_what_was_written_behind(database_url, tmp_path):
    async with migrated(database_url) as (engine, writer):
        for n in range(50):
            writer.upsert_behind(conversations, _conversation(f"c{n}"), key=KEY, update=UPDATED)
        await writer.close()
        assert await _count(engine, conversations) == 50
        with pytest.raises(WriterClosed):
            await writer.insert(kb_unanswered, _question(1))
