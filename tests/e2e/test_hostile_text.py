"""Hostile message text over the wire: the loop stays free, and people's text stays text."""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import datetime

import pytest

from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.text_limits import MAX_PARSED_CHARS
from tests.support import activities as a
from tests.support.cards import card_text
from tests.support.running_bot import make_settings, running_bot

SIZE = 100_000
HEALTHZ_BOUND = 0.5  # the bound; a stalled loop took 3 to over 60 seconds
LINK = "[Bekræft din konto](https://evil.example/login)"
ESCAPED_LINK = r"\[Bekræft din konto\]\(https://evil.example/login)"
# A link that would render: "](" of Markdown with no backslash before the "]".
RENDERED_LINK = re.compile(r"(?<!\\)\]\(")
UNKNOWN = "Det ved jeg desværre ikke"
EMPTY = "Skriv `hjælp` for at se, hvad jeg kan."


def repeated(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


# name -> (text, what the reply must show). Each stalled the event loop or was quadratic.
HOSTILE = {
    "dots": ("." * (SIZE - 1) + "x", EMPTY),  # the command tail "[\s.!]+$"; cut: only dots
    "help_and_dots": ("hjælp" + "." * SIZE, "Det kan jeg hjælpe med"),
    "mention_tags": (repeated("<at>"), EMPTY),  # "<at>…</at>" with a lazy ".*?"
    "open_brackets": ("<" * SIZE, r"\<\<\<"),  # "<[^>]+>"
    "role_holder": ("Jeg er ikke " + repeated("x i "), UNKNOWN),  # "jeg er ikke … i … mere"
    "compound": (repeated("implementering"), UNKNOWN),  # the compound splitter
    "markdown": (repeated(LINK + " "), ESCAPED_LINK),
}


@pytest.fixture
async def kb_bot(database_url, tmp_path):
    settings = make_settings(database_url, tmp_path, public_url="https://moedebot.example.dk")
    clock = FixedClock(datetime(2021, 3, 25, 10, 0, tzinfo=COPENHAGEN))
    async with running_bot(settings, clock=clock) as client:
        yield client


async def post_while_polling(bot, activity: dict) -> tuple[int, float]:
    """POST the activity; poll /healthz until its turn is over. (status, slowest /healthz)."""
    post = asyncio.create_task(bot.post(activity))
    slowest = 0.0
    while True:
        started = time.perf_counter()
        status, _ = await bot.get("/healthz")
        slowest = max(slowest, time.perf_counter() - started)
        assert status == 200
        if post.done():
            break
    status, _ = await post
    return status, slowest


async def reply_to(bot, connector, activity: dict) -> tuple[str, dict | None]:
    """The one reply to `activity` (its text, its card), checking status and /healthz."""
    before = len(connector.sent())
    status, slowest = await post_while_polling(bot, activity)
    assert status == 200
    assert slowest < HEALTHZ_BOUND, f"/healthz took {slowest:.2f} s during the turn"
    sent = connector.sent()
    assert len(sent) == before + 1, "one reply"
    cards = sent[-1].cards
    return (card_text(cards[0]) if cards else sent[-1].text or ""), (cards[0] if cards else None)


def message(kind: str, url: str, text: str) -> dict:
    if kind == "personal":
        return a.personal_message(url, text)
    return a.group_message(url, text, mention=True)


@pytest.mark.parametrize("kind", ["personal", "group"])
async def test_hostile_text_leaves_the_loop_free_and_gets_an_answer(kb_bot, connector, kind):
    for name, (text, expected) in HOSTILE.items():
        shown, card = await reply_to(kb_bot, connector, message(kind, connector.url, text))
        assert expected in shown, name
        assert len(shown) < 4 * MAX_PARSED_CHARS, f"{name}: the echo is bounded"
        if card is not None:
            assert not RENDERED_LINK.search(json.dumps(card, ensure_ascii=False)), name


@pytest.mark.parametrize("name", ["dots", "compound"])
async def test_hostile_text_from_a_card_button_is_bounded_and_read_as_if_typed(
    kb_bot, connector, name
):
    text, expected = HOSTILE[name]
    activity = a.card_submit(connector.url, {"verb": "ask", "text": text}, reply_to_id="1")
    shown, _ = await reply_to(kb_bot, connector, activity)
    assert expected in shown


async def test_a_link_asked_in_a_group_chat_is_shown_as_text(kb_bot, connector):
    activity = a.group_message(connector.url, LINK)
    _, card = await reply_to(kb_bot, connector, activity)
    assert card is not None and card["body"][0]["text"] == UNKNOWN
    assert ESCAPED_LINK in card["body"][1]["text"]
    dumped = json.dumps(card, ensure_ascii=False)
    assert "](https://evil" not in dumped
    assert not any(x.get("url", "").startswith("https://evil") for x in card.get("actions", []))


async def test_emphasis_headings_and_lists_in_a_question_are_shown_as_typed(kb_bot, connector):
    typed = "**Vigtigt** _nu_ # Overskrift ~~væk~~ `kode` &lt;b&gt;fed&lt;/b&gt;"
    _, card = await reply_to(kb_bot, connector, a.group_message(connector.url, typed, mention=True))
    line = card["body"][1]["text"]
    assert r"\*\*Vigtigt\*\* \_nu\_ \# Overskrift \~\~væk\~\~ \`kode\` \<b\>fed\</b\>" in line


async def test_a_registered_display_name_with_markdown_is_escaped(kb_bot, connector):
    register = a.personal_message(connector.url, "Jeg er ØiR-koordinator i Odense")
    register["from"]["name"] = "[Klik her](https://evil.example/login) **Chef**"
    await reply_to(kb_bot, connector, register)
    ask = a.group_message(connector.url, "Hvem er ØiR-koordinator i Odense?", sender=2)
    shown, card = await reply_to(kb_bot, connector, ask)
    assert card is not None and card["body"][0]["text"] == "ØiR-koordinator i Odense"
    assert (
        r"- \[Klik her\]\(https://evil.example/login) \*\*Chef\*\* (siden 25. marts 2021)" in shown
    )
    assert "](https://evil" not in json.dumps(card, ensure_ascii=False)


async def test_a_municipality_typed_with_markdown_is_escaped(kb_bot, connector):
    typed = a.personal_message(connector.url, "Jeg er ØiR-koordinator i _Gotham_")
    shown, _ = await reply_to(kb_bot, connector, typed)
    assert r"„\_gotham\_“ er ikke en af de 98 kommuner" in shown
