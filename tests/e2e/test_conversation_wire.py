"""Over the wire: welcome, help, mentions, language, references (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.support import activities as a
from tests.support.cards import card_text


async def test_welcome_card_once_when_installed_in_a_group_chat(bot, connector):
    conversation = a.group_conversation("install")
    status, _ = await bot.post(a.installation_update(connector.url, conversation))
    assert status == 200
    status, _ = await bot.post(a.bot_added(connector.url, conversation))
    assert status == 200
    sent = connector.sent(conversation["id"])
    assert len(sent) == 1, "installation sends two activities; the bot greets once"
    assert "Mødebot" in card_text(sent[0].cards[0])
    assert "Jeg hjælper" in card_text(sent[0].cards[0])


async def test_welcome_in_personal_chat_and_team_in_their_language(bot, connector):
    personal = a.personal_conversation(7)
    await bot.post(a.bot_added(connector.url, personal, locale="en-US"))
    team = a.channel_conversation("welcome-team")
    await bot.post(a.bot_added(connector.url, team))
    personal_card = connector.sent(personal["id"])[0].cards[0]
    team_card = connector.sent(team["id"])[0].cards[0]
    assert "I help with" in card_text(personal_card)
    assert "@Mødebot" in card_text(team_card)


async def test_conversation_update_without_channel_data_is_tolerated(bot, connector):
    conversation = a.group_conversation("bare")
    status, _ = await bot.post(a.bot_added(connector.url, conversation, with_channel_data=False))
    assert status == 200
    assert len(connector.sent(conversation["id"])) == 1
    assert not [c for c in connector.calls if c.method == "GET"], "no member look-ups needed"


async def test_reinstall_after_removal_greets_again(bot, connector):
    conversation = a.group_conversation("again")
    await bot.post(a.bot_added(connector.url, conversation))
    await bot.post(a.bot_removed(connector.url, conversation))
    await bot.post(a.bot_added(connector.url, conversation))
    assert len(connector.sent(conversation["id"])) == 2
    record = await bot.runtime.conversations.get(conversation["id"])
    assert record.installed


async def test_help_card_in_danish_with_example_buttons(bot, connector):
    status, _ = await bot.post(a.personal_message(connector.url, "hjælp"))
    assert status == 200
    card = connector.sent()[0].cards[0]
    assert card["type"] == "AdaptiveCard"
    assert "Det kan jeg hjælpe med" in card_text(card)
    buttons = card["actions"]
    assert len(buttons) >= 3
    for button in buttons:
        assert button["data"]["msteams"]["type"] == "imBack"
        assert button["data"]["msteams"]["value"] == button["title"]


async def test_help_in_english_when_asked_in_english(bot, connector):
    await bot.post(a.personal_message(connector.url, "help"))
    assert "What I can help with" in card_text(connector.sent()[0].cards[0])


async def test_channel_mention_is_stripped_before_parsing(bot, connector):
    status, _ = await bot.post(a.channel_message(connector.url, "hjælp"))
    assert status == 200
    sent = connector.sent()
    assert len(sent) == 1
    assert "Det kan jeg hjælpe med" in card_text(sent[0].cards[0])
    # A reply in a channel thread goes to the thread the message came from.
    assert sent[0].conversation_id.endswith(";messageid=1700000000001")


async def test_group_chat_with_mention_and_html_entities(bot, connector):
    activity = a.group_message(connector.url, "hj&aelig;lp", mention=True)
    activity["text"] = f"<at>{a.BOT_NAME}</at>&nbsp;hjælp"
    await bot.post(activity)
    assert "Det kan jeg hjælpe med" in card_text(connector.sent()[0].cards[0])


async def test_out_of_scope_text_gets_i_dont_know_in_the_users_language(bot, connector):
    await bot.post(a.personal_message(connector.url, "Kan du bage en kage til mig?"))
    await bot.post(
        a.personal_message(connector.url, "Can you bake me a cake please?", conversation=2)
    )
    danish, english = connector.sent()
    assert danish.cards[0]["body"][0]["text"] == "Det ved jeg desværre ikke"
    assert english.cards[0]["body"][0]["text"] == "Sorry, I don't know"
    assert danish.body["replyToId"]


async def test_conversation_reference_is_stored_with_tenant(bot, connector):
    activity = a.channel_message(connector.url, "hjælp")
    await bot.post(activity)
    record = await bot.runtime.conversations.get("19:team-a@thread.tacv2")
    assert record is not None
    assert record.reference["conversation"]["id"] == "19:team-a@thread.tacv2"
    assert record.tenant_id == a.TENANT
    assert record.service_url == connector.url
    assert record.team_id == "19:team-a-team@thread.tacv2"
    assert record.reference["conversation"]["tenantId"] == a.TENANT
    assert record.reference["bot"]["id"] == a.BOT_ID
    assert "user" not in record.reference


async def test_reference_follows_a_moved_service_url(bot, connector):
    activity = a.personal_message(connector.url, "hjælp")
    await bot.post(activity)
    moved = a.personal_message(connector.url.replace("127.0.0.1", "localhost"), "hjælp")
    await bot.post(moved)
    record = await bot.runtime.conversations.get(activity["conversation"]["id"])
    assert record.service_url.startswith("http://localhost:")


async def test_meeting_events_are_accepted_quietly(bot, connector):
    for kind in ("Start", "End"):
        status, _ = await bot.post(a.meeting_event(connector.url, kind))
        assert status == 200
    assert connector.sent() == []


async def test_unknown_card_verb_is_answered_not_crashed(bot, connector):
    activity = a.card_submit(
        connector.url, {"verb": "poll.nothing", "pollId": "forged"}, reply_to_id="activity-99"
    )
    status, _ = await bot.post(activity)
    assert status == 200
    assert connector.sent()[0].text == "Den knap virker ikke længere. Prøv at spørge igen."


async def test_a_forged_poll_vote_is_answered_not_crashed(bot, connector):
    activity = a.card_submit(
        connector.url, {"verb": "poll.vote", "pollId": "forged"}, reply_to_id="activity-99"
    )
    status, _ = await bot.post(activity)
    assert status == 200
    assert connector.sent()[0].text == "Den afstemning findes ikke (længere)."


async def test_unknown_execute_verb_answers_an_error_body(bot, connector):
    status, body = await bot.post(a.card_invoke(connector.url, "nope.nothing", {}))
    assert status == 200
    assert body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"


async def test_health_and_readiness(bot):
    assert (await bot.get("/healthz"))[0] == 200
    status, text = await bot.get("/readyz")
    assert status == 200 and '"database": "ok"' in text


async def test_expect_replies_returns_the_activities_in_the_body(bot, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["deliveryMode"] = "expectReplies"
    status, body = await bot.post(activity)
    assert status == 200
    [reply] = body["activities"]
    assert reply["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert reply["replyToId"] == activity["id"]
    assert connector.calls == [], "buffered replies are not sent to the connector"


async def test_metrics_count_activities_and_rejections(bot, connector):
    await bot.post(a.personal_message(connector.url, "hjælp"))
    await bot.post(b"{", headers={})
    status, text = await bot.get("/metrics")
    assert status == 200
    assert 'moedebot_activities_total{type="message"} 1.0' in text
    assert 'moedebot_requests_rejected_total{status="400"} 1.0' in text
    assert 'moedebot_deliveries_sent_total{op="reply"} 1.0' in text


async def test_channel_threads_are_one_stored_conversation(bot, connector):
    for thread in (1, 2, 3):
        activity = a.channel_message(connector.url, "hjælp")
        activity["conversation"]["id"] = f"19:team-a@thread.tacv2;messageid=17000000000{thread}"
        await bot.post(activity)
    assert await bot.runtime.conversations.get("19:team-a@thread.tacv2") is not None
    assert await bot.runtime.conversations.get(activity["conversation"]["id"]) is None


async def test_every_help_example_button_gets_a_real_answer(bot, connector):
    for lang, command in (("da", "hjælp"), ("en", "help")):
        await bot.post(a.personal_message(connector.url, command))
        buttons = connector.sent()[-1].cards[0]["actions"]
        for button in buttons:
            # imBack: Teams sends the button's value as if the user had typed it.
            await bot.post(a.personal_message(connector.url, button["data"]["msteams"]["value"]))
            answer = connector.sent()[-1].cards[0]
            title = answer["body"][0]["text"]
            assert title not in ("Det ved jeg desværre ikke", "Sorry, I don't know"), (
                lang,
                button["title"],
            )
