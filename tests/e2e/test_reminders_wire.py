"""Reminders over the wire: the real app, real HTTP, the fake connector — SQLite and PostgreSQL.

The clock is a FixedClock moved by the tests; `scheduler.tick()` runs what is due instead of
sleeping until it is.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from aiohttp import web
from sqlalchemy import update

from bot.capabilities.reminders import KIND
from bot.capabilities.reminders.jobs import Sender, reminder_job
from bot.domain.clock import COPENHAGEN, FixedClock, SystemClock
from bot.domain.reminders import ReminderRequest
from bot.domain.scheduling import Job, JobState
from storage.scheduled_jobs import SqlJobRepository
from storage.tables import scheduled_jobs
from tests.e2e.test_crash_durability import BotProcess
from tests.fakes.connector import FakeConnector
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot
from tests.support.storage import migrated

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


# --- the dialog for what is missing ---------------------------------------------------------


async def test_a_missing_time_is_asked_for_and_the_dialog_survives_a_restart(
    settings, connector, clock
):
    async with running_bot(settings, clock=clock) as bot:
        reply = await personal(bot, connector, "påmind mig om at ringe til KL")
        assert "Hvornår skal påmindelsen „at ringe til KL“ komme?" in reply
        assert await pending(bot) == []
    async with running_bot(settings, clock=clock) as bot:
        reply = await personal(bot, connector, "kl. 8")
        assert "Det tidspunkt er allerede passeret" in reply  # and the dialog goes on
        assert "Hvornår skal påmindelsen" in await personal(bot, connector, "blabla")
        reply = await personal(bot, connector, "i morgen kl. 10")
        assert "„at ringe til KL“ torsdag den 3. december 2026 kl. 10.00" in reply
        [job] = await pending(bot)
        assert job.due_at == datetime(2026, 12, 3, 10, 0, tzinfo=COPENHAGEN)


async def test_a_missing_text_is_asked_for(bot, connector):
    reply = await personal(bot, connector, "påmind mig i morgen kl. 9")
    assert "Hvad skal påmindelsen sige?" in reply
    reply = await personal(bot, connector, "om at svare KMD")
    assert "Jeg minder dig om „at svare KMD“ torsdag den 3. december 2026 kl. 9.00." in reply


async def test_the_dialog_asks_for_both_and_can_be_cancelled(bot, connector):
    assert "Hvad skal påmindelsen sige?" in await personal(bot, connector, "påmind mig")
    assert "Hvornår skal påmindelsen „budgetmøde“" in await personal(bot, connector, "budgetmøde")
    await personal(bot, connector, "annuller")
    assert await pending(bot) == []
    assert "Der er ingen kommende påmindelser." in await personal(bot, connector, "påmindelser")


async def test_the_dialog_gives_up_after_three_answers_and_lets_go(bot, connector):
    assert "Hvornår skal påmindelsen" in await personal(bot, connector, "påmind mig om KMD")
    assert "Hvornår skal påmindelsen" in await personal(bot, connector, "tak")
    assert "Hvornår skal påmindelsen" in await personal(bot, connector, "hvem er du")
    reply = await personal(bot, connector, "hvornår er webinaret om KY?")
    assert "kunne ikke sættes" in reply
    assert await pending(bot) == []
    # The next question is a question again, not a fourth answer.
    assert "Hvornår skal påmindelsen" not in await personal(bot, connector, "hej")


async def test_a_new_command_in_the_middle_of_the_dialog_starts_over(bot, connector):
    assert "Hvad skal påmindelsen sige?" in await personal(bot, connector, "påmind mig")
    reply = await personal(bot, connector, "påmind mig i morgen kl. 9 om at svare KMD")
    assert "Jeg minder dig om „at svare KMD“ torsdag den 3. december 2026 kl. 9.00." in reply
    assert "Dine påmindelser" in await personal(bot, connector, "påmindelser")
    [job] = await pending(bot)
    assert "svare KMD" in str(job.payload)


async def test_the_english_dialog_is_in_english(bot, connector):
    reply = await personal(bot, connector, "remind me to call the office")
    assert 'When should the reminder "call the office" come?' in reply
    reply = await personal(bot, connector, "tomorrow at 14")
    assert (
        'I will remind you about "call the office" on Thursday 3 December 2026 at 14:00.' in reply
    )


# --- listing and deleting -------------------------------------------------------------------


async def test_the_list_is_numbered_by_time_and_a_number_deletes_that_one(bot, connector):
    await personal(bot, connector, "påmind mig fredag kl. 12 om frokost")
    await personal(bot, connector, "påmind mig i morgen kl. 9 om at svare KMD")
    await personal(bot, connector, "påmind mig hver mandag kl. 9 om ugeplanen")
    listing = await personal(bot, connector, "påmindelser")
    assert (
        listing.index("1. torsdag den 3. december 2026 kl. 9.00 — „at svare KMD“")
        < listing.index("2. fredag den 4. december 2026 kl. 12.00 — „frokost“")
        < listing.index(
            "3. mandag den 7. december 2026 kl. 9.00 (hver mandag kl. 9.00) — „ugeplanen“"
        )
    )
    assert "slet påmindelse <nummer>" in listing
    reply = await personal(bot, connector, "slet påmindelse 2")
    assert "Slettet: „frokost“ (fredag den 4. december 2026 kl. 12.00)." in reply
    assert [j.payload["text"] for j in await pending(bot)] == ["at svare KMD", "ugeplanen"]
    # The numbers are the list's: 3 is still "ugeplanen", 2 is gone, not the next one.
    assert "allerede sendt eller slettet" in await personal(bot, connector, "slet påmindelse 2")
    assert "There will be no more." in await personal(bot, connector, "delete reminder 3")
    assert "ingen påmindelse nr. 7" in await personal(bot, connector, "slet påmindelse 7")
    assert [j.payload["text"] for j in await pending(bot)] == ["at svare KMD"]


async def test_a_reminder_sent_after_the_list_was_shown_is_not_confused_with_another(
    bot, connector, clock
):
    await personal(bot, connector, "påmind mig om 10 min om kaffe")
    await personal(bot, connector, "påmind mig i morgen kl. 9 om at svare KMD")
    await personal(bot, connector, "påmindelser")
    await run_due(bot, clock, minutes=10)  # "kaffe" is sent: number 1 is no more
    reply = await personal(bot, connector, "slet påmindelse 1")
    assert "Påmindelse nr. 1 („kaffe“) er allerede sendt eller slettet" in reply
    assert len(await pending(bot)) == 1


async def test_a_number_without_a_list_is_refused_unless_it_is_unmistakable(bot, connector):
    await personal(bot, connector, "påmind mig i morgen kl. 9 om a")
    await personal(bot, connector, "påmind mig i morgen kl. 10 om b")
    assert "Skriv `påmindelser` først" in await personal(bot, connector, "slet påmindelse 1")
    await personal(bot, connector, "påmindelser")
    await personal(bot, connector, "slet påmindelse 1")
    await personal(bot, connector, "slet påmindelse 2")
    await personal(bot, connector, "påmind mig i morgen kl. 11 om c")
    # A list from before the new reminder: its numbers no longer lead anywhere.
    assert "ingen påmindelse nr. 3" in await personal(bot, connector, "slet påmindelse 3")


async def test_only_the_creator_or_an_admin_deletes_a_channel_reminder(bot, connector):
    await channel(bot, connector, "påmind kanalen i morgen kl. 12 om frist", sender=1)
    listing = await channel(bot, connector, "påmindelser", sender=2)
    assert "1. torsdag den 3. december 2026 kl. 12.00 — „frist“ (til samtalen)" in listing
    assert "Kun den, der satte påmindelsen" in await channel(
        bot, connector, "slet påmindelse 1", sender=2
    )
    await channel(bot, connector, "påmindelser", sender=9)
    assert "Slettet: „frist“" in await channel(bot, connector, "slet påmindelse 1", sender=9)


async def test_a_group_sees_the_conversations_reminders_not_personal_ones_set_elsewhere(
    bot, connector
):
    await personal(bot, connector, "påmind mig i morgen kl. 9 om lægen")
    await group(bot, connector, "påmind mig i morgen kl. 10 om referatet")
    await group(bot, connector, "påmind os i morgen kl. 11 om pausen", sender=2)
    listing = await group(bot, connector, "påmindelser")
    assert "„referatet“ (til dig)" in listing and "„pausen“ (til samtalen)" in listing
    assert "lægen" not in listing
    assert "Du har 1 personlige påmindelser mere" in listing
    other = await group(bot, connector, "påmindelser", sender=3)
    assert "pausen" in other and "referatet" not in other
    mine = await personal(bot, connector, "påmindelser")
    assert "lægen" in mine and "referatet" in mine and "pausen" not in mine


@pytest.mark.parametrize(
    "command", ["abonner på påmindelser", "afmeld påmindelser", "grupper af 3 i 10 min"]
)
async def test_other_capabilities_commands_are_left_to_them(bot, connector, command):
    reply = await group(bot, connector, command)
    for ours in ("kommende påmindelser", "Dine påmindelser", "Skriv fx `påmind", "Hvornår skal"):
        assert ours not in reply
    assert await jobs(bot).pending_for_conversation(MEETING, KIND) == []


# --- the buttons on a delivered reminder ----------------------------------------------------


async def deliver_one(bot, connector, clock, command: str = "påmind mig om 10 min om kaffe"):
    await personal(bot, connector, command)
    connector.clear()
    await run_due(bot, clock, minutes=10)
    [card] = reminder_cards(connector, PERSONAL)
    return card


async def test_snooze_sends_it_again_later_once(bot, connector, clock):
    card = await deliver_one(bot, connector, clock)
    body = await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 0})
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    shown = texts(body["value"])
    assert "Udsat til onsdag den 2. december 2026 kl. 10.20" in shown
    assert "reminder.snooze" not in shown  # the buttons are gone from the answered card
    connector.clear()
    await run_due(bot, clock, minutes=9)
    assert reminder_cards(connector) == []
    await run_due(bot, clock, minutes=1)
    [again] = reminder_cards(connector, PERSONAL)
    assert "kaffe" in texts(again) and job_id_of(again) != job_id_of(card)
    # The first card's buttons are stale now.
    body = await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 1})
    assert "allerede udsat og sendt igen" in body["value"]


async def test_a_second_snooze_moves_the_first_instead_of_adding_one(bot, connector, clock):
    card = await deliver_one(bot, connector, clock)
    await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 0})
    body = await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 2})
    assert "Udsat til torsdag den 3. december 2026 kl. 9.00" in texts(body["value"])
    [snoozed] = await pending(bot)
    assert snoozed.due_at == datetime(2026, 12, 3, 9, 0, tzinfo=COPENHAGEN)


async def test_done_marks_it_and_ends_a_pending_snooze(bot, connector, clock):
    card = await deliver_one(bot, connector, clock)
    await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 1})
    body = await press(bot, connector, "reminder.done", {"jobId": job_id_of(card)})
    assert "Færdig ✓" in texts(body["value"])
    assert await pending(bot) == []
    connector.clear()
    await run_due(bot, clock, hours=2)
    assert reminder_cards(connector) == []
    body = await press(bot, connector, "reminder.done", {"jobId": job_id_of(card)})
    assert body["value"] == "Påmindelsen er allerede markeret som færdig."
    body = await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 0})
    assert body["value"] == "Påmindelsen er allerede markeret som færdig."
    assert await pending(bot) == []


async def test_done_on_a_channel_reminder_names_who_pressed_it(bot, connector, clock):
    await channel(bot, connector, "påmind kanalen om 10 min om standup")
    connector.clear()
    await run_due(bot, clock, minutes=10)
    [card] = reminder_cards(connector, CHANNEL)
    conversation = a.channel_conversation()
    body = await press(
        bot,
        connector,
        "reminder.done",
        {"jobId": job_id_of(card)},
        conversation=conversation,
        sender=2,
    )
    assert "Færdig ✓ (Bruger)" in texts(body["value"])


async def test_done_on_a_recurring_reminder_leaves_the_series(bot, connector, clock):
    await personal(bot, connector, "påmind mig hver dag kl. 10.30 om status")
    connector.clear()
    await run_due(bot, clock, minutes=30)
    [card] = reminder_cards(connector, PERSONAL)
    await press(bot, connector, "reminder.done", {"jobId": job_id_of(card)})
    [following] = await pending(bot)
    assert following.due_at == datetime(2026, 12, 3, 10, 30, tzinfo=COPENHAGEN)


async def test_an_english_reminder_is_snoozed_in_english(bot, connector, clock):
    card = await deliver_one(bot, connector, clock, "remind me in 10 minutes to stretch")
    body = await press(bot, connector, "reminder.snooze", {"jobId": job_id_of(card), "snooze": 1})
    assert "Snoozed until Wednesday 2 December 2026 at 11:10" in texts(body["value"])


@pytest.mark.parametrize(
    "verb, data, expected",
    [
        ("reminder.done", {"jobId": "no-such-job"}, "findes ikke"),
        ("reminder.done", {"jobId": 17}, "findes ikke"),
        ("reminder.done", {"jobId": None}, "findes ikke"),
        ("reminder.snooze", {"jobId": "x" * 500, "snooze": 0}, "findes ikke"),
        ("reminder.snooze", {"snooze": 7}, "kender jeg ikke"),
        ("reminder.snooze", {"snooze": "0"}, "kender jeg ikke"),
        ("reminder.snooze", {"snooze": True}, "kender jeg ikke"),
        ("reminder.snooze", {}, "kender jeg ikke"),
    ],
)
async def test_forged_button_data_gets_an_answer_and_changes_nothing(
    bot, connector, clock, verb, data, expected
):
    card = await deliver_one(bot, connector, clock)
    data = {k: v for k, v in {"jobId": job_id_of(card), **data}.items() if v is not None}
    body = await press(bot, connector, verb, data)
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert expected in body["value"]
    assert await pending(bot) == []


async def test_buttons_of_a_reminder_not_yet_sent_or_someone_elses_are_refused(
    bot, connector, clock
):
    card = await deliver_one(bot, connector, clock)
    other = a.personal_conversation(2)
    body = await press(
        bot, connector, "reminder.done", {"jobId": job_id_of(card)}, conversation=other, sender=2
    )
    assert body["value"] == "Det er ikke din påmindelse."
    await personal(bot, connector, "påmind mig i morgen kl. 9 om senere")
    [later] = await pending(bot)
    body = await press(bot, connector, "reminder.snooze", {"jobId": later.id, "snooze": 0})
    assert "findes ikke" in body["value"]
    assert (await jobs(bot).get(later.id)).due_at == later.due_at
    await channel(bot, connector, "påmind kanalen om 10 min om standup")
    connector.clear()
    await run_due(bot, clock, minutes=10)
    [shared] = reminder_cards(connector, CHANNEL)
    elsewhere = a.group_conversation("elsewhere")
    body = await press(
        bot, connector, "reminder.done", {"jobId": job_id_of(shared)}, conversation=elsewhere
    )
    assert "findes ikke" in body["value"]


async def test_a_submit_button_is_answered_with_a_message(bot, connector, clock):
    card = await deliver_one(bot, connector, clock)
    value = {"verb": "reminder.snooze", "jobId": job_id_of(card), "snooze": 0}
    reply = await ask(
        bot,
        connector,
        a.card_submit(
            connector.url, value, reply_to_id="activity-1", conversation=a.personal_conversation()
        ),
    )
    assert "Udsat til onsdag den 2. december 2026 kl. 10.20" in reply


# --- late, missed, gone, throttled ----------------------------------------------------------


async def test_after_a_restart_past_its_time_it_is_sent_once_marked_late(
    settings, connector, clock
):
    async with running_bot(settings, clock=clock) as bot:
        await personal(bot, connector, "påmind mig om 10 min om kaffe")
    connector.clear()
    clock.advance(hours=2)
    async with running_bot(settings, clock=clock) as bot:
        await connector.wait_for(
            lambda calls: any(c.body and c.body.get("attachments") for c in calls)
        )
        await bot.runtime.scheduler.tick()
        await bot.runtime.flush_written_behind()
        [card] = reminder_cards(connector, PERSONAL)
        assert "Forsinket: skulle være sendt kl. 10.10" in texts(card)
        assert await pending(bot) == []
    async with running_bot(settings, clock=clock) as bot:
        await bot.runtime.scheduler.tick()
    assert len(reminder_cards(connector)) == 1


async def test_older_than_the_limit_it_is_recorded_missed_and_not_sent(settings, connector, clock):
    async with running_bot(settings, clock=clock) as bot:
        await personal(bot, connector, "påmind mig om 10 min om kaffe")
        [job] = await pending(bot)
    connector.clear()
    clock.advance(hours=13)  # REMINDER_MAX_LATENESS_HOURS is 12 by default
    async with running_bot(settings, clock=clock) as bot:
        await bot.runtime.scheduler.tick()
        await bot.runtime.flush_written_behind()
        stored = await jobs(bot).get(job.id)
        assert stored.state is JobState.MISSED
    assert reminder_cards(connector) == []


async def test_the_lateness_limit_is_a_setting(database_url, tmp_path, connector, clock):
    settings = make_settings(database_url, tmp_path, reminder_max_lateness_hours=1)
    async with running_bot(settings, clock=clock) as bot:
        await personal(bot, connector, "påmind mig om 10 min om kaffe")
        [job] = await pending(bot)
        await run_due(bot, clock, hours=2)
        assert (await jobs(bot).get(job.id)).state is JobState.MISSED


async def test_a_removed_bot_ends_the_reminder_with_the_reason(bot, connector, clock):
    await personal(bot, connector, "påmind mig om 10 min om kaffe")
    [job] = await pending(bot)
    connector.fail_next(403, matches=lambda request: request.path.endswith("/activities"))
    await run_due(bot, clock, minutes=10)
    stored = await jobs(bot).get(job.id)
    assert stored.state is JobState.FAILED and "403" in (stored.last_error or "")
    connector.clear()
    await run_due(bot, clock, hours=1)
    assert reminder_cards(connector) == []  # not tried again


async def test_throttling_is_retried_later_and_sent_once(bot, connector, clock):
    await personal(bot, connector, "påmind mig om 10 min om kaffe")
    [job] = await pending(bot)
    connector.fail_next(
        429, times=4, retry_after="0", matches=lambda r: r.path.endswith("/activities")
    )
    connector.clear()
    await run_due(bot, clock, minutes=10)
    stored = await jobs(bot).get(job.id)
    assert stored.state is JobState.PENDING and "429" in (stored.last_error or "")
    assert stored.due_at > clock.now()
    connector.clear()
    await run_due(bot, clock, hours=1)
    [card] = reminder_cards(connector, PERSONAL)
    assert "kaffe" in texts(card)
    assert (await jobs(bot).get(job.id)).state is JobState.DONE


# --- hostile text ---------------------------------------------------------------------------


async def test_a_hundred_kilobytes_of_text_is_refused_politely(bot, connector):
    reply = await personal(bot, connector, "påmind mig i morgen kl. 9 om " + "x" * 100_000)
    assert "for lang til en påmindelse" in reply
    assert await pending(bot) == []


async def test_a_lone_surrogate_does_not_break_setting_or_sending(bot, connector, clock):
    activity = a.personal_message(connector.url, "påmind mig om 10 min om kaffe \ud800 nu")
    body = json.dumps(activity).encode()  # ensure_ascii: the surrogate is a \ud800 escape
    connector.clear()
    status, _ = await bot.post(body)
    assert status in (200, 201)
    assert "kaffe" in connector.sent(PERSONAL)[-1].text
    await run_due(bot, clock, minutes=10)
    [card] = reminder_cards(connector, PERSONAL)
    assert "kaffe" in texts(card)


# --- two processes on one PostgreSQL ---------------------------------------------------------


def _reminder(n: int, conversations: int, due: datetime, now: datetime) -> Job:
    person = n % conversations
    sender = Sender(
        user_id=f"29:user-{person}",
        name="Bruger",
        aad_object_id=None,
        conversation_id=f"a:personal-{person}",
        scope="personal",
        tenant_id=a.TENANT,
        service_url="",
        bot_id=a.BOT_ID,
    )
    request = ReminderRequest(target="me", due_at=due, text=f"påmindelse {n}")
    return reminder_job(request, sender, "da", now)


async def _seed(process: Process, connector, conversations: int, count: int, due_in: float):
    """Store the conversations' references through a running bot, then `count` reminders."""
    for person in range(conversations):
        activity = a.personal_message(connector.url, "hjælp", sender=person, conversation=person)
        status, _ = await process.post(activity)
        assert status in (200, 201)
    now = SystemClock().now()
    due = now + timedelta(seconds=due_in)
    async with migrated(process.database_url) as (engine, writer):
        repository = SqlJobRepository(engine, writer)
        return [
            (await repository.schedule(_reminder(n, conversations, due, now))).id
            for n in range(count)
        ]


