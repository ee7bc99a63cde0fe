"""SqlBotStorage: botbuilder's Storage over SQLAlchemy, with eTag optimistic concurrency."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from botbuilder.core import Storage
from sqlalchemy import Connection, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from storage import state_codec
from storage.batch_writer import BatchWriter
from storage.engine import for_reading
from storage.state_cache import ExactStateCache
from storage.tables import bot_state
from storage.upsert import insert_for

log = logging.getLogger(__name__)


# (key, etag, document) rows of bot_state for the given keys.
SelectRows = Callable[[list[str]], Awaitable[list[tuple[str, str, str]]]]


class StateConflict(KeyError):
    """Another turn saved this state first; the caller's copy is stale."""


def _etag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _set_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    elif hasattr(item, "e_tag"):
        item.e_tag = etag


class SqlBotStorage(Storage):
    """Items are plain JSON documents (`state_codec`); writes go through the batch writer.

    With `exclusive=True` (this process is the database's only writer, see
    `storage.process_lock`) reads are served from an exact in-memory cache after `prime()`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        writer: BatchWriter,
        clock: Clock,
        *,
        exclusive: bool = False,
        select_rows: SelectRows | None = None,
    ) -> None:
        super().__init__()
        self._engine = for_reading(engine)
        self._writer = writer
        self._clock = clock
        self._exclusive = exclusive
        self._cache: ExactStateCache | None = None
        self._select = select_rows or self._select_with_sqlalchemy

    async def prime(self) -> None:
        """Learn every stored key, so that absent state needs no query (exclusive mode only)."""
        if not self._exclusive:
            return
        async with self._engine.connect() as connection:
            keys = (await connection.execute(select(bot_state.c.key))).scalars().all()
        self._cache = ExactStateCache(keys)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        cache = self._cache
        if cache is None:
            rows = await self._select(list(keys))
        else:
            cached, unread = cache.lookup(keys)
            rows = [(key, etag, document) for key, (etag, document) in cached.items()]
            if unread:
                versions = {key: cache.version(key) for key in unread}
                for key, etag, document in await self._select(unread):
                    cache.loaded(key, etag, document, version=versions[key])
                    rows.append((key, etag, document))
        found: dict[str, Any] = {}
        for key, etag, document in rows:
            try:
                item = state_codec.loads(document)
            except state_codec.StateCodecError as error:
                # A row that is not plain state is never turned into objects; start afresh.
                log.warning("ignoring unreadable state %r: %s", key, error)
                continue
            _set_etag(item, etag)
            found[key] = item
        return found

    async def _select_with_sqlalchemy(self, keys: list[str]) -> list[tuple[str, str, str]]:
        async with self._engine.connect() as connection:
            result = await connection.execute(
                select(bot_state.c.key, bot_state.c.etag, bot_state.c.document).where(
                    bot_state.c.key.in_(keys)
                )
            )
            return [tuple(row) for row in result.all()]

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        if not changes:
            return
        planned: list[tuple[str, str | None, str, str]] = []
        for key, item in changes.items():
            expected = _etag_of(item)
            if expected == "":
                raise ValueError(f"state {key!r} carries an empty eTag")
            document = state_codec.dumps(_without_etag(item))
            planned.append((key, expected, uuid.uuid4().hex, document))
        now = self._clock.now()

        def work(connection: Connection) -> None:
            for key, expected, new_etag, document in planned:
                _write_one(connection, key, expected, new_etag, document, now)

        try:
            await self._writer.run(work)
        except BaseException:
            if self._cache is not None:
                for key, *_ in planned:
                    self._cache.forget(key)
            raise
        # Only now is the new eTag true: a conflict on any key leaves every item as it was.
        for (key, _expected, new_etag, document), item in zip(
            planned, changes.values(), strict=True
        ):
            _set_etag(item, new_etag)
            if self._cache is not None:
                self._cache.stored(key, new_etag, document)

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        chosen = list(keys)

        def work(connection: Connection) -> None:
            connection.execute(delete(bot_state).where(bot_state.c.key.in_(chosen)))

        try:
            await self._writer.run(work)
        except BaseException:
            if self._cache is not None:
                for key in chosen:
                    self._cache.forget(key)
            raise
        if self._cache is not None:
            for key in chosen:
                self._cache.removed(key)


def _write_one(
    connection: Connection,
    key: str,
    expected: str | None,
    new_etag: str,
    document: str,
    now: datetime,
) -> None:
    if expected in (None, "*"):  # the Storage contract: no eTag (or *) means last write wins
        statement = insert_for(connection.dialect.name, bot_state).values(
            key=key, etag=new_etag, document=document, updated_at=now
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["key"],
                set_={"etag": new_etag, "document": document, "updated_at": now},
            )
        )
        return
    result = connection.execute(
        update(bot_state)
        .where(bot_state.c.key == key, bot_state.c.etag == expected)
        .values(etag=new_etag, document=document, updated_at=now)
    )
    if result.rowcount == 1:
        return
    # Either someone else wrote first (conflict) or the row was deleted meanwhile (recreate).
    inserted = connection.execute(
        insert_for(connection.dialect.name, bot_state)
        .values(key=key, etag=new_etag, document=document, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if inserted.rowcount != 1:
        raise StateConflict(f"eTag conflict on state {key!r}")


def _without_etag(item: Any) -> Any:
    if isinstance(item, dict) and "e_tag" in item:
        return {k: v for k, v in item.items() if k != "e_tag"}
    return item
