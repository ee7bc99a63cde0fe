"""The delivered reminder: its text, late or next-time notes, and the snooze and done buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.capabilities.reminders.jobs import ReminderPayload
from bot.capabilities.reminders.replies import clock_time, moment
from bot.capabilities.reminders.wording import say
from bot.channel.card_text import literal
from bot.channel.cards import adaptive_card, heading, paragraph
from bot.domain.danish_format import to_zone

SNOOZE_VERB, DONE_VERB = "reminder.snooze", "reminder.done"
# The buttons' choices, in the order of the domain's SNOOZE_CHOICES_DA (what they mean).
SNOOZE_LABELS = ("card.snooze_10", "card.snooze_60", "card.snooze_tomorrow")


def reminder_card(
    job_id: str,
    payload: ReminderPayload,
    *,
    zone: ZoneInfo,
    late_since: datetime | None = None,
    sent_at: datetime | None = None,
    next_due: datetime | None = None,
    outcome: str | None = None,
) -> dict[str, Any]:
    """The card as delivered; with `outcome` ("Udsat til …", "Færdig ✓") the buttons are gone."""
    lang = payload.lang
    body: list[dict[str, Any]] = [
        heading(say("card.title", lang)),
        paragraph(literal(payload.text)),
    ]
    if late_since is not None:
        body.append(paragraph(_late(late_since, sent_at, zone, payload), color="Attention"))
    if payload.target == "conversation" and payload.user_name:
        name = literal(payload.user_name)
        body.append(paragraph(say("card.set_by", lang, name=name), isSubtle=True, spacing="None"))
    if next_due is not None:
        body.append(
            paragraph(say("card.next", lang, moment=moment(next_due, lang, zone)), isSubtle=True)
        )
    actions: list[dict[str, Any]] = []
    if outcome is not None:
        body.append(paragraph(outcome, weight="Bolder", color="Good"))
    else:
        for choice, label in enumerate(SNOOZE_LABELS):
            actions.append(_execute(say(label, lang), SNOOZE_VERB, job_id, snooze=choice))
        actions.append(_execute(say("card.done", lang), DONE_VERB, job_id, style="positive"))
    return adaptive_card(body, actions, fallback_text=f"{say('card.title', lang)}: {payload.text}")


def _late(
    intended: datetime, sent_at: datetime | None, zone: ZoneInfo, payload: ReminderPayload
) -> str:
    same_day = (
        sent_at is not None and to_zone(sent_at, zone).date() == to_zone(intended, zone).date()
    )
    if same_day:
        return say("card.late", payload.lang, time=clock_time(intended, payload.lang, zone))
    return say("card.late_day", payload.lang, moment=moment(intended, payload.lang, zone))


def _execute(
    title: str, verb: str, job_id: str, *, snooze: int | None = None, style: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"jobId": job_id}
    if snooze is not None:
        data["snooze"] = snooze
    action: dict[str, Any] = {"type": "Action.Execute", "title": title, "verb": verb, "data": data}
    if style:
        action["style"] = style
    return action