def _sent_ids(calls) -> Counter[str]:
    """How often each reminder's card was posted (answered by the connector or not)."""
    sent: Counter[str] = Counter()
    for call in calls:
        if call.method != "POST" or not call.path.endswith("/activities"):
            continue
        for card in call.cards:
            for action in (card or {}).get("actions", []):
                if action.get("verb") == "reminder.done":
                    sent[action["data"]["jobId"]] += 1
    return sent


class Process(BotProcess):
    def __init__(self, database_url: str, tmp_path) -> None:
        super().__init__(database_url, tmp_path)
        self.database_url = database_url


async def test_two_processes_on_postgresql_send_500_due_reminders_exactly_once(
    database_url, tmp_path, connector
):
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database")
    first, second = Process(database_url, tmp_path / "a"), Process(database_url, tmp_path / "b")
    try:
        await first.start()
        ids = await _seed(first, connector, conversations=50, count=500, due_in=4)
        await second.start()
        await connector.wait_for(lambda calls: len(_sent_ids(calls)) >= 500, seconds=180)
        await asyncio.sleep(2)  # time for a duplicate to show
    finally:
        await asyncio.gather(first.kill(), second.kill())
    sent = _sent_ids(connector.calls)
    assert set(sent) == set(ids) and set(sent.values()) == {1}
    async with migrated(database_url) as (engine, writer):
        repository = SqlJobRepository(engine, writer)
        states = {(await repository.get(job_id)).state for job_id in ids}
    assert states == {JobState.DONE}


