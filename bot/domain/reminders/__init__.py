"""Reminder rules: commands and times understood, recurrence, event plans, breakout groups."""

from bot.domain.reminders.breakout import (
    BreakoutError,
    BreakoutRequest,
    group_sizes,
    parse_breakout,
    split_into_groups,
)
from bot.domain.reminders.commands import (
    SNOOZE_CHOICES_DA,
    SNOOZE_CHOICES_EN,
    ManageCommand,
    parse_manage_command,
    snooze_until,
)
from bot.domain.reminders.events import (
    PlanDiff,
    PlannedReminder,
    dedupe_key,
    diff_plan,
    plan_event_reminders,
)
from bot.domain.reminders.formatting import describe_recurrence, format_moment
from bot.domain.reminders.model import (
    DEFAULT_TIME,
    ParseResult,
    Reason,
    Recurrence,
    ReminderError,
    ReminderRequest,
    Target,
)
from bot.domain.reminders.parse import parse_reminder
from bot.domain.reminders.recurrence import next_occurrence
from bot.domain.reminders.wallclock import to_utc

__all__ = [
    "DEFAULT_TIME",
    "SNOOZE_CHOICES_DA",
    "SNOOZE_CHOICES_EN",
    "BreakoutError",
    "BreakoutRequest",
    "ManageCommand",
    "ParseResult",
    "PlanDiff",
    "PlannedReminder",
    "Reason",
    "Recurrence",
    "ReminderError",
    "ReminderRequest",
    "Target",
    "dedupe_key",
    "describe_recurrence",
    "diff_plan",
    "format_moment",
    "group_sizes",
    "next_occurrence",
    "parse_breakout",
    "parse_manage_command",
    "parse_reminder",
    "plan_event_reminders",
    "snooze_until",
    "split_into_groups",
    "to_utc",
]
