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


# --- results for the creator only -----------------------------------------------------------


def _private_messages(connector) -> list:
    return [c for c in connector.sent() if c.conversation_id.startswith("a:created-")]


async def test_creator_only_results_never_reach_the_group_and_go_to_the_creator(
    poll_bot, connector, clock
):
    poll_id, card, _ = await create(
        poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" "Ved ikke" privat navngivet'
    )
    assert "Kun den, der oprettede afstemningen, ser resultatet" in card_texts(card)
    clock.advance(seconds=2)
    connector.clear()
    for voter, choice in ((2, "1"), (3, "1"), (4, "2"), (5, "3")):
        body = await vote(poll_bot, connector, poll_id, {"choice": choice}, sender=voter)
        assert "%" not in card_texts(body["value"])  # nor in the voter's own card
    await settle(poll_bot)
    assert connector.updates()
    for update in connector.updates():
        assert "har svaret" in card_texts(update.body)
        assert "%" not in card_texts(update.body)
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "luk afstemning", sender=1))
    await settle(poll_bot)
    # The creator's 1:1 chat is opened, then the exact results are posted there.
    [opened] = _created_chats(connector)
    assert opened.body["members"] == [{"id": "29:user-1"}]
    assert connector.calls.index(opened) < connector.calls.index(_private_messages(connector)[0])
    [message] = _private_messages(connector)
    private = card_texts(message.cards[0])
    assert "Resultat: KMD?" in private and "4 har svaret" in private
    assert "50\u00a0% (2)" in private and "25\u00a0% (1)" in private
    # The group: closed, how many answered, where the results went — no figures anywhere.
    group = connector.sent(MEETING)
    assert [c.text for c in group] == [
        "Afstemningen „KMD?“ er lukket · 4 har svaret. Resultatet er sendt privat til Bruger."
    ]
    clock.advance(seconds=2)  # the closed card follows within the second's limit
    await poll_bot.runtime.scheduler.tick()
    await settle(poll_bot)
    for call in group + connector.updates():
        assert "%" not in card_texts(call.body) and "Resultat: KMD?" not in card_texts(call.body)
    closed = card_texts(connector.updates()[-1].body)
    assert "Afstemningen er lukket" in closed and "4 har svaret" in closed


async def test_creator_only_results_are_not_posted_when_the_private_chat_fails(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'poll "KMD?" "Yes" "No" private named')
    for voter in (2, 3):
        await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=voter)
    connector.fail_next(403, matches=lambda r: r.path == "/v3/conversations")
    connector.clear()
    _, body = await poll_bot.post(
        a.card_invoke(connector.url, "poll.close", {"pollId": poll_id}, sender=1)
    )
    await settle(poll_bot)
    assert "%" not in card_texts(body["value"])
    assert len(_created_chats(connector)) == 1 and _private_messages(connector) == []
    [note] = connector.sent(MEETING)
    assert "2 answered" in note.text and "could not write to them privately" in note.text
    for call in connector.sent(MEETING) + connector.updates():
        assert "100" not in card_texts(call.body) and "Results: KMD?" not in card_texts(call.body)


async def test_a_creator_only_poll_auto_closes_into_the_creators_chat(poll_bot, connector, clock):
    poll_id, _, _ = await create(poll_bot, connector, 'skala "Temperatur?" privat luk om 10 min')
    for voter, value in ((2, "7"), (3, "8"), (4, "4")):
        await vote(poll_bot, connector, poll_id, {"value": value}, sender=voter)
    connector.clear()
    clock.advance(minutes=11)
    await poll_bot.runtime.scheduler.tick()
    await settle(poll_bot)
    [message] = _private_messages(connector)
    assert "gennemsnit 6,3" in card_texts(message.body) and "median 7,0" in card_texts(message.body)
    [note] = connector.sent(MEETING)
    assert "3 har svaret" in note.text and "gennemsnit" not in card_texts(note.body)


async def test_the_results_page_of_a_creator_only_poll_shows_the_figures_to_its_holder(
    poll_bot, connector
):
    poll_id, _, _ = await create(
        poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" privat navngivet'
    )
    await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=2)
    connector.clear()
    await poll_bot.post(a.card_invoke(connector.url, "poll.results", {"pollId": poll_id}))
    [message] = _private_messages(connector)
    url = next(w for w in message.text.split() if "/polls/r/" in w)
    status, page = await poll_bot.get(url[url.index("/polls/") :])
    assert status == 200
    assert "100\u00a0%" in page and "Kun for opretteren" in page


async def test_the_list_of_open_polls_says_whose_results_they_are(poll_bot, connector):
    await create(poll_bot, connector, 'afstemning "Første?" "Ja" "Nej" privat')
    await create(poll_bot, connector, 'afstemning "Anden?" "Ja" "Nej" skjult')
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "afstemninger"))
    [reply] = connector.sent(MEETING)
    assert "1. Første? (resultat kun til opretteren)" in reply.text
    assert "2. Anden? (resultat ved lukning)" in reply.text


