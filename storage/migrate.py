"""Apply the Alembic migrations to the configured database (at start-up and from the CLI)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
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


def _upgrade_sync(connection: Connection, revision: str) -> str:
    _alembic_info_as_debug()
    config = alembic_config()
    config.attributes["connection"] = connection
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(config, revision)
    after = MigrationContext.configure(connection).get_current_revision() or ""
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "empty", after)
    return after


async def current_revision(engine: AsyncEngine) -> str:
    _alembic_info_as_debug()
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision() or ""
        )


def _alembic_info_as_debug() -> None:
    """Alembic says "Context impl …" and "Running upgrade …" at INFO on every start; that is
    DEBUG detail here, and the one line that matters (schema changed) is ours."""
    loggers = logging.root.manager.loggerDict.items()
    for logger in [lg for name, lg in list(loggers) if name.split(".")[0] == "alembic"]:
        if isinstance(logger, logging.Logger) and _demote_info not in logger.filters:
            logger.addFilter(_demote_info)


def _demote_info(record: logging.LogRecord) -> bool:
    # A logger filter runs after the level check at INFO, so re-check at DEBUG here.
    if record.levelno == logging.INFO:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
    return True
