"""Remove the bot's @mention from a Teams message before the text is parsed."""

from __future__ import annotations

import html
import re

from botbuilder.schema import Activity

from bot.domain.text_limits import MAX_MARKUP_CHARS, for_parsing

# Every pattern here is linear: a tag's inside stops at the next "<" as well as at ">", so a
# run of "<at" or "<" without a closing ">" is scanned once, not once per "<". Opening and
# closing tags are paired by scanning forward (below), not by a lazy ".*?" that rescans the
# rest of the text from every "<at>".
_AT_OPEN = re.compile(r"<at\b[^<>]*>", re.IGNORECASE)
_LEADING_AT_OPEN = re.compile(r"\s*<at\b[^<>]*>", re.IGNORECASE)
_AT_CLOSE = re.compile(r"</at>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]+>")


def text_without_bot_mention(activity: Activity) -> str:
    """The message text with every mention of the bot removed; other mentions keep their name."""
    text = _bounded(activity.text or "")
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
        text = _without_leading_mention(text)
    # Any remaining <at>Name</at> (someone else, or a mention without an entity) keeps its name.
    text = _TAG.sub(" ", _mention_names(text))
    text = html.unescape(text).replace("\u00a0", " ")
    return for_parsing(" ".join(text.split()))


def _bounded(text: str) -> str:
    """Cut before anything is parsed (markup may take some room), never inside a tag."""
    if len(text) <= MAX_MARKUP_CHARS:
        return text
    text = text[:MAX_MARKUP_CHARS]
    cut = text.rfind("<")
    return text[:cut] if cut > text.rfind(">") else text


def _without_leading_mention(text: str) -> str:
    opening = _LEADING_AT_OPEN.match(text)
    closing = _AT_CLOSE.search(text, opening.end()) if opening else None
    return " " + text[closing.end() :] if closing else text


def _mention_names(text: str) -> str:
    """Each <at …>Name</at> as its Name; the first </at> after an opening tag closes it."""
    parts: list[str] = []
    position = 0
    while opening := _AT_OPEN.search(text, position):
        closing = _AT_CLOSE.search(text, opening.end())
        if closing is None:
            break  # no later opening tag has a closing one either
        parts += (text[position : opening.start()], text[opening.end() : closing.start()])
        position = closing.end()
    parts.append(text[position:])
    return "".join(parts)
