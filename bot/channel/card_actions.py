"""Card submissions and Action.Execute invokes: parsed into a verb and its data, answered back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.language import Lang


@dataclass(frozen=True)
class CardAction:
    """A parsed submission: the verb, its data (inputs merged in) and the card it came from."""

    verb: str
    data: dict[str, Any]
    card_activity_id: str | None
    lang: Lang
    invoked: bool  # True for Action.Execute (the reply is the invoke response)


@dataclass(frozen=True)
class CardActionResult:
    """What a handler answers: a refreshed card, a message, or both (a card wins for invokes)."""

    card: dict[str, Any] | None = None
    message: str | None = None
    status: int = 200


def parse_submit(value: Any) -> tuple[str, dict[str, Any]] | None:
    """Action.Submit: the data and inputs arrive merged in `value`; the verb names the action."""
    if not isinstance(value, dict):
        return None
    verb = value.get("verb")
    if not isinstance(verb, str) or not verb:
        return None
    return verb, {k: v for k, v in value.items() if k not in ("verb", "msteams")}


def parse_execute(value: Any) -> tuple[str, dict[str, Any]] | None:
    """Action.Execute (`adaptiveCard/action` invoke): `value.action` carries verb and data."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        return None
    verb = action.get("verb")
    data = action.get("data") or {}
    if not isinstance(verb, str) or not verb or not isinstance(data, dict):
        return None
    return verb, dict(data)


def invoke_body(result: CardActionResult, lang_message: str | None = None) -> dict[str, Any]:
    """The Universal Action response body Teams expects inside the invoke's 200."""
    if result.status >= 400:
        return {
            "statusCode": result.status,
            "type": "application/vnd.microsoft.error",
            "value": {"code": "BadRequest", "message": result.message or lang_message or ""},
        }
    if result.card is not None:
        return {
            "statusCode": 200,
            "type": "application/vnd.microsoft.card.adaptive",
            "value": result.card,
        }
    return {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": result.message or lang_message or "",
    }
