"""Adaptive Cards for knowledge answers: compact, with calendar link, suggestions and rating."""

from __future__ import annotations

import copy
from typing import Any

from bot.channel.card_text import literal
from bot.channel.cards import adaptive_card, heading, paragraph
from bot.domain.knowledge.answers import Answer, Suggestion

RATING_ID = "rating"
# Answers whose text is the knowledge owner's, Markdown included, shown as written. Every other
# answer (an "I don't know" that repeats the question, role holders with the names people
# registered and the municipality or role they typed) is shown literally, and so is any kind
# added later until it is listed here.
OWNER_WRITTEN = frozenset({"role", "event", "contact", "fact", "list", "events"})
_WORDS = {
    "da": {
        "calendar": "📅 Tilføj til kalender",
        "rate": "Var svaret nyttigt?",
        "thanks": "Tak for din vurdering.",
        "review": "Beskrivelsen afventer gennemsyn.",
    },
    "en": {
        "calendar": "📅 Add to calendar",
        "rate": "Was this helpful?",
        "thanks": "Thanks for your rating.",
        "review": "This description awaits review.",
    },
}


def _as_written(text: str) -> str:
    return text


def _w(lang: str, key: str) -> str:
    return _WORDS["en" if lang == "en" else "da"][key]


def answer_card(answer: Answer, *, answer_id: str | None, ics_url: str | None) -> dict[str, Any]:
    """The answer as a card; `answer_id` adds 👍/👎 (Action.Execute), `ics_url` a calendar link."""
    shown = _as_written if answer.kind in OWNER_WRITTEN else literal
    body: list[dict[str, Any]] = [heading(shown(answer.title))]
    body += [paragraph(shown(line)) for line in answer.lines]
    if answer.facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {"title": shown(label), "value": shown(value)} for label, value in answer.facts
                ],
            }
        )
    if answer.items:
        body.append(paragraph("\n".join(f"- {shown(item)}" for item in answer.items)))
    if answer.needs_review:
        body.append(paragraph(_w(answer.lang, "review"), isSubtle=True, size="Small"))
    if answer_id:
        body.append(_rating_row(answer.lang, answer_id))
    actions = [
        {"type": "Action.OpenUrl", "title": title, "url": url}
        for title, url in answer.links
        if url.startswith(("https://", "http://", "mailto:"))
    ]
    if ics_url:
        actions.append(
            {"type": "Action.OpenUrl", "title": _w(answer.lang, "calendar"), "url": ics_url}
        )
    actions += [suggestion_button(s) for s in answer.suggestions[:3]]
    return adaptive_card(body, actions, fallback_text=shown(answer.title))


def suggestion_button(suggestion: Suggestion) -> dict[str, Any]:
    """Shows the question as the user's message and lets the bot answer that exact entry."""
    return {
        "type": "Action.Submit",
        "title": suggestion.label,
        "data": {
            "verb": "kb.entry",
            "entryId": suggestion.entry_id,
            "text": suggestion.question,
            "msteams": {
                "type": "messageBack",
                "displayText": suggestion.question,
                "text": suggestion.question,
            },
        },
    }


def _rating_row(lang: str, answer_id: str) -> dict[str, Any]:
    def button(title: str, helpful: bool) -> dict[str, Any]:
        return {
            "type": "Action.Execute",
            "title": title,
            "verb": "kb.rate",
            "data": {"answerId": answer_id, "helpful": helpful},
        }

    return {
        "type": "Container",
        "id": RATING_ID,
        "spacing": "Medium",
        "items": [
            paragraph(_w(lang, "rate"), isSubtle=True, size="Small"),
            {"type": "ActionSet", "actions": [button("👍", True), button("👎", False)]},
        ],
    }


def rated_card(card: dict[str, Any], lang: str) -> dict[str, Any]:
    """The card without its rating buttons, thanking the person who rated."""
    refreshed = copy.deepcopy(card)
    body = [
        b
        for b in refreshed.get("body", [])
        if not (isinstance(b, dict) and b.get("id") == RATING_ID)
    ]
    body.append(paragraph(_w(lang, "thanks"), isSubtle=True, size="Small"))
    refreshed["body"] = body
    return refreshed
