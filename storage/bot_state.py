"""SqlBotStorage: botbuilder's Storage over SQLAlchemy, with eTag optimistic concurrency."""

from __future__ import annotations

import uuid
from typing import Any

import jsonpickle
from botbuilder.core import Storage
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from storage.tables import bot_state
from storage.upsert import insert_for


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
    """Items are stored as jsonpickle documents (dialog state holds SDK objects)."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        super().__init__()
        self._engine = engine
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                select(bot_state.c.key, bot_state.c.etag, bot_state.c.document).where(
                    bot_state.c.key.in_(list(keys))
                )
            )
            found: dict[str, Any] = {}
            for key, etag, document in rows:
                item = jsonpickle.decode(document)
                _set_etag(item, etag)
                found[key] = item
        return found

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        if not changes:
            return
        async with self._engine.begin() as connection:
            for key, item in changes.items():
                expected = _etag_of(item)
                if expected == "":
                    raise ValueError(f"state {key!r} carries an empty eTag")
                new_etag = uuid.uuid4().hex
                document = jsonpickle.encode(_without_etag(item), make_refs=False)
                now = self._clock.now()
                if expected in (None, "*"):
                    statement = insert_for(connection.dialect.name, bot_state).values(
                        key=key, etag=new_etag, document=document, updated_at=now
                    )
                    await connection.execute(
                        statement.on_conflict_do_update(
                            index_elements=["key"],
                            set_={"etag": new_etag, "document": document, "updated_at": now},
                        )
                    )
                else:
                    await self._write_if_unchanged(
                        connection, key, expected, new_etag, document, now
                    )
                _set_etag(item, new_etag)

    async def _write_if_unchanged(self, connection, key, expected, new_etag, document, now):
        result = await connection.execute(
            update(bot_state)
            .where(bot_state.c.key == key, bot_state.c.etag == expected)
            .values(etag=new_etag, document=document, updated_at=now)
        )
        if result.rowcount == 1:
            return
        # Either someone else wrote first (conflict) or the row was deleted meanwhile (recreate).
        inserted = await connection.execute(
            insert_for(connection.dialect.name, bot_state)
            .values(key=key, etag=new_etag, document=document, updated_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        if inserted.rowcount != 1:
            raise StateConflict(f"eTag conflict on state {key!r}")

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._engine.begin() as connection:
            await connection.execute(delete(bot_state).where(bot_state.c.key.in_(list(keys))))


def _without_etag(item: Any) -> Any:
    if isinstance(item, dict) and "e_tag" in item:
        return {k: v for k, v in item.items() if k != "e_tag"}
    return item
