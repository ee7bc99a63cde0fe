"""Breakout groups: `grupper af 3 i 10 min` deals the members into groups and times them.

The flow: turns.py `BreakoutCommands.start` → bot/domain/reminders/breakout.py (parse, split)
→ the groups posted with @mentions → a `breakout.end` job → `BreakoutCapability.time_is_up`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.capabilities.breakout.turns import END_JOB, PHRASES, BreakoutCommands, MemberSource
from bot.capabilities.breakout.wording import say
from bot.channel.card_text import literal
from bot.channel.router import TurnRouter
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.scheduling import Delivered, Job
from bot.scheduler import Scheduler

# Found this late (the bot was down), "time's up" would only confuse: recorded as missed.
MAX_LATENESS = timedelta(minutes=30)


class Sender(Protocol):
    async def send(self, conversation_id: str, message: str) -> str | None: ...


class Notifier(MemberSource, Sender, Protocol):
    pass


class BreakoutCapability:
    def __init__(
        self, notifier: Notifier, timers: Scheduler, clock: Clock, *, zone: ZoneInfo
    ) -> None:
        self._sender = notifier
        self.commands = BreakoutCommands(notifier, timers, clock, zone=zone)

    def register(self, router: TurnRouter) -> None:
        router.help(_help_lines)
        router.command(PHRASES, self.commands.start)

    def register_jobs(self, scheduler: Scheduler) -> None:
        scheduler.register(END_JOB, self.time_is_up, max_lateness=MAX_LATENESS)

    async def time_is_up(self, job: Job) -> Delivered:
        lang: Lang = "en" if job.payload.get("lang") == "en" else "da"
        task = str(job.payload.get("task") or "")
        text = say("time_up_task", lang, task=literal(task)) if task else say("time_up", lang)
        return Delivered(activity_id=await self._sender.send(job.conversation_id, text))


def _help_lines(lang: Lang) -> list[str]:
    return [say("help", lang)]


__all__ = ["END_JOB", "BreakoutCapability"]
