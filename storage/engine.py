"""Async engine and sessions: the same code for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from storage import json_codec

# JSON columns are written and read with orjson (json where it refuses).
JSON_CODEC = {"json_serializer": json_codec.dumps, "json_deserializer": json_codec.loads}


def normalise_url(url: str) -> str:
    """Accept the usual spellings (postgres://, sqlite:///) and pick the async drivers."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# Connections kept open. Reads hold one for a single statement, so this many serve hundreds of
# turns at once; no overflow, because an overflow connection is opened and closed again per
# checkout under load (a TCP and TLS handshake per turn on PostgreSQL), and a turn that finds
# all busy waits a moment instead.
POOL_SIZE = 20


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            echo=echo,
            connect_args={"timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=0,
            **JSON_CODEC,
        )
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        return engine
    # No pre-ping: it doubles the round trips of every checkout. A connection the server
    # dropped fails its statement once, is discarded by the pool, and the next turn reconnects.
    return create_async_engine(
        url,
        echo=echo,
        pool_size=POOL_SIZE,
        max_overflow=0,
        pool_recycle=1800,
        pool_timeout=10,
        **JSON_CODEC,
    )


def for_reading(engine: AsyncEngine) -> AsyncEngine:
    """The engine for single-statement reads: on PostgreSQL without a transaction around them.

    A plain connection would send BEGIN before the SELECT and ROLLBACK when it goes back to
    the pool: three round trips for one question. Writes go through the batch writer, which
    keeps its transactions. On SQLite reads stay as they are (WAL readers are cheap).
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the one writer; busy_timeout queues writers instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
