"""Breakout groups over the wire: the real app, the fake connector's member list, the timer."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime

import pytest
from sqlalchemy import and_, func, or_, select

from bot.domain.clock import COPENHAGEN, FixedClock
from storage.tables import scheduled_jobs
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot

MEETING = "19:meeting@thread.v2"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)
_GROUP_LINE = re.compile(r"\*\*(?:Gruppe|Group) \d+:\*\* ")


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
async def breakout_bot(database_url, tmp_path, clock):
    settings = make_settings(database_url, tmp_path, knowledge_watch_seconds=0)
    async with running_bot(settings, clock=clock) as client:
        yield client


def people(count: int) -> list[dict]:
    return [
        {"id": f"29:member-{n}", "name": f"Person {n}", "aadObjectId": f"aad-{n}"}
        for n in range(1, count + 1)
    ]


def with_bot(members: list[dict]) -> list[dict]:
    return [{"id": a.BOT_ID, "name": a.BOT_NAME}, *members]


async def say(bot, connector, text: str, **extra):
    connector.clear()
    status, _ = await bot.post(a.group_message(connector.url, text, **extra))
    assert status in (200, 201)
    return connector.sent(MEETING)


def groups_of(reply) -> list[list[str]]:
    """Each group's mentioned names, read from the text, checked against the entities."""
    body = reply.body
    lines = [line for line in body["text"].split("\n\n") if _GROUP_LINE.match(line)]
    groups = [re.findall(r"<at>(.*?)</at>", line) for line in lines]
    mentions = [e for e in body.get("entities") or [] if e.get("type") == "mention"]
    assert [m["text"] for m in mentions] == [f"<at>{n}</at>" for g in groups for n in g]
    for mention in mentions:
        name = mention["text"][4:-5]
        assert mention["mentioned"] == {"id": f"29:member-{name.split()[-1]}", "name": name}
    return groups


@pytest.mark.parametrize(
    ("size", "count", "expected_sizes"),
    [
        (2, 5, [3, 2]),
        (2, 7, [3, 2, 2]),
        (3, 7, [4, 3]),
        (3, 8, [4, 4]),
        (3, 10, [4, 3, 3]),
        (4, 10, [5, 5]),
        (4, 9, [5, 4]),
        (5, 9, [5, 4]),
        (5, 12, [6, 6]),
        (5, 13, [5, 4, 4]),
        (5, 23, [6, 6, 6, 5]),
    ],
)
async def test_members_are_split_into_groups_with_mentions(
    breakout_bot, connector, size, count, expected_sizes
):
    connector.members[MEETING] = with_bot(people(count))
    [reply] = await say(breakout_bot, connector, f"grupper af {size} i 10 min")
    groups = groups_of(reply)
    assert sorted(map(len, groups), reverse=True) == expected_sizes
    everyone = [name for group in groups for name in group]
    assert sorted(everyone) == sorted(f"Person {n}" for n in range(1, count + 1))
    assert a.BOT_NAME not in reply.body["text"]
    assert f"Grupper af {size}" in reply.body["text"]
    assert "10 min, til kl. 10.10" in reply.body["text"]


async def test_the_timer_posts_time_is_up_at_its_time_and_not_before(
    breakout_bot, connector, clock
):
    connector.members[MEETING] = with_bot(people(6))
    await say(breakout_bot, connector, "grupper af 3 i 10 min: drøft jeres status")
    connector.clear()
    clock.advance(minutes=9, seconds=59)
    await run_due(breakout_bot)
    assert connector.sent(MEETING) == []
    clock.advance(seconds=1)
    await run_due(breakout_bot)
    [done] = connector.sent(MEETING)
    assert "Tiden er gået" in done.text and "drøft jeres status" in done.text
    clock.advance(minutes=30)
    await run_due(breakout_bot)
    assert len(connector.sent(MEETING)) == 1


async def test_english_with_a_task_and_the_time_is_up_in_english(breakout_bot, connector, clock):
    connector.members[MEETING] = with_bot(people(4))
    [reply] = await say(breakout_bot, connector, "groups of 2 for 5 min about the KY roll-out")
    text = reply.body["text"]
    assert "Groups of 2" in text and "Task: the KY roll-out" in text
    assert "until 10:05" in text
    assert len(groups_of(reply)) == 2
    connector.clear()
    clock.advance(minutes=5)
    await run_due(breakout_bot)
    [done] = connector.sent(MEETING)
    assert "Time's up" in done.text


async def test_groups_without_a_time_set_no_timer(breakout_bot, connector, clock):
    connector.members[MEETING] = with_bot(people(6))
    [reply] = await say(breakout_bot, connector, "grupper af 3")
    assert len(groups_of(reply)) == 2
    assert "til kl." not in reply.body["text"]
    assert await timers(breakout_bot) == 0


async def test_a_redelivered_message_sets_one_timer(breakout_bot, connector, clock):
    connector.members[MEETING] = with_bot(people(4))
    activity = a.group_message(connector.url, "grupper af 2 i 10 min")
    for _ in range(2):
        status, _ = await breakout_bot.post(activity)
        assert status in (200, 201)
    assert await timers(breakout_bot) == 1
    connector.clear()
    clock.advance(minutes=10)
    await run_due(breakout_bot)
    assert len(connector.sent(MEETING)) == 1


