"""A reminder as the scheduler stores it: who set it, where it goes, its text and language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.channel.references import conversation_key, tenant_of
from bot.domain.language import Lang
from bot.domain.reminders import Recurrence, ReminderRequest, Target, next_occurrence
from bot.domain.reminders.recurrence import parse_rule_text
from bot.domain.scheduling import Job, new_job
from bot.domain.scheduling import Recurrence as JobRecurrence

KIND = "reminder"
MAX_TEXT_CHARS = 1000  # a reminder is a sentence or two; the card stays readable
Scope = Literal["personal", "groupChat", "channel"]
LATE_AFTER = timedelta(minutes=1)  # sent later than this after its time: the card says so


def owner_key(user_id: str) -> str:
    """Whose reminder it is: the Teams user id, the same in every chat with this bot."""
    return f"user:{user_id}"


def after_key(job_id: str) -> str:
    """The one follow-up a delivered reminder may have: its snooze, or the mark that it is done."""
    return f"after:{job_id}"


@dataclass(frozen=True)
class ReminderPayload:
    """The job's payload. `direct`: the job's conversation is where it goes (a 1:1 chat, or the
    channel for a channel reminder); otherwise a personal reminder opens the 1:1 chat."""

    text: str
    lang: Lang
    target: Target
    user_id: str
    user_name: str = ""
    tenant_id: str = ""
    service_url: str = ""
    bot_id: str = ""
    created_in: str = ""  # the conversation the command was written in
    scope: Scope = "personal"  # that conversation's kind
    direct: bool = True
    marker: str = ""  # "done": not a reminder but the record that one was marked done
    done_by: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}

    @classmethod
    def of(cls, job: Job) -> ReminderPayload | None:
        """The payload of a reminder job; None when the job is not one (forged, other kind)."""
        data = job.payload
        if job.kind != KIND or not all(isinstance(data.get(k), str) for k in ("text", "user_id")):
            return None
        fields = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        if fields.get("lang") not in ("da", "en") or fields.get("target") not in (
            "me",
            "conversation",
        ):
            return None
        if not all(isinstance(v, str | bool) for v in fields.values()):
            return None
        return cls(**fields)  # type: ignore[arg-type]

    def to(self, **changes: Any) -> ReminderPayload:
        return replace(self, **changes)


@dataclass(frozen=True)
class Sender:
    """The person on a turn, as reminders need them."""

    user_id: str
    name: str
    aad_object_id: str | None
    conversation_id: str  # the conversation key (a channel, not one thread of it)
    scope: Scope
    tenant_id: str
    service_url: str
    bot_id: str

    @property
    def key(self) -> str:
        return owner_key(self.user_id)

    @classmethod
    def of(cls, context: TurnContext) -> Sender | None:
        activity = context.activity
        person = activity.from_property
        if person is None or not person.id or activity.conversation is None:
            return None
        kind = activity.conversation.conversation_type or "personal"
        scope: Scope = kind if kind in ("groupChat", "channel") else "personal"  # type: ignore[assignment]
        return cls(
            user_id=person.id,
            name=person.name or "",
            aad_object_id=person.aad_object_id,
            conversation_id=conversation_key(activity.conversation.id, kind),
            scope=scope,
            tenant_id=tenant_of(activity) or "",
            service_url=activity.service_url or "",
            bot_id=activity.recipient.id if activity.recipient is not None else "",
        )


def reminder_job(request: ReminderRequest, sender: Sender, lang: Lang, now: datetime) -> Job:
    """The job for a reminder understood on this turn."""
    payload = ReminderPayload(
        text=request.text,
        lang=lang,
        target=request.target,
        user_id=sender.user_id,
        user_name=sender.name,
        tenant_id=sender.tenant_id,
        service_url=sender.service_url,
        bot_id=sender.bot_id,
        created_in=sender.conversation_id,
        scope=sender.scope,
        direct=request.target == "conversation" or sender.scope == "personal",
    )
    recurrence = None
    if request.recurrence is not None:
        recurrence = JobRecurrence(request.recurrence.text, request.recurrence.zone_key)
    return new_job(
        KIND,
        request.due_at,
        sender.conversation_id,
        now=now,
        owner_key=sender.key,
        payload=payload.to_json(),
        recurrence=recurrence,
    )


def following(job: Job, after: datetime) -> datetime | None:
    """A recurring reminder's next occurrence after `after` (the scheduler's `next_due`)."""
    if job.recurrence is None:
        return None
    return next_occurrence(job.recurrence.rule, ZoneInfo(job.recurrence.timezone), after)


def recurrence_of(job: Job) -> Recurrence | None:
    """The domain's recurrence of a stored job, for describing it ("hver mandag kl. 9.00")."""
    if job.recurrence is None:
        return None
    try:
        rule, start = parse_rule_text(job.recurrence.rule)
    except ValueError:
        return None
    return Recurrence(rule, start, job.recurrence.timezone)
