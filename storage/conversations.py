"""SqlConversationRepository: the latest reference per conversation, upserted on every turn."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from bot.domain.conversations import ConversationRecord
from storage.tables import conversations
from storage.upsert import insert_for


class SqlConversationRepository:
    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def save(self, record: ConversationRecord) -> None:
        now = self._clock.now()
        values = {
            "channel_id": record.channel_id,
            "service_url": record.service_url,
            "tenant_id": record.tenant_id,
            "conversation_type": record.conversation_type,
            "team_id": record.team_id,
            "bot_id": record.bot_id,
            "reference": record.reference,
            "installed": record.installed,
            "updated_at": now,
        }
        statement = insert_for(self._engine.dialect.name, conversations).values(
            id=record.id, created_at=now, **values
        )
        statement = statement.on_conflict_do_update(index_elements=["id"], set_=values)
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def get(self, conversation_id: str) -> ConversationRecord | None:
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
        async with self._engine.begin() as connection:
            await connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(installed=False, welcomed_at=None, updated_at=self._clock.now())
            )

    async def claim_welcome(self, conversation_id: str) -> bool:
        """True for exactly one caller per installation, across replicas."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id, conversations.c.welcomed_at.is_(None))
                .values(welcomed_at=self._clock.now())
            )
        return result.rowcount == 1
