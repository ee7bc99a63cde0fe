"""EventReminders: a subscription's reminders as scheduler jobs, re-planned on every reload."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.domain.clock import Clock
from bot.domain.knowledge.model import KnowledgeBase
from bot.domain.reminders import PlannedReminder, diff_plan
from bot.domain.reminders.subscriptions import (
    EventSubscription,
    ReminderPlan,
    SubscriptionRepository,
)
from bot.domain.scheduling import Job, JobRepository, JobState, new_job

log = logging.getLogger(__name__)

REMINDER_JOB = "subscription.reminder"
# A reminder cancelled by a reload (its event moved away) and planned again (moved back)
# cannot reuse its key, which stays with the cancelled row: it takes the next of these.
_REVIVALS = 3


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class EventReminders:
    """Every write is keyed (kind + dedupe key), so replicas re-planning at the same time, or
    any number of reloads, end with one pending job per reminder."""

    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        jobs: JobRepository,
        timers: Timers,
        knowledge: Callable[[], KnowledgeBase],
        plan: ReminderPlan,
        clock: Clock,
    ) -> None:
        self._subscriptions = subscriptions
        self._jobs = jobs
        self._timers = timers
        self._knowledge = knowledge
        self.plan = plan
        self._clock = clock

    def knowledge(self) -> KnowledgeBase:
        return self._knowledge()

    async def replan(
        self, subscription: EventSubscription, kb: KnowledgeBase | None = None
    ) -> list[Job]:
        """Bring the subscription's pending jobs in line with the knowledge; returns them."""
        now = self._clock.now()
        events = (kb or self._knowledge()).events
        wanted = self.plan.for_subscription(subscription.id, events, now)
        pending = await self.pending(subscription.conversation_id)
        ours: dict[str, Job] = {}
        for job in pending:
            if job.payload.get("subscriptionId") == subscription.id:
                ours[str(job.payload.get("planKey") or job.dedupe_key)] = job
            else:  # left over from an earlier subscription of this conversation
                await self._jobs.cancel(job.id, now)
        diff = diff_plan({key: job.occurrence_at for key, job in ours.items()}, wanted, now)
        for key in diff.remove:
            await self._jobs.cancel(ours[key].id, now)
        for planned in diff.update:
            stored_key = ours[planned.dedupe_key].dedupe_key  # with its revival suffix, if any
            job = self._job(subscription, planned, now, dedupe_key=stored_key)
            await self._timers.schedule(job)
        for planned in diff.add:
            await self._add(subscription, planned, now)
        if diff.add and await self._ended(subscription):
            # Unsubscribed while this ran: what was just added must not outlive it.
            await self.cancel(subscription.conversation_id)
            return []
        return await self.pending(subscription.conversation_id)

    async def replan_all(self, kb: KnowledgeBase) -> None:
        """After a reload: every subscription follows the new knowledge."""
        for subscription in await self._subscriptions.active():
            try:
                await self.replan(subscription, kb)
            except Exception:  # one conversation's trouble must not stop the others'
                log.exception("re-planning the reminders of %s failed", subscription.id)

    async def cancel(self, conversation_id: str) -> int:
        now = self._clock.now()
        cancelled = 0
        for job in await self.pending(conversation_id):
            if await self._jobs.cancel(job.id, now) is not None:
                cancelled += 1
        return cancelled

    async def pending(self, conversation_id: str) -> list[Job]:
        return await self._jobs.pending_for_conversation(conversation_id, REMINDER_JOB)

    async def _add(
        self, subscription: EventSubscription, planned: PlannedReminder, now: datetime
    ) -> None:
        for revival in range(_REVIVALS + 1):
            key = planned.dedupe_key if revival == 0 else f"{planned.dedupe_key}~{revival}"
            stored = await self._timers.schedule(
                self._job(subscription, planned, now, dedupe_key=key)
            )
            if stored.state is not JobState.CANCELLED:
                return  # pending now, or sent already (a reminder is never sent twice)
        log.warning("reminder %s was cancelled too often to plan again", planned.dedupe_key)

    def _job(
        self,
        subscription: EventSubscription,
        planned: PlannedReminder,
        now: datetime,
        *,
        dedupe_key: str | None,
    ) -> Job:
        return new_job(
            REMINDER_JOB,
            planned.due_at,
            subscription.conversation_id,
            now=now,
            payload={
                "subscriptionId": subscription.id,
                "eventId": planned.event_id,
                "offsetDays": planned.offset_days,
                "planKey": planned.dedupe_key,
                "lang": subscription.lang,
            },
            dedupe_key=dedupe_key,
        )

    async def _ended(self, subscription: EventSubscription) -> bool:
        current = await self._subscriptions.get(subscription.conversation_id)
        return current is None or current.id != subscription.id
