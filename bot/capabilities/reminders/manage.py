"""Listing the coming reminders with numbers, and deleting one by the number that was shown."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from botbuilder.core import StatePropertyAccessor, TurnContext

from bot.capabilities.reminders.jobs import KIND, ReminderPayload, Sender, recurrence_of
from bot.capabilities.reminders.replies import moment, pattern, shown
from bot.capabilities.reminders.wording import say
from bot.channel.router import Turn
from bot.domain.admins import Admins
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.reminders import parse_manage_command
from bot.domain.scheduling import Job, JobRepository

# The words of the domain's manage commands (bot/domain/reminders/commands.py), as typed.
_DANISH_WORDS = "påmindelser påmindelse paamindelser paamindelse pamindelser pamindelse"
_REMINDER_WORDS = (*_DANISH_WORDS.split(), "reminders", "reminder")
MAX_LISTED = 50
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


class ReminderList:
    def __init__(
        self,
        jobs: JobRepository,
        listing: StatePropertyAccessor,
        clock: Clock,
        *,
        admins: Admins,
        zone: ZoneInfo,
    ) -> None:
        self._jobs = jobs
        self._listing = listing  # per user: where they were last shown a list, and its ids
        self._clock = clock
        self._admins = admins
        self._zone = zone

    async def manage(self, turn: Turn) -> bool:
        command = parse_manage_command(turn.text)
        if command is None or command.action not in ("list", "delete"):
            return False  # subscriptions belong to another capability
        # "reminders" alone is too short to tell a language by; its words say it is English.
        lang: Lang = "en" if "reminder" in turn.key else turn.lang
        sender = Sender.of(turn.context)
        if sender is None:
            await turn.send(say("no_sender", lang))
            return True
        if command.action == "list":
            await turn.send(await self._list(turn.context, sender, lang))
        else:
            await turn.send(await self._delete(turn.context, sender, command.number or 0, lang))
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
        more = len(jobs) - MAX_LISTED
        jobs = jobs[:MAX_LISTED]  # a Teams message holds about 28 KB
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
        if more > 0:
            lines.append(say("list.more", lang, count=more))
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
