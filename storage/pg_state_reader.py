"""The one read every turn pays on PostgreSQL, sent straight to asyncpg.

Through SQLAlchemy's async engine a one-row SELECT costs about 0.6 ms of event-loop CPU
(connection checkout, greenlet hand-over, result processing); the same query on a pooled
asyncpg connection costs about 0.1 ms (`bench/sql_per_turn.py`, PostgreSQL). Everything else
stays on SQLAlchemy; this reader only selects bot state, outside any transaction.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url

_SELECT = "SELECT key, etag, document FROM bot_state WHERE key = ANY($1::varchar[])"


async def _no_reset(_connection: asyncpg.Connection) -> None:
    # The pool's default reset is a round trip per release; a plain SELECT leaves nothing
    # behind to reset.
    return None


class PgStateReader:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, database_url: str, *, size: int = 10) -> PgStateReader:
        url = make_url(database_url).set(drivername="postgresql")
        pool = await asyncpg.create_pool(
            url.render_as_string(hide_password=False),
            min_size=1,
            max_size=size,
            reset=_no_reset,
            statement_cache_size=16,
        )
        return cls(pool)

    async def select(self, keys: list[str]) -> list[tuple[str, str, str]]:
        async with self._pool.acquire() as connection:
            rows = await connection.fetch(_SELECT, keys)
        return [(row[0], row[1], row[2]) for row in rows]

    async def close(self) -> None:
        await self._pool.close()
