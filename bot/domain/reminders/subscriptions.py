"""Event subscriptions: a conversation's subscription, its port, and its reminders' plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.model import Event
from bot.domain.language import Lang
from bot.domain.reminders.events import (
    DEFAULT_OFFSETS_DAYS,
    DEFAULT_REMIND_AT,
    PlannedReminder,
    dedupe_key,
    plan_event_reminders,
)

_BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class EventSubscription:
    """One conversation's subscription; `id` is new each time it subscribes again."""

    id: str
    conversation_id: str
    tenant_id: str
    lang: Lang
    subscribed_by: str
    subscribed_at: datetime


class SubscriptionRepository(Protocol):
    async def subscribe(self, subscription: EventSubscription) -> tuple[EventSubscription, bool]:
        """Store it unless the conversation already has one; (the one in force, created)."""
        ...

    async def unsubscribe(self, conversation_id: str, now: datetime) -> EventSubscription | None:
        """End the conversation's subscription; the ended one, or None if there was none."""
        ...

    async def get(self, conversation_id: str) -> EventSubscription | None: ...

    async def active(self) -> list[EventSubscription]: ...


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """Where the reminders come from: days before the event's first day, at a local time."""

    offsets_days: Sequence[int] = DEFAULT_OFFSETS_DAYS
    remind_at: time = DEFAULT_REMIND_AT
    zone: ZoneInfo = COPENHAGEN

    def for_subscription(
        self, subscription_id: str, events: Iterable[Event], now: datetime
    ) -> tuple[PlannedReminder, ...]:
        """The subscription's future reminders, keyed by subscription, event, day and offset.

        The key holds the subscription (a new subscription after `afmeld` is not blocked by
        the old one's cancelled jobs) and the event's first day: a job already sent for a
        date does not stop the reminder for the day the event was moved to.
        """
        events = list(events)
        days = {e.id: e.when.first_day.isoformat() for e in events if e.when.sessions}
        planned = plan_event_reminders(
            subscription_id,
            events,
            now,
            offsets_days=self.offsets_days,
            remind_at=self.remind_at,
            zone=self.zone,
        )
        return tuple(
            replace(p, dedupe_key=reminder_key(subscription_id, p.event_id, days[p.event_id], p))
            for p in planned
        )

    def expected(self, subscription_id: str, event: Event, key: str) -> PlannedReminder | None:
        """The reminder `key` stands for, as the event is now, due or not; None if none."""
        for planned in self.for_subscription(subscription_id, [event], _BEGINNING):
            if planned.dedupe_key == key:
                return planned
        return None


def reminder_key(subscription_id: str, event_id: str, day: str, planned: PlannedReminder) -> str:
    return dedupe_key(subscription_id, f"{event_id}@{day}", planned.offset_days)
