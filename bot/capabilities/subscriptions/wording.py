"""What the bot says about event subscriptions, in Danish and English."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from bot.domain.danish_format import format_time
from bot.domain.language import Lang, Phrasebook

_TEXTS: dict[str, dict[Lang, str]] = {
    "help": {
        "da": "**abonner på påmindelser** – samtalen får besked før vidensbasens begivenheder "
        "og frister ({offsets}); **abonnement** viser de næste; **afmeld påmindelser** "
        "stopper det.",
        "en": "**subscribe** – this conversation is reminded before the knowledge base's "
        "events and deadlines ({offsets}); **subscription** shows the next ones; "
        "**unsubscribe** stops it.",
    },
    "subscribed": {
        "da": "Denne samtale abonnerer nu på påmindelser om vidensbasens begivenheder og "
        "frister: {offsets}.",
        "en": "This conversation is now subscribed to reminders of the knowledge base's events "
        "and deadlines: {offsets}.",
    },
    "already": {
        "da": "Denne samtale abonnerer allerede på påmindelser ({offsets}).",
        "en": "This conversation is already subscribed to reminders ({offsets}).",
    },
    "planned": {
        "da": "{count} påmindelser er planlagt. Den næste: **{title}** – påmindelse {moment}.",
        "en": "{count} reminders are planned. The next: **{title}** – reminder on {moment}.",
    },
    "planned_one": {
        "da": "1 påmindelse er planlagt: **{title}** – påmindelse {moment}.",
        "en": "1 reminder is planned: **{title}** – reminder on {moment}.",
    },
    "nothing_planned": {
        "da": "Lige nu er der ingen kommende begivenheder med en dato at minde om; nye "
        "kommer med, når vidensbasen opdateres.",
        "en": "There are no upcoming dated events to remind of right now; new ones are "
        "included when the knowledge base is updated.",
    },
    "how_to_stop": {
        "da": "Skriv `afmeld påmindelser` for at stoppe.",
        "en": "Write `unsubscribe` to stop.",
    },
    "unsubscribed": {
        "da": "Abonnementet er afmeldt; {count} planlagte påmindelser er slettet.",
        "en": "Unsubscribed; {count} planned reminders were removed.",
    },
    "unsubscribed_one": {
        "da": "Abonnementet er afmeldt; 1 planlagt påmindelse er slettet.",
        "en": "Unsubscribed; 1 planned reminder was removed.",
    },
    "unsubscribed_none": {
        "da": "Abonnementet er afmeldt; der var ingen planlagte påmindelser.",
        "en": "Unsubscribed; there were no planned reminders.",
    },
    "status": {
        "da": "Denne samtale abonnerer på påmindelser ({offsets}). De næste:",
        "en": "This conversation is subscribed to reminders ({offsets}). The next ones:",
    },
    "status_more": {
        "da": "… og {count} flere.",
        "en": "… and {count} more.",
    },
    "not_subscribed": {
        "da": "Denne samtale abonnerer ikke på påmindelser. Skriv `abonner på påmindelser` "
        "for at få dem.",
        "en": "This conversation is not subscribed to reminders. Write `subscribe` to get them.",
    },
    "reminder": {
        "da": "🔔 Påmindelse: **{title}** – {relative}",
        "en": "🔔 Reminder: **{title}** – {relative}",
    },
    "today": {"da": "i dag.", "en": "today."},
    "tomorrow": {"da": "i morgen.", "en": "tomorrow."},
    "in_days": {"da": "om {n} dage.", "en": "in {n} days."},
    "when": {"da": "Hvornår", "en": "When"},
    "place": {"da": "Sted", "en": "Where"},
    "registration": {"da": "Tilmelding", "en": "Registration"},
    "late": {
        "da": "_Forsinket: skulle være sendt kl. {moment}_",
        "en": "_Late: should have been sent at {moment}_",
    },
    "late_day": {
        "da": "_Forsinket: skulle være sendt {moment}_",
        "en": "_Late: should have been sent on {moment}_",
    },
}


_BOOK = Phrasebook(_TEXTS)
say = _BOOK.say


def offsets_text(offsets_days: Sequence[int], remind_at: time, lang: Lang) -> str:
    """`7 dage og 1 dag før kl. 9.00` / `7 days and 1 day before, at 09:00`."""
    en = lang == "en"
    ordered = sorted(set(offsets_days), reverse=True)
    before = [_days(n, en) for n in ordered if n > 0]
    joiner = " and " if en else " og "
    text = ", ".join(before[:-1]) + joiner + before[-1] if len(before) > 1 else "".join(before)
    if text:
        text += " before" if en else " før"
    if 0 in ordered:
        same_day = "on the day" if en else "samme dag"
        text = f"{text}{joiner}{same_day}" if text else same_day
    clock = format_time(remind_at, lang)
    return f"{text}, at {clock}" if en else f"{text} kl. {clock}"


def _days(n: int, en: bool) -> str:
    if en:
        return "1 day" if n == 1 else f"{n} days"
    return "1 dag" if n == 1 else f"{n} dage"