@dataclass
class HoldingConnector(FakeConnector):
    """Leaves reminder posts unanswered while `holding` (a process is to die mid-send)."""

    holding: bool = True

    async def _activity(self, request: web.Request) -> web.Response:
        if self.holding and request.method == "POST" and request.path.endswith("/activities"):
            await self._record(request)
            while self.holding:  # noqa: ASYNC110 - released by the test
                await asyncio.sleep(0.05)
            return web.json_response({"id": "never-seen"})
        return await super()._activity(request)


async def test_a_process_killed_while_it_holds_claims_leaves_them_to_the_other(
    database_url, tmp_path
):
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database")
    connector = await HoldingConnector().start()
    connector.holding = False
    first, second = Process(database_url, tmp_path / "a"), Process(database_url, tmp_path / "b")
    try:
        await first.start()
        ids = await _seed_held(first, connector)
        # Both conversations' first reminders are in flight: the first process holds all 20.
        await connector.wait_for(lambda calls: len(_sent_ids(calls)) >= 2, seconds=60)
        await first.kill()
        killed_at = len(connector.calls)
        connector.holding = False
        async with migrated(database_url) as (engine, _writer), engine.begin() as connection:
            claimed = await connection.execute(
                update(scheduled_jobs)
                .where(scheduled_jobs.c.state == JobState.CLAIMED.value)
                # The lease runs out (5 minutes): set back here instead of waited for.
                .values(lease_until=SystemClock().now() - timedelta(seconds=1))
            )
            assert claimed.rowcount == 20
        await second.start()
        await connector.wait_for(lambda calls: len(_sent_ids(calls[killed_at:])) >= 20, seconds=120)
        await asyncio.sleep(2)
    finally:
        await asyncio.gather(first.kill(), second.kill())
        await connector.stop()
    after = _sent_ids(connector.calls[killed_at:])
    assert set(after) == set(ids) and set(after.values()) == {1}
    async with migrated(database_url) as (engine, writer):
        repository = SqlJobRepository(engine, writer)
        stored = [await repository.get(job_id) for job_id in ids]
    assert {job.state for job in stored} == {JobState.DONE}
    assert {job.attempts for job in stored} == {2}  # claimed by the dead one, then the other


