"""Questions about roles, dates and contacts, over the wire (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.knowledge import load
from storage.knowledge_feedback import SqlFeedbackRepository
from tests.support import activities as a
from tests.support.cards import actions_of, card_text
from tests.support.running_bot import make_settings, running_bot


def execute_actions(card: dict) -> list[dict]:
    return actions_of(card, "Action.Execute")


# The source meeting's week: its dates are still ahead.
MEETING_WEEK = datetime(2021, 3, 25, 10, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def clock():
    return FixedClock(MEETING_WEEK)


@pytest.fixture
async def kb_bot(database_url, tmp_path, clock):
    settings = make_settings(
        database_url, tmp_path, public_url="https://moedebot.example.dk", admin_ids="29:admin"
    )
    async with running_bot(settings, clock=clock) as client:
        yield client


async def _ask(bot, connector, text: str, **kwargs) -> dict:
    before = len(connector.sent())
    status, _ = await bot.post(a.personal_message(connector.url, text, **kwargs))
    assert status == 200
    sent = connector.sent()
    assert len(sent) == before + 1
    return sent[-1].cards[0]


async def test_when_question_gets_danish_date_time_and_a_calendar_file(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvornår er webinaret om KY?")
    text = card_text(card)
    assert "12. april 2021 kl. 13.00–15.00" in text
    [calendar] = [x for x in card["actions"] if x["title"].startswith("📅")]
    assert calendar["url"] == "https://moedebot.example.dk/kb/events/ky-webinar.ics"
    status, ics = await kb_bot.get("/kb/events/ky-webinar.ics")
    assert status == 200
    assert "BEGIN:VEVENT" in ics and "DTSTART" in ics


async def test_a_passed_date_says_so(kb_bot, connector, clock):
    clock.set(datetime(2021, 6, 1, 9, 0, tzinfo=COPENHAGEN))
    card = await _ask(kb_bot, connector, "hvornaar er ky webinaret")
    assert "passeret" in card_text(card)


async def test_unknown_calendar_file_is_404(kb_bot):
    assert (await kb_bot.get("/kb/events/no-such-event.ics"))[0] == 404


async def test_contact_question_gets_the_mailbox_or_person(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvem skal jeg skrive til om KP Basis?")
    assert card["body"][0]["text"] in ("KOMBIT Social Pension (postkasse)", "Jane Thompson")
    card = await _ask(kb_bot, connector, "hvilken postkasse skal vi skrive til om onboarding")
    assert "implementering@kombit.dk" in card_text(card)


async def test_role_question_gets_the_description(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvad laver en OIR koordinator?")
    assert card["body"][0]["text"] == "ØiR-koordinator"
    role = load("knowledge").by_id()["oeir-koordinator"]
    text = card_text(card)
    assert role.description in text  # the whole description, as the knowledge file says it
    assert role.column in text  # and where the role sits in the gallery


async def test_what_happens_in_april_is_a_list(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvad sker der i april?")
    text = card_text(card)
    assert "april" in card["body"][0]["text"].lower()
    assert "- " in text
    assert "Webinar om Kommunernes Ydelsessystem" in text


async def test_english_question_gets_an_english_answer(kb_bot, connector):
    card = await _ask(kb_bot, connector, "When is the KY webinar?")
    assert "12 April 2021" in card_text(card)
    [calendar] = [x for x in card["actions"] if x["title"].startswith("📅")]
    assert calendar["url"].endswith("/kb/events/ky-webinar.ics?lang=en")
    up, _ = execute_actions(card)
    _, body = await kb_bot.post(a.card_invoke(connector.url, up["verb"], up["data"]))
    assert "Thanks for your rating." in card_text(body["value"])
    assert "Tak for" not in card_text(body["value"])


async def test_out_of_scope_question_abstains_and_is_recorded(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvad bliver vejret i morgen?")
    assert card["body"][0]["text"] == "Det ved jeg desværre ikke"
    assert execute_actions(card) == [], "nothing to rate"
    feedback = SqlFeedbackRepository(kb_bot.runtime.engine)
    [unanswered] = await feedback.unanswered()
    assert unanswered.question == "Hvad bliver vejret i morgen?"


async def test_suggestions_are_buttons_that_answer_their_entry(kb_bot, connector):
    card = await _ask(kb_bot, connector, "KMD kontrakt")
    buttons = [x for x in card.get("actions", []) if x["data"].get("verb") == "kb.entry"]
    assert 1 <= len(buttons) <= 3
    pressed = buttons[0]["data"]
    # Teams' messageBack: the question appears as the user's message, the data comes along.
    activity = a.personal_message(connector.url, pressed["text"])
    activity["value"] = {k: v for k, v in pressed.items() if k != "msteams"}
    await kb_bot.post(activity)
    answer = connector.sent()[-1].cards[0]
    assert execute_actions(answer), "a real answer can be rated"
    entry = kb_bot.runtime.knowledge.entry(pressed["entryId"])
    assert entry is not None


async def test_rating_refreshes_the_card_and_is_recorded_once_per_person(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Hvad laver en ØiR-koordinator?")
    up, down = execute_actions(card)
    for vote in (up, down):  # changing one's mind keeps one rating
        status, body = await kb_bot.post(
            a.card_invoke(
                connector.url,
                vote["verb"],
                vote["data"],
                conversation=a.personal_conversation(),
                sender=1,
            )
        )
        assert status == 200
        assert body["statusCode"] == 200
        assert body["type"] == "application/vnd.microsoft.card.adaptive"
        assert "Tak for din vurdering." in card_text(body["value"])
        assert execute_actions(body["value"]) == []
    [rating] = await SqlFeedbackRepository(kb_bot.runtime.engine).ratings()
    assert (rating.entry_id, rating.helpful, rating.unhelpful) == ("oeir-koordinator", 0, 1)


async def test_forged_rating_is_refused(kb_bot, connector):
    status, body = await kb_bot.post(
        a.card_invoke(connector.url, "kb.rate", {"answerId": "made-up", "helpful": True})
    )
    assert status == 200
    assert body["statusCode"] == 400
    assert await SqlFeedbackRepository(kb_bot.runtime.engine).ratings() == []


async def test_role_holders_register_ask_vacancies_and_leave(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Jeg er ØiR-koordinator i Odense")
    assert "registreret som ØiR-koordinator i Odense" in card_text(card)
    card = await _ask(kb_bot, connector, "Hvem er ØiR-koordinator i Odense?", sender=2)
    assert "Bruger" in card_text(card)
    card = await _ask(kb_bot, connector, "Hvilke roller er ubesatte i Odense?")
    assert "Ubesatte roller i Odense" in card["body"][0]["text"]
    assert "ØiR-koordinator" not in card_text(card["body"][1:])
    card = await _ask(kb_bot, connector, "Jeg er ikke længere ØiR-koordinator i Odense")
    assert "ikke længere registreret" in card_text(card)
    card = await _ask(kb_bot, connector, "hvem er oir koordinator i odense")
    assert "Ingen har registreret sig" in card_text(card)


async def test_unknown_municipality_is_said_plainly(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Jeg er ØiR-koordinator i Gotham")
    assert "ikke en af de 98 kommuner" in card_text(card)


async def test_reload_from_chat_is_for_admins_only(kb_bot, connector):
    await kb_bot.post(a.personal_message(connector.url, "genindlæs viden"))
    assert connector.sent()[-1].text == "Kun administratorer kan genindlæse vidensbasen."
    admin = a.personal_message(connector.url, "genindlæs viden")
    admin["from"]["id"] = "29:admin"
    await kb_bot.post(admin)
    assert connector.sent()[-1].text.startswith("Vidensbasen er genindlæst: ")


async def test_reload_over_http_needs_the_admin_token(kb_bot):
    url = kb_bot.url + "/admin/knowledge/reload"
    async with kb_bot.session.post(url) as response:
        assert response.status == 401
    for wrong in ("Bearer nope", "Bearer ét-forkert", "Basic abc"):
        async with kb_bot.session.post(url, headers={"Authorization": wrong}) as response:
            assert response.status == 401
    token = kb_bot.runtime.settings.admin_token()
    async with kb_bot.session.post(url, headers={"Authorization": f"Bearer {token}"}) as response:
        assert response.status == 200
        assert (await response.json())["reloaded"] is True


async def test_broken_knowledge_files_keep_the_old_knowledge(database_url, tmp_path, connector):
    import shutil

    folder = tmp_path / "knowledge"
    shutil.copytree("knowledge", folder)
    settings = make_settings(database_url, tmp_path, knowledge_dir=folder, admin_ids="29:user-1")
    async with running_bot(settings, clock=FixedClock(MEETING_WEEK)) as bot:
        (folder / "events.yaml").write_text("events:\n  - id: x\n    date: 2021-02-30\n")
        await bot.post(a.personal_message(connector.url, "genindlæs viden"))
        reply = connector.sent()[-1].text
        assert reply.startswith("Vidensbasen blev ikke genindlæst")
        assert "events.yaml" in reply
        card = await _ask(bot, connector, "Hvornår er webinaret om KY?")
        assert "12. april 2021" in card_text(card)


async def test_role_holders_are_per_tenant_and_only_admins_clear_them(kb_bot, connector):
    await _ask(kb_bot, connector, "Jeg er ØiR-koordinator i Odense")
    other = a.personal_message(connector.url, "Hvem er ØiR-koordinator i Odense?", sender=3)
    other["conversation"]["tenantId"] = "tenant-2"
    other["channelData"] = {"tenant": {"id": "tenant-2"}}
    await kb_bot.post(other)
    assert "Ingen har registreret sig" in card_text(connector.sent()[-1].cards[0])
    card = await _ask(kb_bot, connector, "fjern ØiR-koordinator i Odense", sender=2)
    assert "Kun administratorer" in card_text(card)
    admin = a.personal_message(connector.url, "fjern ØiR-koordinator i Odense")
    admin["from"]["id"] = "29:admin"
    await kb_bot.post(admin)
    assert "1 registrering(er)" in card_text(connector.sent()[-1].cards[0])
    card = await _ask(kb_bot, connector, "Hvem er ØiR-koordinator i Odense?")
    assert "Ingen har registreret sig" in card_text(card)


# --- answers in people's own words (issue 10) ------------------------------------------------

# Today: the knowledge is from 2021, the questions are asked now.
TODAY = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)


async def test_a_partial_answer_says_what_is_known_and_which_detail_is_not(
    kb_bot, connector, clock
):
    clock.set(TODAY)
    card = await _ask(kb_bot, connector, "Hvad koster KL's masterclass om it-anskaffelse?")
    text = card_text(card)
    assert card["body"][1]["text"] == (
        "Jeg kender datoen for „KL masterclass om anskaffelse af it“, men ikke prisen."
    )
    assert "13.–14. oktober 2021" in text and "KL-Huset" in text  # what is known
    assert execute_actions(card), "a partial answer is an answer: it can be rated"
    card = await _ask(kb_bot, connector, "har du telefonnummeret til Jane Thompson?")
    assert "men ikke et telefonnummer" in card_text(card)
    assert await SqlFeedbackRepository(kb_bot.runtime.engine).unanswered() == []


async def test_an_empty_month_names_its_year_and_the_nearest_events(kb_bot, connector, clock):
    clock.set(TODAY)
    card = await _ask(kb_bot, connector, "Hvad sker der i april?")
    text = card_text(card)
    assert card["body"][0]["text"] == "Det sker i april 2027"
    assert "Jeg kender ingen begivenheder i april 2027." in text
    assert "Før: februar 2022 – KP Basis trin 1 (passeret)" in text
    card = await _ask(kb_bot, connector, "What is happening in April?")
    assert "I know of no events in April 2027." in card_text(card)


async def test_small_talk_gets_a_short_reply_and_is_not_recorded(kb_bot, connector):
    for text, start in (
        ("hej", "Hej! Jeg er Mødebot."),
        ("Tak for hjælpen, Mødebot!", "Så lidt!"),
        ("thanks!", "You're welcome!"),
        ("Good morning", "Hi! I'm Mødebot."),
        ("hvem er du?", "Jeg er Mødebot"),
    ):
        before = len(connector.sent())
        status, _ = await kb_bot.post(a.personal_message(connector.url, text))
        assert status == 200
        [reply] = connector.sent()[before:]
        assert reply.text is not None and reply.text.startswith(start), reply.text
    feedback = SqlFeedbackRepository(kb_bot.runtime.engine)
    assert await feedback.unanswered() == []
    # A greeting with a question is a question.
    card = await _ask(kb_bot, connector, "hej, hvad laver en ØiR-koordinator?")
    assert card["body"][0]["text"] == "ØiR-koordinator"


async def test_an_english_question_with_a_danish_name_is_answered_in_english(kb_bot, connector):
    card = await _ask(kb_bot, connector, "Who should I email with questions about ØiR?")
    text = card_text(card)
    assert "oeir@kombit.dk" in text
    assert "Email" in text and "Was this helpful?" in text
    assert "Var svaret nyttigt?" not in text
    card = await _ask(kb_bot, connector, "What's the weather like on Ærø tomorrow?")
    assert card["body"][0]["text"] == "Sorry, I don't know"
    card = await _ask(kb_bot, connector, "Hvornår er netværksmødet for ØiR-koordinatorer?")
    assert "Var svaret nyttigt?" in card_text(card)
