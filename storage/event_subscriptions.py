"""SqlEventSubscriptionRepository: which conversations are reminded of the knowledge's events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from bot.domain.reminders.subscriptions import EventSubscription
from storage.repository import SqlRepository
from storage.tables import as_utc, event_subscriptions
from storage.upsert import insert_for

_T = event_subscriptions
# What a new subscription writes over an ended one's row.
_RENEWED = ("subscription_id", "tenant_id", "lang", "subscribed_by", "subscribed_at", "active")


class SqlEventSubscriptionRepository(SqlRepository):
    """A subscribe is one upsert that takes the row only while it is not active, so two
    replicas (or two people) subscribing at once end with one subscription, not two."""

    async def subscribe(self, subscription: EventSubscription) -> tuple[EventSubscription, bool]:
        row = _row(subscription)

        def work(connection: Connection) -> EventSubscription:
            insert = insert_for(connection.dialect.name, _T).values(row)
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=["conversation_id"],
                    set_={name: insert.excluded[name] for name in _RENEWED} | {"ended_at": None},
                    where=_T.c.active.is_(False),
                )
            )
            stored = connection.execute(
                select(_T).where(_T.c.conversation_id == subscription.conversation_id)
            )
            return _subscription(stored.mappings().one())

        stored = await self._writer.run(work)
        return stored, stored.id == subscription.id

    async def unsubscribe(self, conversation_id: str, now: datetime) -> EventSubscription | None:
        def work(connection: Connection) -> RowMapping | None:
            result = connection.execute(
                update(_T)
                .where(_T.c.conversation_id == conversation_id, _T.c.active.is_(True))
                .values(active=False, ended_at=now)
                .returning(*_T.c)
            )
            return result.mappings().first()

        ended = await self._writer.run(work)
        return _subscription(ended) if ended is not None else None

    async def get(self, conversation_id: str) -> EventSubscription | None:
        found = await self._select(_T.c.conversation_id == conversation_id)
        return found[0] if found else None

    async def active(self) -> list[EventSubscription]:
        return await self._select()

    async def _select(self, *conditions: Any) -> list[EventSubscription]:
        query = (
            select(_T)
            .where(_T.c.active.is_(True), *conditions)
            .order_by(_T.c.subscribed_at, _T.c.conversation_id)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_subscription(row) for row in rows]


def _row(subscription: EventSubscription) -> dict[str, Any]:
    return {
        "conversation_id": subscription.conversation_id,
        "subscription_id": subscription.id,
        "tenant_id": subscription.tenant_id,
        "lang": subscription.lang,
        "subscribed_by": subscription.subscribed_by[:200],
        "subscribed_at": subscription.subscribed_at,
        "active": True,
        "ended_at": None,
    }


def _subscription(row: RowMapping) -> EventSubscription:
    return EventSubscription(
        id=row["subscription_id"],
        conversation_id=row["conversation_id"],
        tenant_id=row["tenant_id"],
        lang="en" if row["lang"] == "en" else "da",
        subscribed_by=row["subscribed_by"],
        subscribed_at=as_utc(row["subscribed_at"]),
    )