async def _seed_held(process: Process, connector) -> list[str]:
    """Seed with the help answers let through, then hold the reminders' posts."""
    connector.holding = False
    ids = await _seed(process, connector, conversations=2, count=20, due_in=2)
    connector.holding = True
    return ids


# --- beside the other capabilities ----------------------------------------------------------


async def test_the_help_card_names_reminders_in_both_languages(bot, connector):
    assert "`påmind mig i morgen kl. 9 om at svare KMD`" in await personal(bot, connector, "hjælp")
    assert "`remind me tomorrow at 9 to answer KMD`" in await personal(bot, connector, "help")


@pytest.mark.parametrize("question", ["remind me what KP is?", "mind the gap"])
async def test_a_question_that_starts_like_a_command_goes_to_the_knowledge_base(
    bot, connector, question
):
    reply = await personal(bot, connector, question)
    assert "Write e.g. `remind me" not in reply and "Skriv fx `påmind" not in reply
    assert await pending(bot) == []


async def test_a_personal_reminder_from_a_group_is_snoozed_in_the_one_to_one_chat(
    bot, connector, clock
):
    await group(bot, connector, "påmind mig om 10 min om referatet")
    connector.clear()
    await run_due(bot, clock, minutes=10)
    [sent] = [c for c in connector.sent() if c.cards]
    one_to_one = {"id": sent.conversation_id, "conversationType": "personal", "tenantId": a.TENANT}
    body = await press(
        bot,
        connector,
        "reminder.snooze",
        {"jobId": job_id_of(sent.cards[0]), "snooze": 0},
        conversation=one_to_one,
    )
    assert "Udsat til" in texts(body["value"])
    connector.clear()
    await run_due(bot, clock, minutes=10)
    assert [c.path for c in connector.calls if c.path == "/v3/conversations"] == []
    [again] = reminder_cards(connector, sent.conversation_id)
    assert "referatet" in texts(again)
    assert reminder_cards(connector, MEETING) == []


