"""`abonner på påmindelser` / `afmeld påmindelser` in a conversation."""

from __future__ import annotations

from datetime import datetime

from bot.capabilities.subscriptions.planner import EventReminders
from bot.capabilities.subscriptions.wording import offsets_text, say
from bot.channel.card_text import literal
from bot.channel.references import conversation_key, tenant_of
from bot.channel.router import Turn
from bot.domain.clock import Clock
from bot.domain.knowledge.answers import display_name
from bot.domain.language import Lang
from bot.domain.random_ids import RandomIds
from bot.domain.reminders import format_moment
from bot.domain.reminders.subscriptions import EventSubscription, SubscriptionRepository
from bot.domain.scheduling import Job

# Whole messages only: "abonner på påmindelser" must not take "abonner på nyhedsbrevet?".
SUBSCRIBE_PHRASES = (
    "abonner på påmindelser",
    "abonnér på påmindelser",
    "abonner på begivenheder",
    "abonner på frister",
    "abonner",
    "abonnér",
    *(SUBSCRIBE_EN := ("subscribe", "subscribe to reminders", "subscribe to events")),
)
UNSUBSCRIBE_PHRASES = (
    "afmeld påmindelser",
    "afmeld abonnement",
    "afmeld abonnementet",
    "afmeld",
    "stop abonnement",
    *(UNSUBSCRIBE_EN := ("unsubscribe", "unsubscribe from reminders")),
)
STATUS_PHRASES = (
    "abonnement",
    "abonnementet",
    "vis abonnement",
    *(STATUS_EN := ("subscription", "my subscription", "subscription status")),
)
_SHOWN = 5
# One English word is too little for language detection; the command itself says it.
_ENGLISH = frozenset(SUBSCRIBE_EN + UNSUBSCRIBE_EN + STATUS_EN)


class SubscriptionCommands:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        reminders: EventReminders,
        clock: Clock,
    ) -> None:
        self._subscriptions = subscriptions
        self._reminders = reminders
        self._clock = clock
        self._ids = RandomIds()

    async def subscribe(self, turn: Turn) -> bool:
        lang = _lang(turn)
        activity = turn.context.activity
        sender = activity.from_property
        candidate = EventSubscription(
            id=self._ids.new(),
            conversation_id=_conversation(turn),
            tenant_id=tenant_of(activity) or "",
            lang=lang,
            subscribed_by=(sender.id or "") if sender is not None else "",
            subscribed_at=self._clock.now(),
        )
        subscription, created = await self._subscriptions.subscribe(candidate)
        jobs = await self._reminders.replan(subscription)
        offsets = self.offsets(lang)
        first = say("subscribed" if created else "already", lang, offsets=offsets)
        lines = [first, self._planned(jobs, lang), say("how_to_stop", lang)]
        await turn.send("\n\n".join(lines))
        return True

    async def unsubscribe(self, turn: Turn) -> bool:
        lang = _lang(turn)
        conversation_id = _conversation(turn)
        ended = await self._subscriptions.unsubscribe(conversation_id, self._clock.now())
        cancelled = await self._reminders.cancel(conversation_id)
        if ended is None and not cancelled:
            await turn.send(say("not_subscribed", lang))
            return True
        key = {0: "unsubscribed_none", 1: "unsubscribed_one"}.get(cancelled, "unsubscribed")
        await turn.send(say(key, lang, count=cancelled))
        return True

    async def status(self, turn: Turn) -> bool:
        lang = _lang(turn)
        subscription = await self._subscriptions.get(_conversation(turn))
        if subscription is None:
            await turn.send(say("not_subscribed", lang))
            return True
        jobs = sorted(await self._reminders.pending(subscription.conversation_id), key=_due)
        offsets = self.offsets(lang)
        if not jobs:
            text = say("already", lang, offsets=offsets) + "\n\n" + say("nothing_planned", lang)
            await turn.send(text)
            return True
        zone = self._reminders.plan.zone
        items = [
            f"- {format_moment(job.due_at, lang, zone)}: **{self._title(job, lang)}**"
            for job in jobs[:_SHOWN]
        ]
        if len(jobs) > _SHOWN:
            items.append(say("status_more", lang, count=len(jobs) - _SHOWN))
        await turn.send(say("status", lang, offsets=offsets) + "\n\n" + "\n".join(items))
        return True

    def offsets(self, lang: Lang) -> str:
        plan = self._reminders.plan
        return offsets_text(plan.offsets_days, plan.remind_at, lang)

    def _planned(self, jobs: list[Job], lang: Lang) -> str:
        if not jobs:
            return say("nothing_planned", lang)
        first = min(jobs, key=_due)
        moment = format_moment(first.due_at, lang, self._reminders.plan.zone)
        key = "planned_one" if len(jobs) == 1 else "planned"
        return say(key, lang, count=len(jobs), title=self._title(first, lang), moment=moment)

    def _title(self, job: Job, lang: Lang) -> str:
        event_id = str(job.payload.get("eventId", ""))
        for event in self._reminders.knowledge().events:
            if event.id == event_id:
                return literal(display_name(event, lang))
        return literal(event_id)


def _due(job: Job) -> datetime:
    return job.due_at


def _lang(turn: Turn) -> Lang:
    return "en" if turn.key in _ENGLISH else turn.lang


def _conversation(turn: Turn) -> str:
    conversation = turn.context.activity.conversation
    return conversation_key(conversation.id, conversation.conversation_type)