@pytest.mark.parametrize(
    ("members", "text", "expected"),
    [
        (people(1), "grupper af 2 i 10 min", "for få til grupper"),
        ([], "grupper af 3 i 10 min", "for få til grupper"),
        (people(2), "grupper af 2 i 10 min", "kun én gruppe"),
        (people(4), "grupper af 3 i 10 min", "Vælg en mindre gruppestørrelse"),
        (people(6), "grupper af 1 i 10 min", "mindst 2"),
        (people(6), "grupper af 3 i 900 min", "mellem 1 minut og 8 timer"),
        (people(6), "grupper af 3 i 0 min", "mellem 1 minut og 8 timer"),
        (people(6), "groups of 60", "at most 50"),
        (people(201), "grupper af 3", "højst dele 200"),
    ],
)
async def test_what_cannot_be_split_gets_a_clear_answer(
    breakout_bot, connector, clock, members, text, expected
):
    connector.members[MEETING] = with_bot(members)
    [reply] = await say(breakout_bot, connector, text)
    assert expected in reply.text
    assert not reply.body.get("entities")
    assert await timers(breakout_bot) == 0


async def test_in_a_personal_chat_it_asks_for_a_group(breakout_bot, connector):
    connector.clear()
    await breakout_bot.post(a.personal_message(connector.url, "grupper af 3 i 10 min"))
    [reply] = connector.sent("a:personal-1")
    assert "møde eller en gruppechat" in reply.text
    assert not [c for c in connector.calls if c.path.endswith("/members")]


@pytest.mark.parametrize("status", [403, 404, 429, 500])
async def test_a_failing_member_list_gets_a_clear_answer(breakout_bot, connector, status):
    connector.members[MEETING] = with_bot(people(6))
    connector.fail_next(status, times=10, matches=lambda r: r.path.endswith("/members"))
    replies = await say(breakout_bot, connector, "grupper af 3 i 10 min")
    assert [r.text for r in replies] == [
        "Jeg kunne ikke hente deltagerlisten fra Teams lige nu. Prøv igen om lidt."
    ]


async def test_names_with_markup_are_mentioned_safely(breakout_bot, connector):
    odd = [
        {"id": "29:member-1", "name": "<b>Anne</b> 1"},
        {"id": "29:member-2", "name": None},
        {"id": "29:member-3", "name": "Bo\u00a0 3"},
        {"id": "29:member-4", "name": "Cæcilie 4"},
    ]
    connector.members[MEETING] = with_bot(odd)
    [reply] = await say(breakout_bot, connector, "grupper af 2")
    text = reply.body["text"]
    assert "<b>" not in text and "<at>bAnne/b 1</at>" in text and "<at>?</at>" in text
    ids = sorted(e["mentioned"]["id"] for e in reply.body["entities"])
    assert ids == [f"29:member-{n}" for n in range(1, 5)]


async def test_a_question_about_groups_still_goes_to_the_knowledge_base(breakout_bot, connector):
    connector.members[MEETING] = with_bot(people(6))
    replies = await say(breakout_bot, connector, "grupper af kommuner i KOMBIT?")
    assert replies and not any(r.body.get("entities") for r in replies)
    assert not [c for c in connector.calls if c.path.endswith("/members")]


@pytest.mark.parametrize(
    "text",
    [
        "grupper af 3 i 10 min: " + "x" * 100_000,
        "grupper af 3 i 10 min: \ud800 opgave",
        "grupper af \ud800 i 10 min",
        "groups of 3 for 10 min " + "<at>" * 5000,
    ],
    ids=["100k-task", "surrogate-task", "surrogate-size", "markup"],
)
async def test_hostile_text_does_not_crash(breakout_bot, connector, text):
    connector.members[MEETING] = with_bot(people(6))
    connector.clear()
    activity = a.group_message(connector.url, "")
    activity["text"] = text
    body = json.dumps(activity, ensure_ascii=True)  # a lone surrogate travels as \ud800
    status, _ = await breakout_bot.post(body)
    assert status in (200, 201, 400, 413)
    for reply in connector.sent(MEETING):
        assert len(reply.body.get("text") or "") < 20_000


async def run_due(bot) -> None:
    """Run what is due now: a tick, then wait out a claim the app's own loop may hold."""
    await bot.runtime.scheduler.tick()
    async with asyncio.timeout(10):
        while await _busy(bot):
            await asyncio.sleep(0.01)
            await bot.runtime.scheduler.tick()


async def _busy(bot) -> bool:
    jobs = scheduled_jobs.c
    due = and_(jobs.state == "pending", jobs.due_at <= bot.runtime.clock.now())
    query = (
        select(func.count()).select_from(scheduled_jobs).where(or_(jobs.state == "claimed", due))
    )
    async with bot.runtime.engine.connect() as connection:
        return bool(await connection.scalar(query))


async def timers(bot) -> int:
    query = select(func.count()).where(scheduled_jobs.c.kind == "breakout.end")
    async with bot.runtime.engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hjælp", "**grupper af 3 i 10 min** – deler"),
        ("help", "**groups of 3 for 10 min** – splits"),
    ],
)
async def test_the_help_card_names_the_command(breakout_bot, connector, text, expected):
    [reply] = await say(breakout_bot, connector, text)
    assert expected in json.dumps(reply.cards, ensure_ascii=False)
