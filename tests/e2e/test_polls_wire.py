"""Polls over the wire: the real app, real HTTP, the fake connector — SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest

from bot.domain.clock import COPENHAGEN, FixedClock
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot

MEETING = "19:meeting@thread.v2"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
async def poll_bot(database_url, tmp_path, clock):
    settings = make_settings(database_url, tmp_path, admin_ids="29:user-9")
    async with running_bot(settings, clock=clock) as client:
        yield client


def card_texts(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


async def create(bot, connector, text: str, *, sender: int = 1) -> tuple[str, dict, str]:
    """Post a poll command; returns (poll id, posted card, posted activity id)."""
    connector.clear()
    status, _ = await bot.post(a.group_message(connector.url, text, sender=sender))
    assert status in (200, 201)
    [call] = connector.sent(MEETING)
    [card] = call.cards
    poll_id = card["actions"][0]["data"]["pollId"]
    stored = await bot.runtime.polls.commands._polls.get(poll_id)
    assert stored is not None and stored.card_activity_id
    return poll_id, card, stored.card_activity_id


async def vote(bot, connector, poll_id: str, data: dict, *, sender: int, chat: str = "meeting"):
    status, body = await bot.post(
        a.card_invoke(
            connector.url,
            "poll.vote",
            {"pollId": poll_id, **data},
            conversation=a.group_conversation(chat),
            sender=sender,
        )
    )
    assert status == 200
    return body


async def settle(bot):
    await bot.runtime.polls.actions.drain()
    await bot.runtime.flush_written_behind()


async def tally(bot, poll_id: str):
    runtime = bot.runtime
    poll = await runtime.polls.commands._polls.get(poll_id)
    return await runtime.poll_web.service.tally(poll)


# --- creating -------------------------------------------------------------------------------


async def test_a_one_line_poll_posts_a_card_with_its_options(poll_bot, connector):
    poll_id, card, _ = await create(
        poll_bot, connector, 'afstemning "Har din kommune svaret KMD?" "Ja" "Nej" "Ved ikke"'
    )
    text = card_texts(card)
    assert "Har din kommune svaret KMD?" in text
    [choices] = [b for b in card["body"] if b.get("type") == "Input.ChoiceSet"]
    assert [c["title"] for c in choices["choices"]] == ["Ja", "Nej", "Ved ikke"]
    assert card["actions"][0] == {
        "type": "Action.Execute",
        "title": "Send svar",
        "verb": "poll.vote",
        "data": {"pollId": poll_id},
        "style": "positive",
    }
    assert "Anonym" in text


@pytest.mark.parametrize(
    "command, expected",
    [
        ('skala "Hvor klar er I til hjemtagelse?"', "1 = lav"),
        ('åbent "Hvordan foregår bogføring af boligydelser?"', "Input.Text"),
        ('poll "Ready?" "Yes" "No" multiple named', "You may choose several"),
        ('ja/nej "Deltager I i webinaret?"', '"title": "Ja"'),
        ("evaluering", "Helt enig"),
        ("evaluation", "Strongly agree"),
        ('udsagn "Mødet" “Det var nyttigt” „Tiden var godt brugt“', "Hverken enig eller uenig"),
    ],
)
async def test_every_kind_of_poll_is_made_from_one_line(poll_bot, connector, command, expected):
    _, card, _ = await create(poll_bot, connector, command)
    assert expected in card_texts(card)


@pytest.mark.parametrize(
    "command, expected",
    [
        ('afstemning "Spørgsmål?" "Kun én"', "mindst to svarmuligheder"),
        ('afstemning "Spørgsmål?" "Ja" "ja"', "står der to gange"),
        ('afstemning ""', "tomt"),
        ('afstemning "Q?" ' + " ".join(f'"{n}"' for n in range(21)), "Højst 20"),
        ('afstemning "Q?" "Ja" "Nej" luk kl. 9.00', "allerede passeret"),
        (f'afstemning "{"x" * 301}" "Ja" "Nej"', "højst 300 tegn"),
        ('afstemning "Q?" "Ja" "Nej', "aldrig lukket"),
        ('poll "Q?" "A" "A"', "is there twice"),
    ],
)
async def test_creation_errors_get_a_clear_answer_and_no_poll(
    poll_bot, connector, command, expected
):
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, command))
    [reply] = connector.sent(MEETING)
    assert expected in reply.text
    assert not reply.cards


async def test_a_question_starting_with_a_poll_word_goes_to_the_knowledge_base(poll_bot, connector):
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "åbent hus i april?"))
    [reply] = connector.sent(MEETING)
    assert "Input.Text" not in card_texts(reply.body)


async def test_open_polls_are_listed(poll_bot, connector):
    await create(poll_bot, connector, 'afstemning "Første?" "Ja" "Nej"')
    await create(poll_bot, connector, 'skala "Anden?"')
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "afstemninger"))
    [reply] = connector.sent(MEETING)
    assert "1. Første?" in reply.text and "2. Anden?" in reply.text


# --- voting ---------------------------------------------------------------------------------


async def test_a_vote_is_recorded_and_the_voter_sees_their_own_card(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    body = await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Du har stemt: Ja" in card_texts(body["value"])
    result = await tally(poll_bot, poll_id)
    assert result.respondents == 1


async def test_a_changed_answer_replaces_and_a_repeat_counts_once(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" navngivet')
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=2)
    await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=3)
    result = await tally(poll_bot, poll_id)
    assert result.respondents == 2
    assert [(s.label, s.count) for s in result.shares] == [("Ja", 0), ("Nej", 2)]


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"choice": "7"}, "Vælg en af mulighederne"),
        ({"choice": ["1"]}, "Vælg en af mulighederne"),
        ({}, "ikke valgt noget"),
        ({"pollId": "nope"}, "findes ikke"),
        ({"pollId": 5}, "findes ikke"),
    ],
)
async def test_forged_submissions_are_refused_privately_and_not_recorded(
    poll_bot, connector, data, expected
):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" navngivet')
    data = dict(data)  # the parameters are shared between the two databases' runs
    body = await vote(poll_bot, connector, data.pop("pollId", poll_id), data, sender=2)
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert expected in body["value"]
    assert (await tally(poll_bot, poll_id)).respondents == 0


async def test_a_poll_of_another_conversation_is_not_found(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" navngivet')
    body = await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2, chat="other")
    assert "findes ikke" in body["value"]
    assert (await tally(poll_bot, poll_id)).respondents == 0


async def test_an_anonymous_poll_withholds_the_distribution_below_three(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    for voter in (2, 3):
        await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=voter)
    await settle(poll_bot)
    card = await poll_bot.runtime.polls.publisher.card(
        await poll_bot.runtime.polls.commands._polls.get(poll_id)
    )
    assert "når mindst 3 har svaret" in card_texts(card)
    assert "100" not in card_texts(card)
    await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=4)
    card = await poll_bot.runtime.polls.publisher.card(
        await poll_bot.runtime.polls.commands._polls.get(poll_id)
    )
    assert "67\u00a0%" in card_texts(card) and "33\u00a0%" in card_texts(card)


async def test_anonymous_votes_store_no_identity(poll_bot, connector, database_url):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    votes = await poll_bot.runtime.polls.commands._polls.votes(poll_id)
    assert [(v.voter_id, v.voter_name) for v in votes] == [(None, None)]
    from sqlalchemy import text

    async with poll_bot.runtime.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM poll_votes"))).all()
    assert "user-2" not in repr(rows) and "Bruger" not in repr(rows)


async def test_the_shared_card_is_updated_with_the_running_results(poll_bot, connector, clock):
    poll_id, _, activity_id = await create(
        poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" navngivet'
    )
    clock.advance(seconds=2)  # a card is updated at most once a second, posting included
    connector.clear()
    await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=2)
    await settle(poll_bot)
    [update] = connector.updates()
    assert update.activity_id == activity_id
    assert "1 har svaret" in card_texts(update.cards[0])
    assert "100\u00a0%" in card_texts(update.cards[0])


# --- closing --------------------------------------------------------------------------------


async def test_only_the_creator_or_an_admin_closes(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"', sender=1)
    _, body = await poll_bot.post(
        a.card_invoke(connector.url, "poll.close", {"pollId": poll_id}, sender=2)
    )
    assert "Kun den, der oprettede" in body["value"]
    connector.clear()
    _, body = await poll_bot.post(
        a.card_invoke(connector.url, "poll.close", {"pollId": poll_id}, sender=9)
    )
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Afstemningen er lukket" in card_texts(body["value"])
    results = [c for c in connector.sent(MEETING) if "Resultat: KMD?" in card_texts(c.body)]
    assert len(results) == 1


async def test_close_by_command_posts_exact_results_once(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" "Ved ikke"')
    for voter, choice in ((2, "1"), (3, "1"), (4, "2"), (5, "3")):
        await vote(poll_bot, connector, poll_id, {"choice": choice}, sender=voter)
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "luk afstemning", sender=1))
    await poll_bot.post(a.group_message(connector.url, "luk afstemning", sender=1))
    await settle(poll_bot)
    results = [c for c in connector.sent(MEETING) if "Resultat: KMD?" in card_texts(c.body)]
    assert len(results) == 1
    text = card_texts(results[0].cards[0])
    assert "4 har svaret" in text
    assert "50\u00a0% (2)" in text and "25\u00a0% (1)" in text
    body = await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=6)
    assert "lukket" in body["value"]


async def test_auto_close_at_its_time(poll_bot, connector, clock):
    poll_id, _, _ = await create(poll_bot, connector, 'skala "Temperatur?" luk om 10 min')
    for voter, value in ((2, "7"), (3, "8"), (4, "4")):
        await vote(poll_bot, connector, poll_id, {"value": value}, sender=voter)
    connector.clear()
    clock.advance(minutes=11)
    await poll_bot.runtime.scheduler.tick()
    await settle(poll_bot)
    results = [c for c in connector.sent(MEETING) if "Resultat: Temperatur?" in card_texts(c.body)]
    assert len(results) == 1
    text = card_texts(results[0].cards[0])
    assert "gennemsnit 6,3" in text and "median 7,0" in text


async def test_hidden_results_are_shown_only_after_closing(poll_bot, connector, clock):
    poll_id, _, _ = await create(
        poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" skjult navngivet'
    )
    connector.clear()
    clock.advance(seconds=2)
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    await settle(poll_bot)
    assert connector.updates()
    for update in connector.updates():
        assert "100\u00a0%" not in card_texts(update.body)
        assert "Resultatet vises, når afstemningen lukker" in card_texts(update.body)
    await poll_bot.post(a.group_message(connector.url, "luk afstemning", sender=1))
    results = [c for c in connector.sent(MEETING) if "Resultat: KMD?" in card_texts(c.body)]
    assert "100\u00a0% (1)" in card_texts(results[0].body)


async def test_an_evaluation_shows_its_trend_over_meetings(poll_bot, connector, clock):
    for level in ("3", "5"):
        poll_id, card, _ = await create(poll_bot, connector, "evaluering")
        ratings = [b["id"] for b in card["body"] if b.get("type") == "Input.ChoiceSet"]
        for voter in (2, 3, 4):
            await vote(poll_bot, connector, poll_id, {ratings[0]: level}, sender=voter)
        connector.clear()
        await poll_bot.post(a.group_message(connector.url, "luk afstemning", sender=1))
        clock.advance(days=30)
    [results] = [c for c in connector.sent(MEETING) if "Resultat:" in card_texts(c.body)]
    text = card_texts(results.body)
    assert "Udvikling over møderne" in text
    assert "3,0 → 5,0" in text


async def test_the_meeting_end_posts_the_evaluation_when_opted_in(poll_bot, connector):
    connector.clear()
    await poll_bot.post(a.meeting_event(connector.url, "End"))
    assert connector.sent() == []
    chat = "19:meeting_abc@thread.v2"
    opt_in = a.group_message(connector.url, "evaluering efter møder til", chat="meeting_abc")
    await poll_bot.post(opt_in)
    connector.clear()
    await poll_bot.post(a.meeting_event(connector.url, "End"))
    [posted] = connector.sent(chat)
    assert "Helt enig" in card_texts(posted.body)


# --- the guided dialog ----------------------------------------------------------------------


async def test_the_guided_dialog_asks_for_what_is_missing_and_survives_a_restart(
    database_url, tmp_path, connector, clock
):
    settings = make_settings(database_url, tmp_path)
    async with running_bot(settings, clock=clock) as bot:
        await bot.post(a.group_message(connector.url, "afstemning"))
        assert "Hvad skal afstemningen spørge om?" in connector.sent(MEETING)[-1].text
        await bot.post(a.group_message(connector.url, "Hvornår mødes vi?"))
        assert "Hvilke svarmuligheder?" in connector.sent(MEETING)[-1].text
    async with running_bot(settings, clock=clock) as bot:
        await bot.post(a.group_message(connector.url, "Kun mandag"))
        assert "mindst to svarmuligheder" in connector.sent(MEETING)[-1].text
        connector.clear()
        await bot.post(a.group_message(connector.url, "Mandag, Tirsdag, Onsdag"))
        [card] = connector.sent(MEETING)[-1].cards
        assert "Hvornår mødes vi?" in card_texts(card) and "Onsdag" in card_texts(card)


async def test_the_guided_dialog_can_be_cancelled(poll_bot, connector):
    await poll_bot.post(a.group_message(connector.url, 'afstemning "Hvornår?"'))
    await poll_bot.post(a.group_message(connector.url, "annuller"))
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "afstemninger"))
    assert "ingen åbne" in connector.sent(MEETING)[-1].text


# --- many voters ----------------------------------------------------------------------------


async def test_a_thousand_voters_at_once_lose_nothing(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    gate = asyncio.Semaphore(50)

    async def one(voter: int) -> None:
        async with gate:
            await vote(poll_bot, connector, poll_id, {"choice": str(1 + voter % 2)}, sender=voter)

    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(one(v) for v in range(100, 1100)))
    await settle(poll_bot)
    elapsed = asyncio.get_running_loop().time() - started
    result = await tally(poll_bot, poll_id)
    assert result.respondents == 1000
    assert [s.count for s in result.shares] == [500, 500]
    assert len(connector.updates()) <= elapsed + 2


def _created_chats(connector) -> list:
    return [c for c in connector.calls if c.method == "POST" and c.path == "/v3/conversations"]


async def test_the_export_link_goes_to_the_creators_private_chat_and_downloads(poll_bot, connector):
    command = 'afstemning "KMD?" "Ja" "Nej" navngivet'  # named: one vote may be exported
    poll_id, _, _ = await create(poll_bot, connector, command, sender=1)
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    connector.clear()
    _, body = await poll_bot.post(
        a.card_invoke(connector.url, "poll.export", {"pollId": poll_id}, sender=1)
    )
    assert "privat" in json.dumps(body, ensure_ascii=False)
    assert "/polls/x/" not in json.dumps(body), "the invoke answer carries no link"
    [opened] = _created_chats(connector)
    assert opened.body["members"] == [{"id": "29:user-1"}]
    [message] = [c for c in connector.sent() if c.conversation_id.startswith("a:created-")]
    assert connector.sent(MEETING) == [], "nothing is posted in the meeting chat"
    csv_url = next(w for w in message.text.split() if ".csv" in w)
    status, text = await poll_bot.get(csv_url[csv_url.index("/polls/") :])
    assert status == 200 and "Ja" in text and "Bruger" in text


async def test_a_link_pressed_by_someone_else_is_refused_and_none_is_sent(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"', sender=1)
    connector.clear()
    for verb in ("poll.export", "poll.results"):
        _, body = await poll_bot.post(
            a.card_invoke(connector.url, verb, {"pollId": poll_id}, sender=2)
        )
        assert "/polls/" not in json.dumps(body)
    assert _created_chats(connector) == [] and connector.sent() == []


async def test_a_plain_submission_never_posts_the_link_in_the_group(poll_bot, connector):
    poll_id, _, card_id = await create(poll_bot, connector, 'afstemning "KMD?" "Ja"  "Nej"')
    connector.fail_next(403, matches=lambda r: r.path == "/v3/conversations")
    connector.clear()
    status, _ = await poll_bot.post(
        a.card_submit(
            connector.url, {"verb": "poll.results", "pollId": poll_id}, reply_to_id=card_id
        )
    )
    assert status == 200
    [answer] = connector.sent(MEETING)
    assert "/polls/" not in (answer.text or "") and "privat" in answer.text
    # Pressed as a Universal Action instead, the link comes in the private invoke answer.
    connector.fail_next(403, matches=lambda r: r.path == "/v3/conversations")
    _, body = await poll_bot.post(
        a.card_invoke(connector.url, "poll.results", {"pollId": poll_id}, sender=1)
    )
    assert "/polls/r/" in json.dumps(body)
