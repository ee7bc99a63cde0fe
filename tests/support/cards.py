"""Reading Adaptive Cards in tests: all visible text, and the actions of a type."""

from __future__ import annotations

from typing import Any

_TEXT_KEYS = ("text", "title", "value", "url")


def _walk(node: Any):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def card_text(card: Any) -> str:
    """Every text, title, fact value and URL in the card, one per line."""
    return "\n".join(
        node[key]
        for node in _walk(card)
        if isinstance(node, dict)
        for key in _TEXT_KEYS
        if isinstance(node.get(key), str)
    )


def actions_of(card: Any, kind: str) -> list[dict[str, Any]]:
    return [node for node in _walk(card) if isinstance(node, dict) and node.get("type") == kind]
