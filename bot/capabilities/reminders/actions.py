"""The buttons on a delivered reminder: snooze (10 min, 1 hour, tomorrow at 9) and done.

A delivered reminder may have one follow-up job, keyed `after:<its id>`: a snooze (moved by
a later snooze) or, once "Færdig" is pressed, a cancelled row that records it was done. The
key is unique, so two presses at once cannot both win and a stale button finds the record.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.capabilities.reminders.cards import reminder_card
from bot.capabilities.reminders.jobs import KIND, ReminderPayload, Sender, after_key
from bot.capabilities.reminders.replies import moment
from bot.capabilities.reminders.wording import say
from bot.channel.card_actions import CardAction, CardActionResult
from bot.channel.card_text import literal
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.reminders import SNOOZE_CHOICES_DA, snooze_until
from bot.domain.scheduling import Job, JobRepository, JobState, new_job

log = logging.getLogger(__name__)
_MARKER_AHEAD = timedelta(days=366)  # the done record is cancelled at once; never due


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class ReminderCardActions:
    def __init__(
        self, timers: Timers, jobs: JobRepository, clock: Clock, *, zone: ZoneInfo
    ) -> None:
        self._timers = timers
        self._jobs = jobs
        self._clock = clock
        self._zone = zone

    async def snooze(self, context: TurnContext, action: CardAction) -> CardActionResult:
        found = await self._delivered(context, action)
        if isinstance(found, CardActionResult):
            return found
        job, payload, sender = found
        choice = action.data.get("snooze")
        if (
            not isinstance(choice, int)
            or isinstance(choice, bool)
            or not 0 <= choice < len(SNOOZE_CHOICES_DA)
        ):
            return _private(say("action.bad_choice", payload.lang))
        now = self._clock.now()
        due = snooze_until(SNOOZE_CHOICES_DA[choice], now, self._zone)
        if not isinstance(due, datetime):  # the choices are fixed; this cannot fail
            return _private(say("action.bad_choice", payload.lang))
        follow_up = self._follow_up(job, payload, sender, due, now)
        stored = await self._timers.schedule(follow_up)
        refused = _refusal(stored, payload.lang)
        if refused is not None:
            return refused
        at = moment(due, payload.lang, self._zone)
        log.info("reminder %s snoozed to %s", job.id, due)
        return self._answer(action, job, payload, sender, "card.snoozed", moment=at)

    async def done(self, context: TurnContext, action: CardAction) -> CardActionResult:
        found = await self._delivered(context, action)
        if isinstance(found, CardActionResult):
            return found
        job, payload, sender = found
        now = self._clock.now()
        marker = payload.to(marker="done", done_by=sender.name)
        record = self._follow_up(job, marker, sender, now + _MARKER_AHEAD, now)
        stored = await self._timers.schedule(record)
        refused = _refusal(stored, payload.lang)
        if refused is not None:
            return refused
        # A pending snooze was just turned into the record; cancelling ends both. Of two
        # presses at once only one cancels.
        if await self._jobs.cancel_dedupe(KIND, after_key(job.id), now) is None:
            return _private(say("action.already_done", payload.lang))
        return self._answer(action, job, payload, sender, "card.marked_done")

    async def _delivered(
        self, context: TurnContext, action: CardAction
    ) -> tuple[Job, ReminderPayload, Sender] | CardActionResult:
        """The delivered reminder a button belongs to, when this person may press it."""
        job_id = action.data.get("jobId")
        sender = Sender.of(context)
        if not isinstance(job_id, str) or not 0 < len(job_id) <= 64 or sender is None:
            return _private(say("action.unknown", action.lang))
        job = await self._jobs.get(job_id)
        payload = ReminderPayload.of(job) if job is not None else None
        if job is None or payload is None or payload.marker or job.state is not JobState.DONE:
            return _private(say("action.unknown", action.lang))  # never sent, forged, or gone
        if payload.target == "me":
            if job.owner_key != sender.key:
                return _private(say("action.not_yours", payload.lang))
        elif job.conversation_id != sender.conversation_id:
            return _private(say("action.unknown", payload.lang))  # another chat's: not said
        return job, payload, sender

    def _follow_up(
        self, job: Job, payload: ReminderPayload, sender: Sender, due: datetime, now: datetime
    ) -> Job:
        # A personal reminder's buttons are pressed in the 1:1 chat: the follow-up goes there.
        conversation = sender.conversation_id if payload.target == "me" else job.conversation_id
        direct = payload.target == "conversation" or sender.scope == "personal"
        return new_job(
            KIND,
            due,
            conversation,
            now=now,
            owner_key=job.owner_key,
            payload=payload.to(direct=direct).to_json(),
            dedupe_key=after_key(job.id),
        )

    def _answer(
        self,
        action: CardAction,
        job: Job,
        payload: ReminderPayload,
        sender: Sender,
        key: str,
        **values: Any,
    ) -> CardActionResult:
        lang = payload.lang
        shared = payload.target == "conversation" and sender.name
        if shared:
            outcome = say(f"{key}_by", lang, name=literal(sender.name), **values)
        else:
            outcome = say(key, lang, **values)
        if not action.invoked:
            return _private(outcome)  # Action.Submit: a message, the card stays as it is
        return CardActionResult(
            card=reminder_card(job.id, payload, zone=self._zone, outcome=outcome)
        )


def _refusal(stored: Job, lang: Lang) -> CardActionResult | None:
    """Why the follow-up could not be stored as wanted: it was done, or already sent again."""
    if stored.state is JobState.PENDING:
        return None  # ours, or a pending snooze moved to our time
    payload = ReminderPayload.of(stored)
    if payload is not None and payload.marker == "done":
        return _private(say("action.already_done", lang))
    return _private(say("action.already_resent", lang))


def _private(text: str) -> CardActionResult:
    """An answer only the person who pressed the button sees (the invoke response)."""
    return CardActionResult(message=text)