# --- deleting -------------------------------------------------------------------------------


async def ask_to_delete(bot, connector, text: str = "slet afstemning", *, sender: int = 1):
    """Write the delete command; returns the confirmation card and its activity id."""
    connector.clear()
    await bot.post(a.group_message(connector.url, text, sender=sender))
    [reply] = connector.sent(MEETING)
    return reply


async def press(bot, connector, verb: str, data: dict, *, sender: int, reply_to: str = "c1"):
    _, body = await bot.post(
        a.card_invoke(connector.url, verb, data, sender=sender, reply_to_id=reply_to)
    )
    return body


async def test_the_creator_deletes_a_poll_after_confirming(poll_bot, connector):
    poll_id, _, card_id = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    for voter in (2, 3):
        await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=voter)
    reply = await ask_to_delete(poll_bot, connector)
    [confirm] = reply.cards
    shown = card_texts(confirm)
    assert "Slet afstemningen „KMD?“?" in shown and "2 har svaret" in shown
    [yes, no] = confirm["actions"]
    assert (yes["verb"], yes["title"], no["verb"], no["title"]) == (
        "poll.delete.confirm",
        "Slet",
        "poll.delete.cancel",
        "Fortryd",
    )
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is not None  # not yet
    connector.clear()
    body = await press(poll_bot, connector, yes["verb"], yes["data"], sender=1)
    assert "Afstemningen er slettet, med alle dens svar." in card_texts(body["value"])
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is None
    updated = {u.activity_id: card_texts(u.body) for u in connector.updates()}
    assert "Afstemningen er slettet" in updated[card_id] and "KMD" not in updated[card_id]
    assert "Afstemningen er slettet, med alle dens svar." in updated["c1"]
    # Votes afterwards, pressing Slet again, closing: the poll is gone.
    after = await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=4)
    assert "findes ikke" in after["value"]
    again = await press(poll_bot, connector, yes["verb"], yes["data"], sender=1)
    assert "allerede slettet" in again["value"]
    connector.clear()
    await poll_bot.post(a.group_message(connector.url, "afstemninger"))
    assert "ingen åbne" in connector.sent(MEETING)[-1].text
    from sqlalchemy import text

    async with poll_bot.runtime.engine.connect() as connection:
        votes = (await connection.execute(text("SELECT count(*) FROM poll_votes"))).scalar()
    assert votes == 0  # the votes went with the poll


async def test_only_the_creator_or_an_admin_deletes(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"', sender=1)
    refused = await ask_to_delete(poll_bot, connector, sender=2)
    assert "Kun den, der oprettede afstemningen, eller en administrator kan slette" in refused.text
    assert not refused.cards
    [confirm] = (await ask_to_delete(poll_bot, connector, sender=1)).cards
    yes, no = confirm["actions"]
    for verb, data in ((yes["verb"], yes["data"]), (no["verb"], no["data"])):
        body = await press(poll_bot, connector, verb, data, sender=2)
        assert "kan slette den" in body["value"]
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is not None
    body = await press(poll_bot, connector, yes["verb"], yes["data"], sender=9)  # an admin
    assert "slettet" in card_texts(body["value"])
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is None


async def test_cancelling_keeps_the_poll_and_its_votes(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'poll "KMD?" "Yes" "No" named')
    await vote(poll_bot, connector, poll_id, {"choice": "1"}, sender=2)
    [confirm] = (await ask_to_delete(poll_bot, connector, "delete poll")).cards
    assert 'Delete the poll \\"KMD?\\"?' in card_texts(confirm)
    _, no = confirm["actions"]
    connector.clear()
    body = await press(poll_bot, connector, no["verb"], no["data"], sender=1)
    assert "The deletion was cancelled" in card_texts(body["value"])
    [update] = connector.updates()  # the others' confirmation card loses its buttons too
    assert update.activity_id == "c1" and "actions" not in update.body["attachments"][0]["content"]
    assert (await tally(poll_bot, poll_id)).respondents == 1
    body = await vote(poll_bot, connector, poll_id, {"choice": "2"}, sender=3)
    assert "You voted" in card_texts(body["value"])


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"pollId": "nope", "askedAt": NOW.isoformat()}, "allerede slettet eller findes ikke"),
        ({"pollId": 7}, "findes ikke"),
        ({"askedAt": "yesterday"}, "for gammel eller ikke gyldig"),
        ({}, "for gammel eller ikke gyldig"),
        ({"askedAt": "2026-12-01T08:00:00+00:00"}, "for gammel eller ikke gyldig"),  # 1 h ago
    ],
)
async def test_forged_and_stale_confirmations_are_refused(poll_bot, connector, data, expected):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    body = await press(
        poll_bot, connector, "poll.delete.confirm", {"pollId": poll_id, **data}, sender=1
    )
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert expected in body["value"]
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is not None