async def test_the_list_in_english(bot, connector):
    await personal(bot, connector, "remind me tomorrow at 9 to call the office")
    listing = await personal(bot, connector, "reminders")
    assert '1. Thursday 3 December 2026 at 09:00 — "call the office"' in listing
    assert "`delete reminder <number>`" in listing
    assert 'Deleted: "call the office"' in await personal(bot, connector, "delete reminder 1")


async def test_two_presses_of_done_at_once_mark_it_once(bot, connector, clock):
    card = await deliver_one(bot, connector, clock)
    bodies = await asyncio.gather(
        *(press(bot, connector, "reminder.done", {"jobId": job_id_of(card)}) for _ in range(5))
    )
    done = [b for b in bodies if b["type"] == "application/vnd.microsoft.card.adaptive"]
    refused = [b["value"] for b in bodies if b not in done]
    assert len(done) == 1
    assert refused == ["Påmindelsen er allerede markeret som færdig."] * 4


async def test_a_list_shown_in_another_conversation_gives_no_numbers_here(bot, connector):
    await group(bot, connector, "påmind os i morgen kl. 9 om a")
    await group(bot, connector, "påmind os i morgen kl. 10 om b")
    await channel(bot, connector, "påmindelser")
    assert "Skriv `påmindelser` først" in await group(bot, connector, "slet påmindelse 1")
    assert len(await jobs(bot).pending_for_conversation(MEETING, KIND)) == 2


async def test_one_person_cannot_set_reminders_without_end(bot, connector, monkeypatch):
    monkeypatch.setattr("bot.capabilities.reminders.turns.MAX_PENDING", 3)
    for n in range(3):
        assert "Jeg minder dig" in await personal(bot, connector, f"påmind mig i morgen om {n}")
    reply = await personal(bot, connector, "påmind mig i morgen om en til")
    assert "Du har allerede 3 kommende påmindelser." in reply
    assert len(await pending(bot)) == 3
    assert "Jeg minder dig" in await personal(bot, connector, "påmind mig i morgen om x", sender=2)
