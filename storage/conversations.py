"""SqlConversationRepository: the latest reference per conversation, upserted when it changes."""

from __future__ import annotations

from sqlalchemy import Connection, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from bot.domain.conversations import ConversationRecord
from storage.batch_writer import BatchWriter
from storage.engine import for_reading
from storage.tables import conversations

_KEY = ("id",)
_UPDATED = (
    "channel_id",
    "service_url",
    "tenant_id",
    "conversation_type",
    "team_id",
    "bot_id",
    "reference",
    "installed",
    "updated_at",
)


class SqlConversationRepository:
    def __init__(self, engine: AsyncEngine, writer: BatchWriter, clock: Clock) -> None:
        self._engine = for_reading(engine)
        self._writer = writer
        self._clock = clock

    async def save(self, record: ConversationRecord) -> None:
        await self._writer.upsert(conversations, self._row(record), key=_KEY, update=_UPDATED)

    def save_behind(self, record: ConversationRecord) -> None:
        """Upsert without waiting: a reference lost in a crash is rewritten by the next turn."""
        self._writer.upsert_behind(conversations, self._row(record), key=_KEY, update=_UPDATED)

    def _row(self, record: ConversationRecord) -> dict:
        now = self._clock.now()
        return {
            "id": record.id,
            "channel_id": record.channel_id,
            "service_url": record.service_url,
            "tenant_id": record.tenant_id,
            "conversation_type": record.conversation_type,
            "team_id": record.team_id,
            "bot_id": record.bot_id,
            "reference": record.reference,
            "installed": record.installed,
            "updated_at": now,
            "created_at": now,
        }

    async def get(self, conversation_id: str) -> ConversationRecord | None:
        await self._writer.flush()  # what was written behind is read back, not missed
        async with self._engine.connect() as connection:
            row = (
                (
                    await connection.execute(
                        select(conversations).where(conversations.c.id == conversation_id)
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return ConversationRecord(
            id=row["id"],
            channel_id=row["channel_id"],
            service_url=row["service_url"],
            tenant_id=row["tenant_id"],
            conversation_type=row["conversation_type"],
            team_id=row["team_id"],
            bot_id=row["bot_id"],
            reference=dict(row["reference"]),
            installed=row["installed"],
        )

    async def mark_removed(self, conversation_id: str) -> None:
        # A later re-installation is greeted again.
        now = self._clock.now()

        def work(connection: Connection) -> None:
            connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(installed=False, welcomed_at=None, updated_at=now)
            )

        await self._writer.run(work)

    async def claim_welcome(self, conversation_id: str) -> bool:
        """True for exactly one caller per installation, across replicas."""
        now = self._clock.now()

        def work(connection: Connection) -> bool:
            result = connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id, conversations.c.welcomed_at.is_(None))
                .values(welcomed_at=now)
            )
            return result.rowcount == 1

        return await self._writer.run(work)
