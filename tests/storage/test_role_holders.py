"""SqlRoleHolderRepository on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.knowledge import RoleHolder
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.role_holders import SqlRoleHolderRepository
from tests.support.storage import migrated

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
async def holders(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlRoleHolderRepository(engine, writer)


async def test_register_find_list_and_remove(holders):
    await holders.add(RoleHolder("oeir", "Odense", "29:a", "Anne", T0))
    await holders.add(RoleHolder("oeir", "Odense", "29:b", "Bo", T0 + timedelta(days=1)))
    await holders.add(RoleHolder("ky", "Odense", "29:a", "Anne", T0))
    await holders.add(RoleHolder("oeir", "Aarhus", "29:c", "Cai", T0))
    assert [h.user_name for h in await holders.find("oeir", "Odense")] == ["Anne", "Bo"]
    assert {h.role_id for h in await holders.list_for("Odense")} == {"oeir", "ky"}
    assert await holders.remove("oeir", "Odense", "29:a")
    assert not await holders.remove("oeir", "Odense", "29:a")
    assert [h.user_id for h in await holders.find("oeir", "Odense")] == ["29:b"]


async def test_registering_twice_keeps_the_first_date_and_updates_the_name(holders):
    await holders.add(RoleHolder("oeir", "Odense", "29:a", "Anne", T0))
    await holders.add(RoleHolder("oeir", "Odense", "29:a", "Anne Jensen", T0 + timedelta(days=9)))
    [holder] = await holders.find("oeir", "Odense")
    assert (holder.user_name, holder.since) == ("Anne Jensen", T0)


async def test_tenants_never_see_each_others_holders(holders):
    await holders.add(RoleHolder("oeir", "Odense", "29:a", "Anne", T0, "tenant-a"))
    await holders.add(RoleHolder("oeir", "Odense", "29:a", "Anne", T0, "tenant-b"))
    await holders.add(RoleHolder("oeir", "Odense", "29:z", "Zoe", T0, "tenant-b"))
    assert [h.user_name for h in await holders.find("oeir", "Odense", "tenant-a")] == ["Anne"]
    assert len(await holders.list_for("Odense", "tenant-b")) == 2
    assert await holders.remove_all("oeir", "Odense", "tenant-b") == 2
    assert await holders.find("oeir", "Odense", "tenant-b") == []
    assert len(await holders.find("oeir", "Odense", "tenant-a")) == 1


async def test_registrations_made_before_tenants_survive_the_migration(database_url):
    from sqlalchemy import text

    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0002")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO role_holders (role_id, municipality, user_id, user_name, "
                    "registered_at) VALUES ('oeir', 'Odense', '29:a', 'Anne', :at)"
                ),
                {"at": T0.replace(tzinfo=None) if engine.dialect.name == "sqlite" else T0},
            )
        await upgrade(engine)
        [holder] = await SqlRoleHolderRepository(engine).find("oeir", "Odense", "")
        assert (holder.user_name, holder.tenant) == ("Anne", "")
    finally:
        await engine.dispose()
