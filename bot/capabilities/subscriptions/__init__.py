"""Event subscriptions: a conversation reminded before the knowledge base's events.

Where a reminder is planned: turns.py `SubscriptionCommands.subscribe` and every knowledge
reload → planner.py `EventReminders.replan` (bot/domain/reminders/subscriptions.py plans,
diff_plan says what changed) → the scheduler's `subscription.reminder` jobs → delivery.py.
"""

from __future__ import annotations

from bot.capabilities.subscriptions.delivery import ReminderDelivery, TextSender
from bot.capabilities.subscriptions.planner import REMINDER_JOB, EventReminders, Timers
from bot.capabilities.subscriptions.turns import (
    STATUS_PHRASES,
    SUBSCRIBE_PHRASES,
    UNSUBSCRIBE_PHRASES,
    SubscriptionCommands,
)
from bot.capabilities.subscriptions.wording import say
from bot.channel.router import TurnRouter
from bot.domain.clock import Clock
from bot.domain.knowledge import KnowledgeService
from bot.domain.language import Lang
from bot.domain.reminders.subscriptions import ReminderPlan, SubscriptionRepository
from bot.domain.scheduling import JobRepository
from bot.scheduler import Scheduler


class SubscriptionsCapability:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        jobs: JobRepository,
        timers: Timers,
        sender: TextSender,
        knowledge: KnowledgeService,
        plan: ReminderPlan,
        clock: Clock,
    ) -> None:
        self.reminders = EventReminders(
            subscriptions, jobs, timers, lambda: knowledge.kb, plan, clock
        )
        self.commands = SubscriptionCommands(subscriptions, self.reminders, clock)
        self.delivery = ReminderDelivery(
            self.reminders, subscriptions, lambda: knowledge.kb, sender, clock, zone=plan.zone
        )
        knowledge.on_reload(self.reminders.replan_all)

    def register(self, router: TurnRouter) -> None:
        router.help(self._help_lines)
        router.command(SUBSCRIBE_PHRASES, self.commands.subscribe, exact=True)
        router.command(UNSUBSCRIBE_PHRASES, self.commands.unsubscribe, exact=True)
        router.command(STATUS_PHRASES, self.commands.status, exact=True)

    def register_jobs(self, scheduler: Scheduler) -> None:
        # No lateness limit: a reminder found late is still sent, marked late, until the
        # event's day (delivery.py refuses it after that).
        scheduler.register(REMINDER_JOB, self.delivery.run)

    def _help_lines(self, lang: Lang) -> list[str]:
        return [say("help", lang, offsets=self.commands.offsets(lang))]


__all__ = ["REMINDER_JOB", "SubscriptionsCapability"]
