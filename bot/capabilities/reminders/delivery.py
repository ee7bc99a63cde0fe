"""The scheduler's `reminder` jobs: post the card where the reminder goes, say when it is late."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.capabilities.reminders.cards import reminder_card
from bot.capabilities.reminders.jobs import LATE_AFTER, ReminderPayload, following
from bot.domain.clock import Clock
from bot.domain.scheduling import Delivered, DeliveryGone, Job

log = logging.getLogger(__name__)


class PersonalDelivery(Protocol):
    @property
    def conversation_id(self) -> str: ...

    @property
    def activity_id(self) -> str | None: ...


class Sender(Protocol):
    """Proactive sending (bot/channel/proactive.py ProactiveNotifier); connector errors arrive
    as DeliveryGone (403/404) or RetryLater (429/5xx), which the scheduler records."""

    async def send(self, conversation_id: str, message: dict[str, Any]) -> str | None: ...

    async def send_personal(
        self,
        user_id: str,
        tenant_id: str,
        service_url: str,
        message: dict[str, Any],
        *,
        bot_id: str | None = None,
    ) -> PersonalDelivery: ...


class ReminderDelivery:
    def __init__(self, sender: Sender, clock: Clock, *, zone: ZoneInfo) -> None:
        self._sender = sender
        self._clock = clock
        self._zone = zone

    async def deliver(self, job: Job) -> Delivered:
        """Send one occurrence; a recurring reminder's next one is stored with the outcome."""
        payload = ReminderPayload.of(job)
        if payload is None or payload.marker:
            raise DeliveryGone("not a reminder the bot can read")
        now = self._clock.now()
        late = job.late_by(now) > LATE_AFTER
        next_due = following(job, max(now, job.occurrence_at))
        card = reminder_card(
            job.id,
            payload,
            zone=self._zone,
            late_since=job.occurrence_at if late else None,
            sent_at=now,
            next_due=next_due,
        )
        if payload.direct:
            activity_id = await self._sender.send(job.conversation_id, card)
        else:
            delivered = await self._sender.send_personal(
                payload.user_id,
                payload.tenant_id,
                payload.service_url,
                card,
                bot_id=payload.bot_id or None,
            )
            activity_id = delivered.activity_id
        if late:
            log.info("reminder %s sent %s late", job.id, job.late_by(now))
        return Delivered(next_due=next_due, activity_id=activity_id)

    @staticmethod
    def next_due(job: Job, after: datetime) -> datetime | None:
        """For the scheduler: the next occurrence when this one was missed or failed."""
        return following(job, after)
