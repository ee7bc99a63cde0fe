"""Adaptive Cards the bot posts: welcome and help (other capabilities add their own modules)."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.channel.wording import help_examples, say
from bot.domain.language import Lang

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"


def adaptive_card(
    body: list[dict[str, Any]],
    actions: list[dict[str, Any]] | None = None,
    *,
    fallback_text: str = "",
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    if fallback_text:
        card["fallbackText"] = fallback_text
    return card


def as_attachment(card: dict[str, Any]) -> Attachment:
    return CardFactory.adaptive_card(card)


def ask_button(title: str, text: str) -> dict[str, Any]:
    """A button that sends `text` as if the user had typed it (Teams imBack)."""
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"msteams": {"type": "imBack", "value": text}, "verb": "ask", "text": text},
    }


def heading(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "size": "Medium", "wrap": True}


def paragraph(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def welcome_card(lang: Lang, *, in_channel: bool) -> dict[str, Any]:
    body = [heading(say("welcome.title", lang)), paragraph(say("welcome.body", lang))]
    if in_channel:
        body.append(paragraph(say("welcome.channel_hint", lang), isSubtle=True))
    actions = [ask_button(say("welcome.help_button", lang), say("help.command", lang))]
    return adaptive_card(body, actions, fallback_text=say("welcome.body", lang))


def help_card(lang: Lang, lines: list[str]) -> dict[str, Any]:
    """`lines`: what each capability registered it can do, in the user's language."""
    body = [
        heading(say("help.title", lang)),
        paragraph("\n".join("- " + line for line in lines)),
        paragraph(say("help.examples", lang), weight="Bolder", spacing="Medium"),
    ]
    actions = [ask_button(example, example) for example in help_examples(lang)]
    return adaptive_card(body, actions, fallback_text=say("help.title", lang))
