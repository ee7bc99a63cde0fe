"""The commands that manage reminders: list, delete by number, subscribe, unsubscribe, snooze."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.commands import normalise_command_text
from bot.domain.reminders.expressions import Parts, scan
from bot.domain.reminders.model import ReminderError
from bot.domain.reminders.resolve import Unresolved, resolve
from bot.domain.reminders.vocabulary import END, da

Action = Literal["list", "delete", "subscribe", "unsubscribe"]


@dataclass(frozen=True, slots=True)
class ManageCommand:
    action: Action
    number: int | None = None  # "slet påmindelse 2": the number shown in the list


_REMINDERS = rf"(?:{da('påmindelser')}|{da('påmindelse')}|reminders|reminder)"
_MANAGE: tuple[tuple[Action, re.Pattern[str]], ...] = (
    ("list", re.compile(rf"(?:(?:vis|list|show)\s(?:mine\s|my\s)?)?{_REMINDERS}")),
    (
        "delete",
        re.compile(
            rf"(?:slet|fjern|annuller|delete|remove|cancel)\s{_REMINDERS}\s(?:nr\.?\s|no\.?\s|#)?"
            r"(?P<n>\d{1,4})"
        ),
    ),
    (
        "subscribe",
        re.compile(rf"(?:abonner|abonnér|subscribe)(?:\s(?:på|pa|paa|to)\s{_REMINDERS})?"),
    ),
    (
        "unsubscribe",
        # Not "stop" alone: that cancels whatever dialog is going on.
        re.compile(
            rf"(?:afmeld|unsubscribe)(?:\s(?:fra\s|from\s)?{_REMINDERS})?|stop\s{_REMINDERS}"
        ),
    ),
)


def parse_manage_command(text: str) -> ManageCommand | None:
    """`påmindelser`, `slet påmindelse 2`, `abonner på påmindelser`, `afmeld`; else None.

    The whole message must be the command: "hvornår er påmindelser sendt?" is a question.
    """
    line = normalise_command_text(text)
    for action, pattern in _MANAGE:
        if m := pattern.fullmatch(line):
            number = int(m["n"]) if action == "delete" else None
            if number == 0:
                return None
            return ManageCommand(action, number)
    return None


# The buttons on a delivered reminder; their text is parsed like a typed snooze.
SNOOZE_CHOICES_DA = ("udsæt 10 min", "udsæt 1 time", "udsæt til i morgen kl. 9")
SNOOZE_CHOICES_EN = ("snooze 10 min", "snooze 1 hour", "snooze until tomorrow at 9")
_SNOOZE = re.compile(
    rf"(?:{da('udsæt')}|udskyd|snooze|later)(?:\s(?:med|til|i|for|until|till|by))?(?:\s|$)"
    rf"|(?:med|til|for|until)\s(?=\S)",
    re.IGNORECASE,
)
_END = re.compile(rf"{END}[\s.!]*$")


def snooze_until(text: str, now: datetime, zone: ZoneInfo = COPENHAGEN) -> datetime | ReminderError:
    """The new due time (UTC) of "udsæt 10 min", "1 time", "i morgen kl. 9", "snooze 1 hour".

    A bare amount needs no "om"; the result must lie after `now`, like any reminder.
    """
    line = normalise_command_text(text)
    prefix = _SNOOZE.match(line)
    start = prefix.end() if prefix else 0
    parts = Parts()
    end = scan(line, start, parts, bare_durations=True)
    if parts.empty or line[end:].strip(" .!"):
        return ReminderError("unrecognised", detail=line[end:])
    when = resolve(parts, now, zone)
    if isinstance(when, Unresolved):
        return ReminderError(when.reason, day=when.day, detail=when.detail)
    if when.recurrence is not None:
        return ReminderError("conflicting_times", detail=line)
    return when.due_at
