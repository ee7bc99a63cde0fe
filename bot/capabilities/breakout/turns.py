"""`grupper af 3 i 10 min`: the members dealt into groups, @mentioned, and the timer set."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, Mention

from bot.capabilities.breakout.wording import say
from bot.channel.card_text import literal
from bot.channel.proactive import Member
from bot.channel.references import conversation_key
from bot.channel.router import Turn
from bot.domain.clock import Clock
from bot.domain.danish_format import format_time
from bot.domain.language import Lang
from bot.domain.reminders import BreakoutError, BreakoutRequest, parse_breakout, split_into_groups
from bot.domain.scheduling import DeliveryGone, Job, RetryLater, new_job

log = logging.getLogger(__name__)

END_JOB = "breakout.end"
# The leading words a breakout command may start with; parse_breakout has the last word.
PHRASES = (
    "grupper af",
    "grupper på",
    "grupper pa",
    "i grupper af",
    "groups of",
    "in groups of",
    "breakout",
    "breakout-grupper",
    "breakoutgrupper",
)
# One message holds every group's mentions; Teams refuses very large messages.
MAX_MEMBERS = 200
_TASK_CHARS = 500
_NAME_CHARS = 100


class MemberSource(Protocol):
    async def members(self, conversation_id: str) -> list[Member]: ...


class Timers(Protocol):
    async def schedule(self, job: Job) -> Job: ...


class BreakoutCommands:
    def __init__(
        self,
        members: MemberSource,
        timers: Timers,
        clock: Clock,
        *,
        zone: ZoneInfo,
        rng: random.Random | None = None,
    ) -> None:
        self._members = members
        self._timers = timers
        self._clock = clock
        self._zone = zone
        self._rng = rng or random.SystemRandom()

    async def start(self, turn: Turn) -> bool:
        request = parse_breakout(turn.text)
        if request is None:
            return False  # "grupper af kommuner?" is a question for the knowledge base
        if isinstance(request, BreakoutError):
            await turn.send(say(request.reason, turn.lang, detail=request.detail, count=0))
            return True
        activity = turn.context.activity
        conversation = activity.conversation
        if conversation is None or (conversation.conversation_type or "personal") == "personal":
            await turn.send(say("personal", turn.lang))
            return True
        conversation_id = conversation_key(conversation.id, conversation.conversation_type)
        bot_id = activity.recipient.id if activity.recipient is not None else None
        try:
            listed = await self._members.members(conversation_id)
        except (DeliveryGone, RetryLater) as error:
            log.warning("breakout: no member list for the conversation: %s", error)
            await turn.send(say("members_unavailable", turn.lang))
            return True
        # The bot is not in a group (nor another bot); someone listed twice sits once.
        people = {m.id: m for m in listed if m.id != bot_id and not m.id.startswith("28:")}
        members = list(people.values())
        refusal = _refusal(members, request, turn.lang)
        if refusal is not None:
            await turn.send(refusal)
            return True
        groups = split_into_groups(members, request.size, self._rng)
        if isinstance(groups, BreakoutError):
            await turn.send(say(groups.reason, turn.lang, count=len(members)))
            return True
        if len(groups) == 1:
            key = "one_group" if request.size > 2 else "one_group_pairs"
            await turn.send(say(key, turn.lang, count=len(members), size=request.size))
            return True
        await turn.context.send_activity(self._groups_message(request, groups, turn.lang))
        if request.duration is not None:
            await self._set_timer(conversation_id, request, turn.lang, activity.id)
        return True

    def _groups_message(
        self, request: BreakoutRequest, groups: Sequence[Sequence[Member]], lang: Lang
    ) -> Activity:
        heading = f"**{say('title', lang, size=request.size)}**"
        if request.duration is not None:
            until = format_time(self._clock.now() + request.duration, lang, zone=self._zone)
            minutes = int(request.duration.total_seconds() // 60)
            heading += " – " + say("timer", lang, minutes=minutes, until=until)
        lines = [heading]
        if request.task:
            lines.append(say("task", lang, task=literal(request.task[:_TASK_CHARS])))
        entities: list[Mention] = []
        for number, group in enumerate(groups, 1):
            tags = []
            for member in group:
                tag = f"<at>{_shown_name(member)}</at>"
                tags.append(tag)
                mentioned = ChannelAccount(id=member.id, name=_shown_name(member))
                entities.append(Mention(mentioned=mentioned, text=tag, type="mention"))
            lines.append(f"**{say('group', lang, n=number)}:** " + ", ".join(tags))
        return Activity(
            type=ActivityTypes.message,
            text="\n\n".join(lines),
            text_format="markdown",
            entities=entities,
        )

    async def _set_timer(
        self, conversation_id: str, request: BreakoutRequest, lang: Lang, activity_id: str | None
    ) -> None:
        assert request.duration is not None
        now = self._clock.now()
        # Teams may deliver the same message twice; the second must not set a second timer.
        dedupe = None
        if activity_id:
            raw = f"{conversation_id}\x00{activity_id}".encode()
            dedupe = "breakout:" + hashlib.sha256(raw).hexdigest()[:40]
        job = new_job(
            END_JOB,
            now + request.duration,
            conversation_id,
            now=now,
            payload={"lang": lang, "task": request.task[:_TASK_CHARS]},
            dedupe_key=dedupe,
        )
        await self._timers.schedule(job)


def _refusal(members: Sequence[Member], request: BreakoutRequest, lang: Lang) -> str | None:
    if len(members) > MAX_MEMBERS:
        return say("too_many_members", lang, count=len(members), limit=MAX_MEMBERS)
    if len(members) < 2:
        return say("too_few_members", lang, count=len(members))
    return None


def _shown_name(member: Member) -> str:
    # The mention's text must match the message's text exactly; angle brackets would end it.
    name = " ".join((member.name or "").replace("<", "").replace(">", "").split())
    return name[:_NAME_CHARS] or "?"
