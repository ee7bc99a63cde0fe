"""Reminder commands ("påmind mig i morgen kl. 9 om …", "remind us every Monday at 9 to …")."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.clock import COPENHAGEN
from bot.domain.commands import clean_text
from bot.domain.reminders.expressions import Parts, scan
from bot.domain.reminders.model import (
    MissingPart,
    ParseResult,
    Reason,
    ReminderError,
    ReminderRequest,
    Target,
)
from bot.domain.reminders.resolve import Unresolved, resolve
from bot.domain.reminders.vocabulary import da

_TRIGGER = re.compile(
    rf"(?:{da('påmind')}|{da('mind')}|remind)(?:\s(?P<who>mig|me|os|us|alle|everyone|everybody"
    r"|kanalen|gruppen|chatten|the\schannel|the\sgroup|the\steam|holdet|teamet))?(?![\w])",
    re.IGNORECASE,
)
_ME = {"mig", "me"}
# What introduces the reminder's text: "om …", "to …", "about …", ": …". "at" (Danish "to")
# starts the text and stays in it ("om at svare" is said as "at svare").
_SEPARATOR = re.compile(r"\s?(?::|–|-|\bom\b|\bto\b|\babout\b|\bthat\b)\s?", re.IGNORECASE)
_TAIL_WORDS = 10  # a time expression at the end of a text is at most this many words
_TRAILING = " .!,;"


def parse_reminder(text: str, now: datetime, zone: ZoneInfo = COPENHAGEN) -> ParseResult | None:
    """A reminder command understood, or why not; None when `text` is not a reminder command.

    Linear in the text: its pieces are anchored patterns of bounded length, and the end of
    the text is searched for a time expression from at most `_TAIL_WORDS` word starts.
    """
    line = clean_text(text)
    trigger = _TRIGGER.match(line)
    if trigger is None:
        return None
    who = (trigger["who"] or "mig").lower()
    target: Target = "me" if who in _ME else "conversation"
    parts = Parts()
    pos = scan(line, trigger.end(), parts)
    separator = _SEPARATOR.match(line, pos)
    body = line[separator.end() if separator else pos :].strip(_TRAILING + " ")
    if (not separator and pos == trigger.end() and body) or _needs_tail(parts):
        body, parts = _time_at_end(body, parts)
    if parts.empty:
        # Words but no "om …"/"to …" and no time: nonsense, answered with an example.
        reason: Reason = "missing_time" if separator and body else "unrecognised"
        return ReminderError(reason, target, body, missing_parts=_missing(parts, body))
    when = resolve(parts, now, zone)
    if isinstance(when, Unresolved):
        missing = _missing(parts, body) if when.reason == "missing_time" else ()
        return ReminderError(when.reason, target, body, when.day, None, missing, when.detail)
    if not body:
        return ReminderError("missing_text", target, "", missing_parts=("text",))
    return ReminderRequest(
        target=target,
        due_at=when.due_at,
        text=body,
        default_time_used=when.default_time_used,
        wall_time_shifted=when.wall_time_shifted,
        recurrence=when.recurrence,
        relative=when.relative,
    )


def _needs_tail(parts: Parts) -> bool:
    # Only a missing piece is looked for at the end: after "i morgen kl. 9 om at flytte mødet
    # til fredag kl. 10" the words "fredag kl. 10" are the text's, not a second time.
    return parts.empty or (parts.time is None and not parts.duration and parts.error is None)


def _time_at_end(body: str, parts: Parts) -> tuple[str, Parts]:
    """`body` without the time expression it ends with, and `parts` with that expression."""
    starts = _word_starts(body)
    for start in starts:
        # A day said first may get its time at the end ("i morgen om mødet kl. 9").
        found = Parts() if parts.empty else _copy(parts)
        end = scan(body, start, found)
        if end == start or body[end:].strip(_TRAILING):
            continue
        if not parts.empty and (
            found.error or found.time is None or found.has_day != parts.has_day
        ):
            continue
        text = body[:start].rstrip(_TRAILING)
        separator = re.search(r"\s(?:om|to|about|at)$", text, re.IGNORECASE)
        return (text[: separator.start()] if separator else text), found
    return body, parts


def _word_starts(body: str) -> list[int]:
    """The starts of the last `_TAIL_WORDS` words, earliest first (the longest tail wins)."""
    starts: list[int] = []
    end = len(body)
    while len(starts) < _TAIL_WORDS:
        space = body.rfind(" ", 0, end)
        starts.append(space + 1)
        if space < 0:
            break
        end = space
    return starts[::-1]


def _copy(parts: Parts) -> Parts:
    return replace(parts, duration=list(parts.duration), byday=list(parts.byday))


def _missing(parts: Parts, body: str) -> tuple[MissingPart, ...]:
    missing: list[MissingPart] = []
    if parts.time is None and not parts.duration:
        missing.append("time")
    if not body:
        missing.append("text")
    return tuple(missing)
