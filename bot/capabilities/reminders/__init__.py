"""Reminders: personal, channel and recurring ones set in chat, listed, deleted, snoozed, sent.

Where a reminder is stored: turns.py `ReminderCommands.set` → the scheduler's job repository
(storage/scheduled_jobs.py); where it is sent: delivery.py `ReminderDelivery.deliver`, the
handler of the scheduler's `reminder` jobs.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from botbuilder.core import StatePropertyAccessor

from bot.capabilities.reminders.actions import ReminderCardActions
from bot.capabilities.reminders.cards import DONE_VERB, SNOOZE_VERB
from bot.capabilities.reminders.delivery import ReminderDelivery, Sender
from bot.capabilities.reminders.jobs import KIND
from bot.capabilities.reminders.manage import MANAGE_PHRASES, ReminderList
from bot.capabilities.reminders.turns import SET_PHRASES, ReminderCommands
from bot.capabilities.reminders.wording import say
from bot.channel.router import TurnRouter
from bot.domain.admins import Admins
from bot.domain.clock import Clock
from bot.domain.language import Lang
from bot.domain.scheduling import JobRepository
from bot.scheduler import Scheduler

DIALOG_ID = "ReminderDialog"


class RemindersCapability:
    def __init__(
        self,
        scheduler: Scheduler,
        jobs: JobRepository,
        sender: Sender,
        listing: StatePropertyAccessor,
        clock: Clock,
        *,
        admins: Admins,
        zone: ZoneInfo,
    ) -> None:
        self._scheduler = scheduler
        self._clock = clock
        self._zone = zone
        self.commands = ReminderCommands(scheduler, jobs, clock, zone=zone, dialog_id=DIALOG_ID)
        self.listing = ReminderList(jobs, listing, clock, admins=admins, zone=zone)
        self.actions = ReminderCardActions(scheduler, jobs, clock, zone=zone)
        self.delivery = ReminderDelivery(sender, clock, zone=zone)

    def register(self, router: TurnRouter) -> None:
        router.help(_help_lines)
        router.command(SET_PHRASES, self.commands.create)
        router.command(MANAGE_PHRASES, self.listing.manage)
        router.verb(SNOOZE_VERB, self.actions.snooze)
        router.verb(DONE_VERB, self.actions.done)
        from dialogs.reminder_dialog import ReminderDialog  # it imports this package's parts

        router.dialog(ReminderDialog(self.commands.set, self._clock, self._zone))

    def register_jobs(self, *, max_lateness_hours: float) -> None:
        """The scheduler's `reminder` jobs; one found later than that after its time (the bot
        was down) is recorded as missed and not sent (REMINDER_MAX_LATENESS_HOURS)."""
        self._scheduler.register(
            KIND,
            self.delivery.deliver,
            next_due=self.delivery.next_due,
            max_lateness=timedelta(hours=max_lateness_hours),
        )


def _help_lines(lang: Lang) -> list[str]:
    return [say("help.reminders", lang)]


__all__ = ["KIND", "RemindersCapability"]
