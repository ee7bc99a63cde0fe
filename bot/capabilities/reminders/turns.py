"""Reminder commands in a conversation: set one (or ask what is missing), list, delete."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import StatePropertyAccessor, TurnContext

from bot.capabilities.reminders.jobs import (
    KIND,
    MAX_TEXT_CHARS,
    ReminderPayload,
    Sender,
    recurrence_of,
    reminder_job,
)
from bot.capabilities.reminders.replies import (
    confirmation,
    error_text,
    moment,
    pattern,
    shown,
    too_long,
)
from bot.capabilities.reminders.wording import say
from bot.channel.router import Turn
from bot.domain.admins import Admins
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.reminders import (
    ReminderError,
    ReminderRequest,
    parse_manage_command,
    parse_reminder,
)
from bot.domain.scheduling import Job, JobRepository

log = logging.getLogger(__name__)

# The words a reminder command starts with (the domain's trigger, with its spellings).
SET_PHRASES = ("påmind", "paamind", "pamind", "mind", "remind")
_REMINDER_WORDS: tuple[str, ...] = (
    "påmindelser",
    "påmindelse",
    "paamindelser",
    "paamindelse",
    "pamindelser",
)
_REMINDER_WORDS += ("pamindelse", "reminders", "reminder")
_VERBS = ("vis", "list", "show", "slet", "fjern", "annuller", "delete", "remove", "cancel")
MANAGE_PHRASES = (
    *_REMINDER_WORDS,
    *(f"{verb} {word}" for verb in _VERBS for word in _REMINDER_WORDS),
    *(
        f"{verb} {mine} {word}"
        for verb in ("vis", "list", "show")
        for mine in ("mine", "my")
        for word in _REMINDER_WORDS
    ),
)
_WHO = re.compile(
    r"^\S+\s(?:mig|me|os|us|alle|everyone|everybody|kanalen|gruppen|chatten|holdet|teamet"
    r"|the\s(?:channel|group|team))\b",
    re.IGNORECASE,
)
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class ReminderCommands:
    def __init__(
        self,
        timers: Timers,
        jobs: JobRepository,
        listing: StatePropertyAccessor,
        clock: Clock,
        *,
        admins: Admins,
        zone: ZoneInfo,
        dialog_id: str,
    ) -> None:
        self._timers = timers
        self._jobs = jobs
        self._listing = listing  # per user: where they were last shown a list, and its ids
        self._clock = clock
        self._admins = admins
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
        now = self._clock.now()
        stored = await self._timers.schedule(reminder_job(_storable(request), sender, lang, now))
        log.info("reminder %s set for %s in %s", stored.id, stored.due_at, sender.conversation_id)
        return confirmation(request, sender.scope, lang, now, self._zone)

    # --- listing and deleting -------------------------------------------------------------

    async def manage(self, turn: Turn) -> bool:
        command = parse_manage_command(turn.text)
        if command is None or command.action not in ("list", "delete"):
            return False  # subscriptions belong to another capability
        sender = Sender.of(turn.context)
        if sender is None:
            await turn.send(say("no_sender", turn.lang))
            return True
        if command.action == "list":
            await turn.send(await self._list(turn.context, sender, turn.lang))
        else:
            await turn.send(
                await self._delete(turn.context, sender, command.number or 0, turn.lang)
            )
        return True

    async def listed(self, sender: Sender) -> tuple[list[Job], int]:
        """The reminders this person sees here, by due time, and how many of theirs are left
        out (personal ones set elsewhere, not shown to a group)."""
        mine = await self._jobs.pending_for_owner(sender.key, KIND)
        here = await self._jobs.pending_for_conversation(sender.conversation_id, KIND)
        shown_jobs: dict[str, Job] = {}
        hidden = 0
        for job in mine:
            payload = ReminderPayload.of(job)
            if payload is None or payload.marker or payload.target != "me":
                continue
            if sender.scope == "personal" or payload.created_in == sender.conversation_id:
                shown_jobs[job.id] = job
            else:
                hidden += 1
        for job in here:
            payload = ReminderPayload.of(job)
            if payload is not None and not payload.marker and payload.target == "conversation":
                shown_jobs[job.id] = job
        ordered = sorted(shown_jobs.values(), key=lambda j: (j.due_at, j.id))
        return ordered, hidden

    async def _list(self, context: TurnContext, sender: Sender, lang: Lang) -> str:
        jobs, hidden = await self.listed(sender)
        await self._listing.set(
            context, {"conversation": sender.conversation_id, "ids": [j.id for j in jobs]}
        )
        elsewhere = [say("list.elsewhere", lang, count=hidden)] if hidden else []
        if not jobs:
            return "\n\n".join([say("list.none", lang), *elsewhere])
        title = say("list.personal" if sender.scope == "personal" else "list.conversation", lang)
        lines = [f"**{title}**"]
        for number, job in enumerate(jobs, 1):
            lines.append(f"{number}. {self._describe(job, lang, sender)}")
        return "\n\n".join([*lines, *elsewhere, say("list.hint", lang)])

    def _describe(self, job: Job, lang: Lang, sender: Sender | None = None) -> str:
        payload = ReminderPayload.of(job)
        text = shown(payload.text if payload else "")
        line = (
            f"{self._when(job, lang)} — „{text}“"
            if lang == "da"
            else f'{self._when(job, lang)} — "{text}"'
        )
        if sender is not None and sender.scope != "personal" and payload is not None:
            line += (
                f" ({say('list.to_you' if payload.target == 'me' else 'list.to_channel', lang)})"
            )
        return line

    def _when(self, job: Job, lang: Lang) -> str:
        at = moment(job.due_at, lang, self._zone)
        recurrence = recurrence_of(job)
        if recurrence is None:
            return at
        return f"{at} ({pattern(recurrence, lang)})"

    async def _delete(self, context: TurnContext, sender: Sender, number: int, lang: Lang) -> str:
        snapshot = await self._listing.get(context, dict) or {}
        ids = (
            snapshot.get("ids") if snapshot.get("conversation") == sender.conversation_id else None
        )
        if not isinstance(ids, list):
            # No list was shown here: only an unmistakable "slet påmindelse 1" is taken.
            current, _ = await self.listed(sender)
            if number != 1 or len(current) != 1:
                return say("delete.list_first", lang)
            ids = [current[0].id]
        if not 1 <= number <= len(ids):
            return say("delete.no_number", lang, n=number)
        job = await self._jobs.get(str(ids[number - 1]))
        payload = ReminderPayload.of(job) if job is not None else None
        if job is None or payload is None or job.state.value not in ("pending", "claimed"):
            text = shown(payload.text, 40) if payload else "?"
            return say("delete.gone", lang, n=number, text=text)
        if not self._may_delete(job, payload, sender):
            return say("delete.denied", lang)
        cancelled = await self._jobs.cancel(job.id, self._clock.now())
        if cancelled is None:  # sent between the read and the cancel
            return say("delete.gone", lang, n=number, text=shown(payload.text, 40))
        key = "delete.series" if job.recurrence is not None else "delete.done"
        return say(key, lang, text=shown(payload.text), when=self._when(job, lang))

    def _may_delete(self, job: Job, payload: ReminderPayload, sender: Sender) -> bool:
        if job.owner_key == sender.key:
            return True
        if payload.target == "me":
            return False  # a personal reminder is its owner's alone
        return job.conversation_id == sender.conversation_id and self._admins.includes(
            sender.user_id, sender.aad_object_id
        )


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
