"""SqlBotStorage honours botbuilder's Storage contract with eTag optimistic concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FixedClock
from storage.bot_state import SqlBotStorage, StateConflict
from tests.support.storage import migrated


@pytest.fixture
async def storage(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlBotStorage(engine, writer, FixedClock(datetime(2026, 11, 26, tzinfo=UTC)))


async def test_write_read_delete_round_trip(storage):
    await storage.write({"k1": {"count": 1, "nested": {"æøå": [1, 2]}}})
    found = await storage.read(["k1", "missing"])
    assert set(found) == {"k1"}
    assert found["k1"]["count"] == 1
    assert found["k1"]["nested"] == {"æøå": [1, 2]}
    assert found["k1"]["e_tag"]
    await storage.delete(["k1"])
    assert await storage.read(["k1"]) == {}


async def test_stale_etag_is_refused(storage):
    await storage.write({"k": {"v": 1}})
    first = (await storage.read(["k"]))["k"]
    second = (await storage.read(["k"]))["k"]
    first["v"] = 2
    await storage.write({"k": first})
    second["v"] = 3
    with pytest.raises(StateConflict):
        await storage.write({"k": second})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_star_etag_overwrites(storage):
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 9, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["v"] == 9


async def test_etag_is_refreshed_so_a_second_save_in_one_turn_succeeds(storage):
    await storage.write({"k": {"v": 1}})
    item = (await storage.read(["k"]))["k"]
    item["v"] = 2
    await storage.write({"k": item})
    item["v"] = 3
    await storage.write({"k": item})
    assert (await storage.read(["k"]))["k"]["v"] == 3


async def test_concurrent_first_writes_do_not_violate_uniqueness(storage):
    await asyncio.gather(*(storage.write({"same": {"n": n}}) for n in range(20)))
    assert (await storage.read(["same"]))["same"]["n"] in range(20)


async def test_concurrent_conditional_writes_let_exactly_one_win(storage):
    await storage.write({"k": {"v": 0}})
    copies = [(await storage.read(["k"]))["k"] for _ in range(8)]
    results = await asyncio.gather(
        *(storage.write({"k": {**c, "v": i}}) for i, c in enumerate(copies)),
        return_exceptions=True,
    )
    assert sum(1 for r in results if r is None) == 1
    assert all(isinstance(r, StateConflict) for r in results if r is not None)


async def test_empty_etag_is_an_error(storage):
    with pytest.raises(ValueError):
        await storage.write({"k": {"v": 1, "e_tag": ""}})


async def test_a_conflict_on_one_key_leaves_every_item_and_row_as_it_was(storage):
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    a_item, stale_b = (await storage.read(["a"]))["a"], (await storage.read(["b"]))["b"]
    fresh_b = (await storage.read(["b"]))["b"]
    fresh_b["v"] = 2
    await storage.write({"b": fresh_b})
    a_etag = a_item["e_tag"]
    a_item["v"], stale_b["v"] = 10, 10
    with pytest.raises(StateConflict):
        await storage.write({"a": a_item, "b": stale_b})
    # The eTags were never stored, so nobody carries them; "a" was not written either.
    assert a_item["e_tag"] == a_etag
    found = await storage.read(["a", "b"])
    assert (found["a"]["v"], found["b"]["v"]) == (1, 2)
    await storage.write({"a": a_item})  # the old eTag is still the true one


async def test_a_row_naming_a_class_is_never_instantiated(storage, database_url):
    from sqlalchemy import insert

    from storage.tables import bot_state

    hostile = '{"x": {"$t": "obj", "c": "subprocess.Popen", "v": {"args": ["touch", "/tmp/p"]}}}'
    async with storage._engine.begin() as connection:
        await connection.execute(
            insert(bot_state).values(
                key="evil", etag="e1", document=hostile, updated_at=datetime(2026, 1, 1, tzinfo=UTC)
            )
        )
    assert await storage.read(["evil"]) == {}
