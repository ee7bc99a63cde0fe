"""Create and drop throw-away PostgreSQL databases for tests (127.0.0.1:5432 by default)."""

from __future__ import annotations

import asyncio
import os

import asyncpg

ADMIN_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://root@127.0.0.1:5432/test")


class PostgresUnavailable(RuntimeError):
    pass


def _run(coroutine):
    return asyncio.run(coroutine)


async def _admin(statement: str) -> None:
    try:
        connection = await asyncpg.connect(ADMIN_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise PostgresUnavailable(str(error) or type(error).__name__) from error
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_database(name: str) -> str:
    """Create database `name`; returns its SQLAlchemy URL."""
    _run(_admin(f'CREATE DATABASE "{name}"'))
    base = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def drop_database(name: str) -> None:
    _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
