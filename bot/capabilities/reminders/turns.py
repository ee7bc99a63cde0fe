"""Reminder commands in a conversation: set one, or ask for what is missing."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.capabilities.reminders.jobs import KIND, MAX_TEXT_CHARS, Sender, reminder_job
from bot.capabilities.reminders.replies import confirmation, error_text, too_long
from bot.capabilities.reminders.wording import say
from bot.channel.router import Turn
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.reminders import ReminderError, ReminderRequest, parse_reminder
from bot.domain.scheduling import Job, JobRepository

log = logging.getLogger(__name__)

# The words a reminder command starts with (the domain's trigger, with its spellings).
SET_PHRASES = ("påmind", "paamind", "pamind", "mind", "remind")
_WHO = re.compile(
    r"^\S+\s(?:mig|me|os|us|alle|everyone|everybody|kanalen|gruppen|chatten|holdet|teamet"
    r"|the\s(?:channel|group|team))\b",
    re.IGNORECASE,
)
MAX_PENDING = 200  # coming reminders one person may have set; a runaway script stops here
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class ReminderCommands:
    def __init__(
        self,
        timers: Timers,
        jobs: JobRepository,
        clock: Clock,
        *,
        zone: ZoneInfo,
        dialog_id: str,
    ) -> None:
        self._timers = timers
        self._jobs = jobs
        self._clock = clock
        self._zone = zone
        self._dialog_id = dialog_id

    # --- setting ----------------------------------------------------------------------------

    async def create(self, turn: Turn) -> bool:
        parsed = parse_reminder(turn.text, self._clock.now(), self._zone)
        if parsed is None:
            return False
        if isinstance(parsed, ReminderError):
            return await self._not_understood(turn, parsed)
        await turn.send(await self.set(turn.context, parsed, turn.lang))
        return True

    async def _not_understood(self, turn: Turn, error: ReminderError) -> bool:
        if error.reason == "unrecognised" and _question(turn):
            return False  # "remind me what KMD is?", "mind the gap": the knowledge base's
        if len(error.text) > MAX_TEXT_CHARS:
            await turn.send(too_long(turn.lang))
            return True
        if error.reason in ("missing_time", "missing_text") or (
            error.reason == "unrecognised" and not error.text
        ):
            await turn.begin_dialog(self._dialog_id, dialog_options(turn, error))
            return True
        await turn.send(error_text(error, turn.lang))
        return True

    async def set(self, context: TurnContext, request: ReminderRequest, lang: Lang) -> str:
        """Store the reminder; the confirmation to send (or why it was not stored)."""
        sender = Sender.of(context)
        if sender is None:
            return say("no_sender", lang)
        if len(request.text) > MAX_TEXT_CHARS:
            return too_long(lang)
        if len(await self._jobs.pending_for_owner(sender.key, KIND)) >= MAX_PENDING:
            return say("too_many", lang, limit=MAX_PENDING)
        now = self._clock.now()
        request = _storable(request)
        stored = await self._timers.schedule(reminder_job(request, sender, lang, now))
        log.info("reminder %s set for %s in %s", stored.id, stored.due_at, sender.conversation_id)
        return confirmation(request, sender.scope, lang, now, self._zone)


def _question(turn: Turn) -> bool:
    if turn.text.rstrip().endswith("?"):
        return True
    return turn.key.split(" ", 1)[0] in ("mind", "remind") and not _WHO.match(turn.text)


def dialog_options(turn: Turn, error: ReminderError) -> dict[str, Any]:
    """What the reminder dialog keeps in its (JSON) state: enough to compose the command again."""
    options: dict[str, Any] = {"target": error.target, "lang": turn.lang, "text": error.text}
    if error.reason == "missing_text":
        options["command"] = turn.text  # the time is in it; the text is added to it
    return options


def _storable(request: ReminderRequest) -> ReminderRequest:
    # Lone surrogates cannot be stored or sent; control characters only disturb the card.
    text = " ".join(_UNPRINTABLE.sub("", request.text).split())
    return replace(request, text=text)
