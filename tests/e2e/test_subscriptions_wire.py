"""Event subscriptions over the wire: subscribe, reloads that move and remove, delivery."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import and_, func, or_, select

from bot.capabilities.subscriptions import REMINDER_JOB
from bot.domain.clock import COPENHAGEN, FixedClock
from storage.scheduled_jobs import SqlJobRepository
from storage.tables import event_subscriptions, scheduled_jobs
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot

MEETING = "19:meeting@thread.v2"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)

NETWORK = """
  - id: netvaerksmoede-januar
    title: Netværksmøde for programledere
    title_en: Network meeting for programme leaders
    type: network-meeting
    date: 2027-01-20
    time: "10:00-12:00"
    place: KOMBIT, Halmtorvet 29
    registration: https://example.org/netvaerk
"""
DEADLINE = """
  - id: frist-kmd-svar
    title: Frist for svar til KMD
    title_en: Deadline for answering KMD
    type: deadline
    date: {day}
"""
WEBINAR = """
  - id: webinar-december
    title: Webinar om KY-udrulning
    type: webinar
    date: 2026-12-06
    time: "13:00-14:00"
"""


def local(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), COPENHAGEN).astimezone(UTC)


@pytest.fixture
def clock():
    return FixedClock(NOW)


class KnowledgeFiles:
    """A copy of the shipped knowledge whose events.yaml gets the events of a test."""

    def __init__(self, folder: Path) -> None:
        shutil.copytree("knowledge", folder)
        self.folder = folder
        self._shipped = (folder / "events.yaml").read_text(encoding="utf-8")

    def write(self, *events: str) -> None:
        text = self._shipped + "".join(events)
        (self.folder / "events.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def knowledge(tmp_path):
    files = KnowledgeFiles(tmp_path / "knowledge")
    files.write(NETWORK, DEADLINE.format(day="2027-01-08"), WEBINAR)
    return files


@pytest.fixture
def settings(database_url, tmp_path, knowledge):
    return make_settings(
        database_url, tmp_path, knowledge_dir=knowledge.folder, knowledge_watch_seconds=0
    )


@pytest.fixture
async def sub_bot(settings, clock):
    async with running_bot(settings, clock=clock) as client:
        yield client


async def say(bot, connector, text: str, *, conversation: str = MEETING, **extra):
    connector.clear()
    if conversation == MEETING:
        activity = a.group_message(connector.url, text, **extra)
    else:
        activity = a.personal_message(connector.url, text, **extra)
    status, _ = await bot.post(activity)
    assert status in (200, 201)
    return connector.sent(conversation)


async def reload(bot) -> dict:
    token = bot.runtime.settings.admin_token()
    async with bot.session.post(
        bot.url + "/admin/knowledge/reload", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status == 200
        return await response.json()


async def pending(bot, conversation: str = MEETING) -> dict[tuple[str, int], datetime]:
    jobs = await SqlJobRepository(bot.runtime.engine).pending_for_conversation(
        conversation, REMINDER_JOB
    )
    found = {(j.payload["eventId"], j.payload["offsetDays"]): j.due_at for j in jobs}
    assert len(found) == len(jobs), "two pending jobs for one reminder"
    return found


async def rows_by_state(bot) -> dict[str, int]:
    query = (
        select(scheduled_jobs.c.state, func.count())
        .where(scheduled_jobs.c.kind == REMINDER_JOB)
        .group_by(scheduled_jobs.c.state)
    )
    async with bot.runtime.engine.connect() as connection:
        return {state: n for state, n in (await connection.execute(query)).all()}


FIRST_PLAN = {
    ("netvaerksmoede-januar", 7): local(date(2027, 1, 13)),
    ("netvaerksmoede-januar", 1): local(date(2027, 1, 19)),
    ("frist-kmd-svar", 7): local(date(2027, 1, 1)),
    ("frist-kmd-svar", 1): local(date(2027, 1, 7)),
    ("webinar-december", 1): local(date(2026, 12, 5)),
}


async def test_subscribe_plans_the_reminders_and_says_so(sub_bot, connector):
    [reply] = await say(sub_bot, connector, "abonner på påmindelser")
    assert "abonnerer nu på påmindelser" in reply.text
    assert "7 dage og 1 dag før kl. 9.00" in reply.text
    assert "5 påmindelser er planlagt" in reply.text and "Webinar om KY-udrulning" in reply.text
    assert await pending(sub_bot) == FIRST_PLAN
    [again] = await say(sub_bot, connector, "Abonner på påmindelser!")
    assert "abonnerer allerede" in again.text
    assert await pending(sub_bot) == FIRST_PLAN


async def test_a_reload_moves_and_cancels_and_three_reloads_duplicate_nothing(
    sub_bot, connector, knowledge
):
    await say(sub_bot, connector, "abonner på påmindelser")
    knowledge.write(NETWORK, DEADLINE.format(day="2027-01-15"))  # moved; the webinar is gone
    for _ in range(3):
        assert (await reload(sub_bot))["reloaded"] is True
    assert await pending(sub_bot) == {
        ("netvaerksmoede-januar", 7): local(date(2027, 1, 13)),
        ("netvaerksmoede-januar", 1): local(date(2027, 1, 19)),
        ("frist-kmd-svar", 7): local(date(2027, 1, 8)),
        ("frist-kmd-svar", 1): local(date(2027, 1, 14)),
    }
    assert await rows_by_state(sub_bot) == {"pending": 4, "cancelled": 3}


async def test_the_admin_chat_reload_replans_too(
    database_url, tmp_path, knowledge, clock, connector
):
    settings = make_settings(
        database_url,
        tmp_path,
        knowledge_dir=knowledge.folder,
        knowledge_watch_seconds=0,
        admin_ids="29:user-1",
    )
    async with running_bot(settings, clock=clock) as bot:
        await say(bot, connector, "abonner på påmindelser")
        knowledge.write(NETWORK)
        [reply] = await say(bot, connector, "genindlæs viden")
        assert "genindlæst" in reply.text
        assert set(await pending(bot)) == {
            ("netvaerksmoede-januar", 7),
            ("netvaerksmoede-januar", 1),
        }


async def test_the_reminder_arrives_at_its_time_not_before(sub_bot, connector, clock):
    await say(sub_bot, connector, "abonner på påmindelser")
    connector.clear()
    clock.set(datetime(2026, 12, 5, 8, 59, tzinfo=COPENHAGEN))
    await run_due(sub_bot)
    assert connector.sent(MEETING) == []
    clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    await run_due(sub_bot)
    [reminder] = connector.sent(MEETING)
    assert "Påmindelse: **Webinar om KY-udrulning** – i morgen." in reminder.text
    assert "6. december 2026 kl. 13.00–14.00" in reminder.text
    assert "Forsinket" not in reminder.text
    await run_due(sub_bot)
    assert len(connector.sent(MEETING)) == 1


async def test_a_reminder_with_place_and_link_in_english(sub_bot, connector, clock):
    [reply] = await say(sub_bot, connector, "subscribe")
    assert "now subscribed" in reply.text and "7 days and 1 day before, at 09:00" in reply.text
    connector.clear()
    clock.set(datetime(2027, 1, 13, 9, 0, tzinfo=COPENHAGEN))
    await run_due(sub_bot)
    texts = [c.text for c in connector.sent(MEETING)]
    [network] = [t for t in texts if "Network meeting" in t]
    assert "in 7 days" in network and "Where: KOMBIT, Halmtorvet 29" in network
    assert "https://example.org/netvaerk" in network


async def test_unsubscribe_cancels_every_pending_reminder(sub_bot, connector, clock):
    await say(sub_bot, connector, "abonner på påmindelser")
    [reply] = await say(sub_bot, connector, "afmeld påmindelser")
    assert "afmeldt; 5 planlagte påmindelser er slettet" in reply.text
    assert await pending(sub_bot) == {}
    [again] = await say(sub_bot, connector, "afmeld")
    assert "abonnerer ikke" in again.text
    await reload(sub_bot)
    assert await pending(sub_bot) == {}
    connector.clear()
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=COPENHAGEN))
    await run_due(sub_bot)
    assert connector.sent(MEETING) == []
    [back] = await say(sub_bot, connector, "subscribe")
    assert "now subscribed" in back.text


async def test_subscribe_again_after_unsubscribe_plans_again(sub_bot, connector):
    await say(sub_bot, connector, "abonner på påmindelser")
    await say(sub_bot, connector, "unsubscribe")
    [reply] = await say(sub_bot, connector, "abonner på påmindelser")
    assert "abonnerer nu" in reply.text
    assert await pending(sub_bot) == FIRST_PLAN


async def test_a_personal_chat_can_subscribe(sub_bot, connector):
    [reply] = await say(sub_bot, connector, "abonner", conversation="a:personal-1")
    assert "abonnerer nu" in reply.text
    assert await pending(sub_bot, "a:personal-1") == FIRST_PLAN
    assert await pending(sub_bot) == {}


async def test_knowledge_changed_while_the_bot_was_down(
    database_url, tmp_path, knowledge, clock, connector
):
    settings = make_settings(
        database_url, tmp_path, knowledge_dir=knowledge.folder, knowledge_watch_seconds=0
    )
    async with running_bot(settings, clock=clock) as bot:
        await say(bot, connector, "abonner på påmindelser")
    # While the bot is down the deadline moves, the webinar goes and a new event comes.
    added = WEBINAR.replace("webinar-december", "nyt-webinar").replace("2026-12-06", "2027-02-10")
    knowledge.write(NETWORK, DEADLINE.format(day="2027-01-15"), added)
    clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    async with running_bot(settings, clock=clock) as bot:
        connector.clear()
        await run_due(bot)
        assert connector.sent(MEETING) == []  # the webinar is no longer in the knowledge
        planned = await pending(bot)
        assert planned == {
            ("netvaerksmoede-januar", 7): local(date(2027, 1, 13)),
            ("netvaerksmoede-januar", 1): local(date(2027, 1, 19)),
            ("frist-kmd-svar", 7): local(date(2027, 1, 8)),
            ("frist-kmd-svar", 1): local(date(2027, 1, 14)),
            ("nyt-webinar", 7): local(date(2027, 2, 3)),
            ("nyt-webinar", 1): local(date(2027, 2, 9)),
        }
        states = await rows_by_state(bot)
        assert states == {"pending": 6, "cancelled": 2, "failed": 1}


@pytest.mark.parametrize(
    "text",
    ["abonner på påmindelser " + "x" * 100_000, "abonner på \ud800", "afmeld \ud800 påmindelser"],
    ids=["100k", "surrogate", "surrogate-unsubscribe"],
)
async def test_hostile_text_does_not_crash_or_subscribe(sub_bot, connector, text):
    connector.clear()
    activity = a.group_message(connector.url, "")
    activity["text"] = text
    status, _ = await sub_bot.post(json.dumps(activity, ensure_ascii=True))
    assert status in (200, 201, 400, 413)
    assert await pending(sub_bot) == {}


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


async def test_reminder_commands_of_others_do_not_subscribe(sub_bot, connector):
    for text in ("påmindelser", "påmind os om 10 min om at abonnere", "abonner på nyhedsbrevet"):
        await say(sub_bot, connector, text)
    assert await pending(sub_bot) == {}
    query = select(func.count()).select_from(event_subscriptions)
    async with sub_bot.runtime.engine.connect() as connection:
        assert await connection.scalar(query) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hjælp", "**abonner på påmindelser** – samtalen får besked"),
        ("help", "**subscribe** – this conversation is reminded"),
    ],
)
async def test_the_help_card_names_the_commands(sub_bot, connector, text, expected):
    [reply] = await say(sub_bot, connector, text)
    shown = json.dumps(reply.cards, ensure_ascii=False)
    assert expected in shown
    assert ("7 dage og 1 dag før" if text == "hjælp" else "7 days and 1 day before") in shown


async def test_unsubscribing_with_one_or_no_reminder_left_reads_right(
    sub_bot, connector, knowledge
):
    knowledge.write(WEBINAR)
    await reload(sub_bot)
    await say(sub_bot, connector, "subscribe")
    [one] = await say(sub_bot, connector, "unsubscribe")
    assert one.text == "Unsubscribed; 1 planned reminder was removed."
    knowledge.write()
    await reload(sub_bot)
    [subscribed] = await say(sub_bot, connector, "abonner")
    assert "ingen kommende begivenheder" in subscribed.text
    [none] = await say(sub_bot, connector, "afmeld")
    assert none.text == "Abonnementet er afmeldt; der var ingen planlagte påmindelser."


async def test_the_subscription_status_lists_the_next_reminders(sub_bot, connector, knowledge):
    [before] = await say(sub_bot, connector, "abonnement")
    assert "abonnerer ikke" in before.text
    await say(sub_bot, connector, "abonner på påmindelser")
    [status] = await say(sub_bot, connector, "abonnement")
    lines = status.text.split("\n")
    assert "abonnerer på påmindelser (7 dage og 1 dag før kl. 9.00)" in lines[0]
    assert lines[2:] == [
        "- lørdag den 5. december 2026 kl. 9.00: **Webinar om KY-udrulning**",
        "- fredag den 1. januar 2027 kl. 9.00: **Frist for svar til KMD**",
        "- torsdag den 7. januar 2027 kl. 9.00: **Frist for svar til KMD**",
        "- onsdag den 13. januar 2027 kl. 9.00: **Netværksmøde for programledere**",
        "- tirsdag den 19. januar 2027 kl. 9.00: **Netværksmøde for programledere**",
    ]
    [english] = await say(sub_bot, connector, "subscription")
    assert (
        "The next ones:" in english.text and "Network meeting for programme leaders" in english.text
    )


async def test_start_up_replans_for_files_changed_while_down(
    database_url, tmp_path, knowledge, clock, connector
):
    settings = make_settings(
        database_url, tmp_path, knowledge_dir=knowledge.folder, knowledge_watch_seconds=0
    )
    async with running_bot(settings, clock=clock) as bot:
        await say(bot, connector, "abonner på påmindelser")
    added = WEBINAR.replace("webinar-december", "nyt-webinar").replace("2026-12-06", "2027-02-10")
    knowledge.write(NETWORK, added)
    clock.advance(days=1)  # nothing falls due: only the start-up can re-plan
    async with running_bot(settings, clock=clock) as bot:
        assert set(await pending(bot)) == {
            ("netvaerksmoede-januar", 7),
            ("netvaerksmoede-januar", 1),
            ("nyt-webinar", 7),
            ("nyt-webinar", 1),
        }
