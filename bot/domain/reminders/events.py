"""The reminders a subscribed conversation gets for knowledge-base events, and what changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.model import Event
from bot.domain.reminders.wallclock import to_utc

DEFAULT_OFFSETS_DAYS = (7, 1)  # one week and one day before
DEFAULT_REMIND_AT = time(9, 0)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    dedupe_key: str
    due_at: datetime  # UTC
    event_id: str
    offset_days: int


@dataclass(frozen=True, slots=True)
class PlanDiff:
    add: tuple[PlannedReminder, ...]
    update: tuple[PlannedReminder, ...]  # same key, new due time (the event moved)
    remove: tuple[str, ...]  # keys


def dedupe_key(conversation_id: str, event_id: str, offset_days: int) -> str:
    """Stable across reloads and processes; hashed, as conversation ids run to 400 characters."""
    raw = f"{conversation_id}\x00{event_id}\x00{offset_days}"
    return "kb-event:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def plan_event_reminders(
    conversation_id: str,
    events: Iterable[Event],
    now: datetime,
    *,
    offsets_days: Iterable[int] = DEFAULT_OFFSETS_DAYS,
    remind_at: time = DEFAULT_REMIND_AT,
    zone: ZoneInfo = COPENHAGEN,
) -> tuple[PlannedReminder, ...]:
    """The future reminders for one conversation, sorted by due time.

    Each event with a date reminds `offset` days before its first day at `remind_at` local
    time (moved on past a DST gap like any reminder). Skipped: events known only to a month
    or a quarter (no day to count back from, and "a week before March" would be a guess),
    reminders that are already due (the event is near or past), and a reminder that would
    come after the event has started (a same-day offset for an 8.00 event).
    """
    offsets = sorted(set(offsets_days), reverse=True)
    planned = []
    for event in events:
        if event.when.precision != "date" or not event.when.sessions:
            continue
        first = event.when.sessions[0]
        starts = first.starts_at()
        for offset in offsets:
            local = datetime.combine(first.start - timedelta(days=offset), remind_at)
            due, _shifted = to_utc(local, zone)
            if due <= now or (starts is not None and due >= starts):
                continue
            key = dedupe_key(conversation_id, event.id, offset)
            planned.append(PlannedReminder(key, due, event.id, offset))
    return tuple(sorted(planned, key=lambda p: (p.due_at, p.event_id, p.offset_days)))


def diff_plan(
    scheduled: Mapping[str, datetime], plan: Iterable[PlannedReminder], now: datetime
) -> PlanDiff:
    """What to change so the scheduled jobs (key -> due time) match `plan`; idempotent.

    A scheduled job that is already due is left alone even when the plan no longer has it:
    the plan leaves out due reminders, and a job that fell due while the bot was down must
    still be sent late, not deleted by the next reload.
    """
    wanted = {p.dedupe_key: p for p in plan}
    add = tuple(p for k, p in wanted.items() if k not in scheduled)
    update = tuple(p for k, p in wanted.items() if k in scheduled and scheduled[k] != p.due_at)
    remove = tuple(sorted(k for k, due in scheduled.items() if k not in wanted and due > now))
    return PlanDiff(add, update, remove)
