"""BreakoutCommands and the time's-up job, with a fake member list, timers and turn."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.capabilities.breakout import END_JOB, BreakoutCapability
from bot.capabilities.breakout.turns import BreakoutCommands
from bot.channel.proactive import Member
from bot.channel.router import Turn
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.scheduling import DeliveryGone, Job, RetryLater, new_job

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)
BOT = "28:bot-id"
CHAT = "19:meeting@thread.v2"


class Members:
    def __init__(self, members: list[Member] | Exception) -> None:
        self._members = members
        self.asked: list[str] = []
        self.sent: list[tuple[str, str]] = []

    async def members(self, conversation_id: str) -> list[Member]:
        self.asked.append(conversation_id)
        if isinstance(self._members, Exception):
            raise self._members
        return list(self._members)

    async def send(self, conversation_id: str, message: str) -> str | None:
        self.sent.append((conversation_id, message))
        return "activity-1"


class Timers:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    async def schedule(self, job: Job) -> Job:
        self.jobs.append(job)
        return job


class Context:
    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.sent: list[Activity | str] = []

    async def send_activity(self, message: Activity | str):
        self.sent.append(message)


def turn(text: str, *, kind: str = "groupChat", lang: str = "da", chat: str = CHAT) -> Turn:
    activity = Activity(
        type="message",
        id="msg-1",
        text=text,
        recipient=ChannelAccount(id=BOT, name="Mødebot"),
        conversation=ConversationAccount(id=chat, conversation_type=kind),
    )
    return Turn(context=Context(activity), text=text, lang=lang)  # type: ignore[arg-type]


def people(count: int) -> list[Member]:
    return [Member(f"29:p{n}", f"Person {n}", None) for n in range(1, count + 1)]


def commands(members, timers=None, seed: int = 7) -> BreakoutCommands:
    return BreakoutCommands(
        members, timers or Timers(), FixedClock(NOW), zone=COPENHAGEN, rng=random.Random(seed)
    )


def posted(t: Turn) -> list[Activity | str]:
    return t.context.sent  # type: ignore[attr-defined]


async def test_groups_are_posted_with_one_mention_per_member_and_the_bot_left_out():
    source = Members(
        [Member(BOT, "Mødebot", None), Member("28:other-bot", "Bot", None), *people(7)]
    )
    t = turn("grupper af 3 i 10 min: drøft status")
    assert await commands(source).start(t) is True
    [message] = posted(t)
    assert isinstance(message, Activity)
    mentions = message.entities
    assert sorted(m.mentioned.id for m in mentions) == sorted(f"29:p{n}" for n in range(1, 8))
    for mention in mentions:
        assert mention.type == "mention"
        assert mention.text == f"<at>{mention.mentioned.name}</at>"
        assert mention.text in message.text
    group_lines = re.findall(r"\*\*Gruppe \d+:\*\* (.*)", message.text)
    assert sorted(line.count("<at>") for line in group_lines) == [3, 4]
    assert "Opgave: drøft status" in message.text
    assert "10 min, til kl. 10.10" in message.text
    assert source.asked == [CHAT]


async def test_the_timer_job_is_due_when_the_time_is_up_and_keyed_by_the_message():
    timers = Timers()
    await commands(Members(people(4)), timers).start(turn("groups of 2 for 25 min", lang="en"))
    [job] = timers.jobs
    assert job.kind == END_JOB and job.conversation_id == CHAT
    assert job.due_at == NOW + timedelta(minutes=25)
    assert job.payload == {"lang": "en", "task": ""}
    assert job.dedupe_key and job.dedupe_key.startswith("breakout:")


async def test_a_channel_thread_is_timed_in_its_channel():
    timers = Timers()
    thread = "19:team@thread.tacv2;messageid=17"
    source = Members(people(4))
    await commands(source, timers).start(turn("grupper af 2 i 5 min", kind="channel", chat=thread))
    assert source.asked == ["19:team@thread.tacv2"]
    assert timers.jobs[0].conversation_id == "19:team@thread.tacv2"


async def test_the_same_seed_deals_the_same_groups_and_someone_listed_twice_sits_once():
    listed = [*people(6), Member("29:p1", "Person One again", None)]
    first, second = turn("grupper af 2"), turn("grupper af 2")
    await commands(Members(listed), seed=3).start(first)
    await commands(Members(listed), seed=3).start(second)
    assert posted(first)[0].text == posted(second)[0].text  # type: ignore[union-attr]
    assert len(posted(first)[0].entities) == 6  # type: ignore[union-attr]


async def test_not_a_breakout_command_is_left_to_others():
    source = Members(people(6))
    t = turn("grupper af kommuner der mangler svar?")
    assert await commands(source).start(t) is False
    assert posted(t) == [] and source.asked == []


@pytest.mark.parametrize(
    ("members", "text", "kind", "expected"),
    [
        (people(6), "grupper af 3", "personal", "møde eller en gruppechat"),
        (people(1), "grupper af 2", "groupChat", "for få til grupper"),
        (people(3), "grupper af 3", "groupChat", "kun én gruppe af 3"),
        (people(3), "grupper af 2", "groupChat", "I kan lige så godt blive sammen"),
        (people(6), "grupper af 1", "groupChat", "mindst 2"),
        (people(201), "grupper af 2", "groupChat", "højst dele 200"),
        (RetryLater(5, "429"), "grupper af 2", "groupChat", "kunne ikke hente deltagerlisten"),
        (DeliveryGone("403"), "grupper af 2", "groupChat", "kunne ikke hente deltagerlisten"),
    ],
)
async def test_refusals_are_clear_and_set_no_timer(members, text, kind, expected):
    timers = Timers()
    t = turn(text + " i 10 min", kind=kind)
    assert await commands(Members(members), timers).start(t) is True
    [reply] = posted(t)
    assert isinstance(reply, str) and expected in reply
    assert timers.jobs == []


async def test_markup_in_the_task_is_shown_as_typed():
    t = turn("grupper af 2 i 5 min: **vigtigt** <at>x</at> [link](http://x)")
    await commands(Members(people(4))).start(t)
    text = posted(t)[0].text  # type: ignore[union-attr]
    assert "\\*\\*vigtigt\\*\\*" in text and "\\<at\\>x" in text and "\\[link\\]" in text


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"lang": "da", "task": ""}, "⏰ **Tiden er gået** – kom tilbage til fællesmødet."),
        (
            {"lang": "en", "task": "roles"},
            "⏰ **Time's up** – please come back to the main session. The task was: roles",
        ),
        ({"lang": "da", "task": "*x*"}, "Opgaven var: \\*x\\*"),
    ],
)
async def test_time_is_up_is_posted_in_the_conversation(payload, expected):
    source = Members(people(2))
    capability = BreakoutCapability(source, Timers(), FixedClock(NOW), zone=COPENHAGEN)  # type: ignore[arg-type]
    job = new_job(END_JOB, NOW, CHAT, now=NOW, payload=payload)
    delivered = await capability.time_is_up(job)
    [(conversation, text)] = source.sent
    assert conversation == CHAT and expected in text
    assert delivered.activity_id == "activity-1"
