"""The confirmation of a reminder that was set, and the answer to one that could not be."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.capabilities.reminders.jobs import MAX_TEXT_CHARS, Scope
from bot.capabilities.reminders.wording import say
from bot.channel.card_text import literal
from bot.domain.danish_format import format_date, format_time
from bot.domain.language import Lang
from bot.domain.reminders import (
    DEFAULT_TIME,
    Recurrence,
    ReminderError,
    ReminderRequest,
    describe_recurrence,
    format_moment,
)
from bot.domain.reminders.model import MAX_AHEAD_YEARS

_SHOWN_CHARS = 80


def moment(at: datetime, lang: Lang, zone: ZoneInfo) -> str:
    """ "torsdag den 3. december 2026 kl. 9.00" / "Thursday 3 December 2026 at 09:00"."""
    return format_moment(at, lang, zone)


def clock_time(at: datetime | time, lang: Lang, zone: ZoneInfo) -> str:
    """ "9.00" / "09:00"."""
    return format_time(at, lang, zone=zone)


def pattern(recurrence: Recurrence, lang: Lang) -> str:
    """ "hver mandag kl. 9.00" / "every Monday at 09:00"."""
    return describe_recurrence(recurrence, lang)


def shown(text: str, limit: int = _SHOWN_CHARS) -> str:
    """A reminder's text quoted in a reply: literal, on one line, shortened."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return literal(cut)


def confirmation(
    request: ReminderRequest, scope: Scope, lang: Lang, now: datetime, zone: ZoneInfo
) -> str:
    """ "Jeg minder dig om „…“ torsdag den 3. december 2026 kl. 9.00." and what was assumed."""
    at = moment(request.due_at, lang, zone)
    if request.recurrence is not None:
        every = pattern(request.recurrence, lang)
        when = say("when.recurring", lang, pattern=every, moment=at)
    elif request.relative and (span := _span(request.due_at, now, lang)):
        when = say("when.relative", lang, span=span, moment=at)
    else:
        when = say("when.once", lang, moment=at)
    if request.target == "me":
        key = "set.me"
    else:
        key = "set.channel" if scope == "channel" else "set.chat"
    lines = [say(key, lang, text=shown(request.text), when=when)]
    if request.default_time_used:
        lines.append(say("note.default_time", lang, time=clock_time(DEFAULT_TIME, lang, zone)))
    if request.wall_time_shifted:
        lines.append(say("note.shifted", lang, time=clock_time(request.due_at, lang, zone)))
    if request.target == "me" and scope != "personal":
        lines.append(say("note.private", lang))
    lines.append(say("note.manage", lang))
    return " ".join(lines)


def _span(due_at: datetime, now: datetime, lang: Lang) -> str:
    """ "20 minutter", "2 timer og 5 minutter"; empty from a day on (the date says it)."""
    minutes = round((due_at - now).total_seconds() / 60)
    if not 0 < minutes < 24 * 60:
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(say("span.hour", lang) if hours == 1 else say("span.hours", lang, n=hours))
    if rest:
        parts.append(say("span.minute", lang) if rest == 1 else say("span.minutes", lang, n=rest))
    return parts[0] if len(parts) == 1 else say("span.and", lang, a=parts[0], b=parts[1])


def error_text(error: ReminderError, lang: Lang) -> str:
    """Why the reminder was not set, in the words of the reason code."""
    reason = error.reason
    if reason == "in_the_past":
        day = f" ({format_date(error.day, lang)})" if error.day else ""
        return say(reason, lang, day=day)
    if reason in ("impossible_date", "impossible_time"):
        return say(reason, lang, detail=shown(error.detail or "?", 40))
    if reason == "conflicting_times":
        detail = f" („{shown(error.detail, 40)}“)" if error.detail.strip() else ""
        if lang == "en" and detail:
            detail = f' ("{shown(error.detail, 40)}")'
        return say(reason, lang, detail=detail)
    if reason == "weekday_mismatch" and error.day is not None:
        return say(reason, lang, day=format_date(error.day, lang, weekday=True))
    if reason == "too_far":
        return say(reason, lang, years=MAX_AHEAD_YEARS)
    if reason == "invalid_recurrence":
        return say(reason, lang)
    return say("unrecognised", lang)


def too_long(lang: Lang) -> str:
    return say("text_too_long", lang, limit=MAX_TEXT_CHARS)
