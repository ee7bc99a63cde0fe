"""The `subscription.reminder` job: post an event's reminder, if it still stands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.capabilities.subscriptions.planner import EventReminders
from bot.capabilities.subscriptions.wording import say
from bot.channel.card_text import literal
from bot.domain.clock import Clock
from bot.domain.danish_format import format_time
from bot.domain.knowledge.answers import display_name, when_text
from bot.domain.knowledge.model import Event, KnowledgeBase
from bot.domain.language import Lang
from bot.domain.reminders import format_moment
from bot.domain.reminders.subscriptions import SubscriptionRepository
from bot.domain.scheduling import Delivered, DeliveryGone, Job

log = logging.getLogger(__name__)

# Later than this, the reminder says it is late (the bot was down, or Teams throttled it).
LATE_AFTER = timedelta(minutes=15)


class TextSender(Protocol):
    async def send(self, conversation_id: str, message: str) -> str | None: ...


class ReminderDelivery:
    def __init__(
        self,
        reminders: EventReminders,
        subscriptions: SubscriptionRepository,
        knowledge: Callable[[], KnowledgeBase],
        sender: TextSender,
        clock: Clock,
        *,
        zone: ZoneInfo,
    ) -> None:
        self._reminders = reminders
        self._subscriptions = subscriptions
        self._knowledge = knowledge
        self._sender = sender
        self._clock = clock
        self._zone = zone

    async def run(self, job: Job) -> Delivered:
        subscription = await self._subscriptions.get(job.conversation_id)
        if subscription is None or subscription.id != job.payload.get("subscriptionId"):
            raise DeliveryGone("the conversation is no longer subscribed")
        event = _event(self._knowledge(), str(job.payload.get("eventId", "")))
        key = str(job.payload.get("planKey") or job.dedupe_key)
        if event is None or self._reminders.plan.expected(subscription.id, event, key) is None:
            # The knowledge changed after this was planned (say, while the bot was down).
            await self._reminders.replan(subscription)
            raise DeliveryGone("the event was moved or removed from the knowledge base")
        now = self._clock.now()
        today = now.astimezone(self._zone).date()
        if event.when.first_day < today:
            raise DeliveryGone("the event has begun; the reminder came too late")
        text = reminder_text(event, subscription.lang, today, self._zone)
        if job.late_by(now) > LATE_AFTER:
            text += "\n\n" + self._late(job, today, subscription.lang)
        activity_id = await self._sender.send(job.conversation_id, text)
        return Delivered(activity_id=activity_id)

    def _late(self, job: Job, today: date, lang: Lang) -> str:
        due = job.occurrence_at
        if due.astimezone(self._zone).date() == today:
            return say("late", lang, moment=format_time(due, lang, zone=self._zone))
        return say("late_day", lang, moment=format_moment(due, lang, self._zone))


def reminder_text(event: Event, lang: Lang, today: date, zone: ZoneInfo) -> str:
    """Title, how soon, when, where and the registration link, as far as they are known."""
    days = (event.when.first_day - today).days
    if days <= 0:
        relative = say("today", lang)
    elif days == 1:
        relative = say("tomorrow", lang)
    else:
        relative = say("in_days", lang, n=days)
    lines = [say("reminder", lang, title=literal(display_name(event, lang)), relative=relative)]
    lines.append(f"{say('when', lang)}: {when_text(event.when, lang, zone)}")
    if event.place:
        lines.append(f"{say('place', lang)}: {literal(event.place)}")
    if event.registration:
        lines.append(f"{say('registration', lang)}: {event.registration}")
    return "\n\n".join(lines)


def _event(kb: KnowledgeBase, event_id: str) -> Event | None:
    for event in kb.events:
        if event.id == event_id:
            return event
    return None