async def test_a_confirmation_from_another_conversation_is_refused(poll_bot, connector):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    data = {"pollId": poll_id, "askedAt": NOW.isoformat()}
    _, body = await poll_bot.post(
        a.card_invoke(
            connector.url,
            "poll.delete.confirm",
            data,
            conversation=a.group_conversation("other"),
            sender=1,
        )
    )
    assert "findes ikke" in body["value"]
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is not None


async def test_a_confirmation_pressed_too_late_is_asked_again(poll_bot, connector, clock):
    poll_id, _, _ = await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej"')
    [confirm] = (await ask_to_delete(poll_bot, connector)).cards
    yes, _ = confirm["actions"]
    clock.advance(minutes=16)
    body = await press(poll_bot, connector, yes["verb"], yes["data"], sender=1)
    assert "Skriv `slet afstemning` igen" in body["value"]
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is not None


async def test_which_poll_a_delete_command_means(poll_bot, connector, clock):
    first, _, _ = await create(poll_bot, connector, 'afstemning "Første?" "Ja" "Nej"')
    clock.advance(seconds=1)
    second, _, _ = await create(poll_bot, connector, 'afstemning "Anden?" "Ja" "Nej"')
    assert "flere åbne afstemninger" in (await ask_to_delete(poll_bot, connector)).text
    numbered = await ask_to_delete(poll_bot, connector, "slet afstemning 2")
    assert numbered.cards[0]["actions"][0]["data"]["pollId"] == second
    assert (
        "ingen åben afstemning nummer 3"
        in (await ask_to_delete(poll_bot, connector, "slet afstemning 3")).text
    )
    # A closed poll is in no numbered list: `seneste` is the newest poll, open or closed.
    await poll_bot.post(a.group_message(connector.url, "luk afstemning 2", sender=1))
    await poll_bot.post(a.group_message(connector.url, "luk afstemning 1", sender=1))
    latest = await ask_to_delete(poll_bot, connector, "slet afstemning seneste")
    [confirm] = latest.cards
    assert confirm["actions"][0]["data"]["pollId"] == second
    assert "Resultatbeskeden, der allerede er sendt, bliver stående" in card_texts(confirm)
    plain = await ask_to_delete(poll_bot, connector)  # nothing open: the newest one too
    assert plain.cards[0]["actions"][0]["data"]["pollId"] == second
    assert first != second
    # "slet afstemning om KMD" is no delete command: it goes on to the knowledge base.
    other = await ask_to_delete(poll_bot, connector, "slet afstemning om KMD")
    assert not other.cards or "poll.delete.confirm" not in card_texts(other.body)


async def test_a_deleted_polls_auto_close_does_nothing(poll_bot, connector, clock):
    await create(poll_bot, connector, 'afstemning "KMD?" "Ja" "Nej" luk om 5 min')
    [confirm] = (await ask_to_delete(poll_bot, connector)).cards
    yes, _ = confirm["actions"]
    await press(poll_bot, connector, yes["verb"], yes["data"], sender=1)
    connector.clear()
    clock.advance(minutes=6)
    assert await poll_bot.runtime.scheduler.tick() >= 1
    await settle(poll_bot)
    assert connector.sent() == [] and connector.updates() == []
    assert poll_bot.runtime.scheduler.outcomes["gone"] == 0
    assert poll_bot.runtime.scheduler.outcomes["failed"] == 0


async def test_nothing_is_left_to_delete(poll_bot, connector):
    reply = await ask_to_delete(poll_bot, connector)
    assert "ingen afstemning i samtalen at slette" in reply.text


async def test_a_plain_submission_deletes_too_and_the_card_says_so(poll_bot, connector):
    poll_id, _, card_id = await create(poll_bot, connector, 'poll "KMD?" "Yes" "No"')
    reply = await ask_to_delete(poll_bot, connector, "delete poll latest")
    [confirm] = reply.cards
    yes, _ = confirm["actions"]
    connector.clear()
    status, _ = await poll_bot.post(
        a.card_submit(connector.url, {"verb": yes["verb"], **yes["data"]}, reply_to_id="confirm-1")
    )
    assert status == 200
    assert await poll_bot.runtime.polls.commands._polls.get(poll_id) is None
    updated = {u.activity_id: card_texts(u.body) for u in connector.updates()}
    assert "The poll was deleted" in updated[card_id] and "KMD" not in updated[card_id]
    assert "The poll was deleted, with all its answers." in updated["confirm-1"]
    [message] = connector.sent(MEETING)
    assert message.text == "The poll was deleted, with all its answers."
