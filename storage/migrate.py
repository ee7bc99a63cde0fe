"""Apply the Alembic migrations to the configured database (at start-up and from the CLI)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
_MIGRATIONS = Path(__file__).with_name("migrations")
# Replicas starting together on PostgreSQL take turns; the number is arbitrary but fixed.
_ADVISORY_LOCK = 0x6D6F6564


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


async def upgrade(engine: AsyncEngine, revision: str = "head") -> str:
    """Bring the schema to `revision`; returns the revision the database is at afterwards."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:k)")
            await connection.execute(lock, {"k": _ADVISORY_LOCK})
        return await connection.run_sync(_upgrade_sync, revision)


def _upgrade_sync(connection, revision: str) -> str:
    config = alembic_config()
    config.attributes["connection"] = connection
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(config, revision)
    after = MigrationContext.configure(connection).get_current_revision() or ""
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "empty", after)
    return after


async def current_revision(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision() or ""
        )
