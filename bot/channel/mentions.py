"""Remove the bot's @mention from a Teams message before the text is parsed."""

from __future__ import annotations

import html
import re

from botbuilder.schema import Activity

_AT_TAG = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_LEADING_AT = re.compile(r"^\s*<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def text_without_bot_mention(activity: Activity) -> str:
    """The message text with every mention of the bot removed; other mentions keep their name."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    removed = False
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned")
        mentioned_id = mentioned.get("id") if isinstance(mentioned, dict) else None
        mention_text = props.get("text")
        if (
            isinstance(mention_text, str)
            and mention_text
            and (bot_id is None or mentioned_id == bot_id)
        ):
            text = text.replace(mention_text, " ")
            removed = True
    if not removed:
        # Without a matching entity, a leading mention is the bot's (channels require it).
        text = _LEADING_AT.sub(" ", text, count=1)
    # Any remaining <at>Name</at> (someone else, or a mention without an entity) keeps its name.
    text = _AT_TAG.sub(lambda m: m.group(1), text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return " ".join(text.split())
