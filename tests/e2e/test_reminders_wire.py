"""Reminders over the wire: the real app, real HTTP, the fake connector — SQLite and PostgreSQL.

The clock is a FixedClock moved by the tests; `scheduler.tick()` runs what is due instead of
sleeping until it is.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.capabilities.reminders import KIND
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.scheduling import Job
from storage.scheduled_jobs import SqlJobRepository
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot

PERSONAL = "a:personal-1"
MEETING = "19:meeting@thread.v2"
CHANNEL = "19:team-a@thread.tacv2"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)  # a Wednesday


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url, tmp_path):
    return make_settings(database_url, tmp_path, admin_ids="29:user-9")


@pytest.fixture
async def bot(settings, clock):
    async with running_bot(settings, clock=clock) as client:
        yield client


def texts(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


async def ask(bot, connector, activity: dict) -> str:
    """Post an activity; the text of what the bot answered in that conversation."""
    connector.clear()
    status, _ = await bot.post(activity)
    assert status in (200, 201)
    return "\n".join(c.text or texts(c.body) for c in connector.sent())


async def personal(bot, connector, text: str, *, sender: int = 1, conversation: int = 1) -> str:
    return await ask(
        bot,
        connector,
        a.personal_message(connector.url, text, sender=sender, conversation=conversation),
    )


async def group(bot, connector, text: str, *, sender: int = 1) -> str:
    return await ask(bot, connector, a.group_message(connector.url, text, sender=sender))


async def channel(bot, connector, text: str, *, sender: int = 1) -> str:
    return await ask(bot, connector, a.channel_message(connector.url, text, sender=sender))


def jobs(bot) -> SqlJobRepository:
    runtime = bot.runtime
    return SqlJobRepository(runtime.engine, runtime.writer)


async def pending(bot, owner: str = "user:29:user-1") -> list[Job]:
    return await jobs(bot).pending_for_owner(owner, KIND)


async def run_due(bot, clock, **delta: float) -> None:
    clock.advance(**delta)
    await bot.runtime.scheduler.tick()
    await bot.runtime.flush_written_behind()


def reminder_cards(connector, conversation_id: str | None = None) -> list[dict]:
    """The reminder cards posted (to one conversation)."""
    cards = [card for call in connector.sent(conversation_id) for card in call.cards if card]
    return [c for c in cards if any(a.get("verb") == "reminder.done" for a in c.get("actions", []))]


async def press(bot, connector, verb: str, data: dict, *, conversation=None, sender: int = 1):
    status, body = await bot.post(
        a.card_invoke(
            connector.url,
            verb,
            data,
            conversation=conversation or a.personal_conversation(),
            sender=sender,
        )
    )
    assert status == 200
    return body


def job_id_of(card: dict) -> str:
    return card["actions"][0]["data"]["jobId"]


# --- setting and delivering -----------------------------------------------------------------


async def test_a_personal_reminder_arrives_at_its_time_and_not_before(bot, connector, clock):
    reply = await personal(bot, connector, "påmind mig i morgen kl. 9 om at svare KMD")
    assert "Jeg minder dig om „at svare KMD“ torsdag den 3. december 2026 kl. 9.00." in reply
    connector.clear()
    await run_due(bot, clock, hours=22, minutes=59)  # 8.59 the next day
    assert reminder_cards(connector) == []
    await run_due(bot, clock, minutes=1)
    [card] = reminder_cards(connector, PERSONAL)
    shown = texts(card)
    assert "at svare KMD" in shown and "Forsinket" not in shown
    titles = [action["title"] for action in card["actions"]]
    assert titles == ["Udsæt 10 min", "Udsæt 1 time", "I morgen kl. 9", "Færdig"]
    await run_due(bot, clock, minutes=5)
    assert len(reminder_cards(connector)) == 1  # sent once
    assert await pending(bot) == []


async def test_no_time_of_day_gets_the_default_and_says_so(bot, connector):
    reply = await personal(bot, connector, "påmind mig fredag om frokostmødet")
    assert "fredag den 4. december 2026 kl. 9.00" in reply
    assert "Du skrev ikke noget klokkeslæt, så jeg har valgt kl. 9.00." in reply


async def test_a_relative_time_is_confirmed_with_the_clock_time(bot, connector):
    reply = await personal(bot, connector, "påmind mig om 20 minutter om at ringe til KL")
    assert "om 20 minutter, onsdag den 2. december 2026 kl. 10.20" in reply


async def test_a_personal_reminder_set_in_a_channel_arrives_in_a_new_one_to_one_chat(
    bot, connector, clock
):
    reply = await channel(bot, connector, "påmind mig om 20 minutter om at ringe til KL")
    assert "Den kommer i din private chat med mig." in reply
    connector.clear()
    await run_due(bot, clock, minutes=20)
    [created] = [c for c in connector.calls if c.path == "/v3/conversations"]
    assert created.body["members"] == [{"id": "29:user-1"}]
    assert created.body["bot"]["id"] == a.BOT_ID
    [sent] = [c for c in connector.sent() if c.cards]
    assert sent.conversation_id.startswith("a:created-")
    assert "at ringe til KL" in texts(sent.cards[0])
    assert connector.sent(CHANNEL) == []


async def test_a_channel_reminder_is_posted_in_the_channel(bot, connector, clock):
    reply = await channel(bot, connector, "påmind kanalen 19/3 kl. 12 om fristen for KMD")
    assert "Jeg minder kanalen om „fristen for KMD“ fredag den 19. marts 2027 kl. 12.00." in reply
    connector.clear()
    clock.set(datetime(2027, 3, 19, 12, 0, tzinfo=COPENHAGEN))
    await run_due(bot, clock)
    [card] = reminder_cards(connector, CHANNEL)
    assert "fristen for KMD" in texts(card) and "Sat af Bruger" in texts(card)


async def test_a_group_reminder_is_posted_in_the_group(bot, connector, clock):
    reply = await group(bot, connector, "påmind os om 10 min om pausen")
    assert "Jeg minder chatten om „pausen“" in reply
    connector.clear()
    await run_due(bot, clock, minutes=10)
    assert len(reminder_cards(connector, MEETING)) == 1


async def test_a_recurring_reminder_shows_its_next_time_and_goes_on(bot, connector, clock):
    reply = await group(bot, connector, "påmind os hver mandag kl. 9 om ugens frister")
    assert "hver mandag kl. 9.00. Første gang: mandag den 7. december 2026 kl. 9.00." in reply
    connector.clear()
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=COPENHAGEN))
    await run_due(bot, clock)
    [card] = reminder_cards(connector, MEETING)
    assert "Næste gang: mandag den 14. december 2026 kl. 9.00" in texts(card)
    [following] = await pending(bot)
    assert following.due_at == datetime(2026, 12, 14, 9, 0, tzinfo=COPENHAGEN)
    assert following.id != job_id_of(card)
    listing = await group(bot, connector, "påmindelser")
    assert "1. mandag den 14. december 2026 kl. 9.00 (hver mandag kl. 9.00)" in listing
    connector.clear()
    clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=COPENHAGEN))
    await run_due(bot, clock)
    assert len(reminder_cards(connector, MEETING)) == 1


async def test_a_recurring_reminder_keeps_its_wall_clock_time_across_daylight_saving(
    bot, connector, clock
):
    clock.set(datetime(2027, 3, 22, 10, 0, tzinfo=COPENHAGEN))
    await personal(bot, connector, "påmind mig hver mandag kl. 9 om ugeplanen")
    clock.set(datetime(2027, 3, 29, 9, 0, tzinfo=COPENHAGEN))  # the first Monday of summer time
    await run_due(bot, clock)
    assert len(reminder_cards(connector, PERSONAL)) == 1
    [following] = await pending(bot)
    assert following.due_at == datetime(2027, 4, 5, 9, 0, tzinfo=COPENHAGEN)


async def test_english_is_answered_in_english(bot, connector, clock):
    reply = await personal(bot, connector, "remind me tomorrow at 9 to call the office")
    expected = 'I will remind you about "call the office" on Thursday 3 December 2026 at 09:00.'
    assert expected in reply
    assert "Write `reminders`" in reply
    connector.clear()
    await run_due(bot, clock, hours=23)
    [card] = reminder_cards(connector, PERSONAL)
    titles = [action["title"] for action in card["actions"]]
    assert titles == ["Snooze 10 min", "Snooze 1 hour", "Tomorrow at 9", "Done"]
    assert "Reminder" in texts(card)


@pytest.mark.parametrize(
    "command, expected",
    [
        ("påmind mig kl. 9 om at svare KMD", "Det tidspunkt er allerede passeret"),
        ("påmind mig blabla", "Skriv fx `påmind mig i morgen kl. 9 om at svare KMD`"),
        ("påmind mig 30/2 om budgettet", "Datoen „30/2“ findes ikke"),
        ("påmind mig i morgen kl. 25 om budgettet", "Klokkeslættet „kl. 25“ findes ikke"),
        ("påmind mig fredag den 17. december om x", "Den dato er torsdag den 17. december 2026"),
        ("påmind mig i morgen kl. 9 kl. 10 om x", "mere end ét tidspunkt („kl. 10“)"),
        ("påmind mig 1/1-2040 om pension", "højst sætte påmindelser 5 år frem"),
        ("remind me rubbish", "Write e.g. `remind me tomorrow at 9 to answer KMD`"),
    ],
)
async def test_what_cannot_be_set_gets_a_clear_answer_and_no_reminder(
    bot, connector, command, expected
):
    reply = await personal(bot, connector, command)
    assert expected in reply
    assert await pending(bot) == []
