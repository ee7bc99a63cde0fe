"""People's text in cards is escaped; the knowledge owner's Markdown is shown as written."""

from __future__ import annotations

import json
import re

import pytest

from bot.capabilities.knowledge.cards import answer_card
from bot.channel.card_text import literal
from bot.domain.knowledge import Answer

# An unescaped Markdown construct: "](" of a link, or a "*", "_", "<", "[" without a backslash.
UNESCAPED = re.compile(r"(?<!\\)[\[\]*_<>`]|(?<!\\)\]\(")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "[Bekræft din konto](https://evil.example/login)",
            r"\[Bekræft din konto\]\(https://evil.example/login)",
        ),
        ("**fed** _kursiv_ ~~væk~~", r"\*\*fed\*\* \_kursiv\_ \~\~væk\~\~"),
        ("# Overskrift", r"\# Overskrift"),
        ("- punkt", r"\- punkt"),
        ("+ punkt", r"\+ punkt"),
        ("12. punkt", r"12\. punkt"),
        ("> citat <b>x</b>", r"\> citat \<b\>x\</b\>"),
        ("`kode` {{DATE(2021-03-25T10:00:00Z)}}", r"\`kode\` \{\{DATE(2021-03-25T10:00:00Z)\}\}"),
        ("[a](b) ](c) \\](d)", r"\[a\]\(b) \]\(c) \\\]\(d)"),
        ("1 registrering(er) (siden 25. marts 2021)", "1 registrering(er) (siden 25. marts 2021)"),
        ("a\\b", r"a\\b"),
        ("to\n\n# linjer\n- og en liste", r"to \# linjer - og en liste"),
        ("Anna Jensen", "Anna Jensen"),
        ("Hvornår er webinaret om KY? 12. april", "Hvornår er webinaret om KY? 12. april"),
    ],
)
def test_people_s_text_is_shown_as_typed(typed, shown):
    assert literal(typed) == shown


def _answer(kind: str, text: str) -> Answer:
    return Answer(kind, "da", text, (text,), ((text, text),), items=(text,))


def test_answers_built_from_what_people_typed_are_escaped_throughout():
    hostile = "[Klik](https://evil.example/login) **nu**"
    for kind in ("unknown", "roleholder", "some-new-kind"):
        card = answer_card(_answer(kind, hostile), answer_id=None, ics_url=None)
        dumped = json.dumps(card, ensure_ascii=False)
        assert "](https://evil" not in dumped
        texts = [b["text"] for b in card["body"] if b.get("type") == "TextBlock"]
        texts += [v for f in card["body"][2]["facts"] for v in f.values()]
        assert texts and all(not UNESCAPED.search(t.removeprefix("- ")) for t in texts)


def test_the_knowledge_owner_s_markdown_stays():
    card = answer_card(_answer("fact", "Se **vejledningen**"), answer_id=None, ics_url=None)
    assert card["body"][1]["text"] == "Se **vejledningen**"
