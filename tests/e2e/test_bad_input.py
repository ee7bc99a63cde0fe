"""Bad input over the wire gets a clear status, never a 500 or a traceback."""

from __future__ import annotations

import json

import pytest

from tests.support import activities as a
from tests.support.cards import card_text


async def _raw(bot, data: bytes, content_type: str = "application/json"):
    async with bot.session.post(
        bot.url + "/api/messages", data=data, headers={"Content-Type": content_type}
    ) as response:
        return response.status, await response.text()


async def test_malformed_json_is_400(bot, connector):
    status, text = await _raw(bot, b'{"type": "message", ')
    assert status == 400
    assert "malformed JSON" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"null", b"42"])
async def test_json_that_is_not_an_object_is_400(bot, body):
    status, _ = await _raw(bot, body)
    assert status == 400


async def test_wrong_content_type_is_415(bot, connector):
    activity = json.dumps(a.personal_message(connector.url, "hjælp")).encode()
    status, _ = await _raw(bot, activity, "text/plain")
    assert status == 415
    assert connector.calls == []


async def test_oversized_body_is_413(bot, connector):
    activity = a.personal_message(connector.url, "x" * (bot.runtime.settings.max_body_bytes + 10))
    status, _ = await bot.post(activity)
    assert status == 413
    assert connector.calls == []


async def test_oversized_chunked_body_is_413(bot, connector):
    limit = bot.runtime.settings.max_body_bytes

    async def chunks():
        yield b'{"type": "message", "text": "'
        for _ in range(limit // 1024 + 2):
            yield b"y" * 1024
        yield b'"}'

    async with bot.session.post(
        bot.url + "/api/messages", data=chunks(), headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 413


@pytest.mark.parametrize("missing", ["type", "conversation", "serviceUrl"])
async def test_activity_without_required_field_is_400(bot, connector, missing):
    activity = a.personal_message(connector.url, "hjælp")
    activity.pop(missing)
    status, body = await bot.post(activity)
    assert status == 400
    assert "error" in body
    assert connector.calls == []


@pytest.mark.parametrize("service_url", ["", "ftp://example/", "not a url", 42])
async def test_activity_with_unusable_service_url_is_400(bot, connector, service_url):
    activity = a.personal_message(connector.url, "hjælp")
    activity["serviceUrl"] = service_url
    status, _ = await bot.post(activity)
    assert status == 400


async def test_ill_typed_fields_are_400_not_500(bot, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["entities"] = "not-a-list"
    activity["timestamp"] = "yesterday-ish"
    status, body = await bot.post(activity)
    assert status == 400
    assert "not a valid Bot Framework activity" in body["error"]


async def test_unknown_activity_type_is_200_and_ignored(bot, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["type"] = "somethingNew"
    status, _ = await bot.post(activity)
    assert status == 200
    assert connector.calls == []
    # Unknown types are not even remembered as conversations.
    assert await bot.runtime.conversations.get(activity["conversation"]["id"]) is None


async def test_get_on_messages_is_405(bot):
    status, _ = await bot.get("/api/messages")
    assert status == 405


async def test_delivery_failure_still_answers_the_request(bot, connector):
    connector.fail_next(500, times=10)
    status, _ = await bot.post(a.personal_message(connector.url, "hjælp"))
    assert status == 200  # the turn ran; only its delivery failed, at the connector
    attempt = connector.sent()[0]  # the reply was tried and failed at the connector
    assert "Det kan jeg hjælpe med" in card_text(attempt.cards[0])


async def test_deeply_nested_json_is_400(bot, connector):
    status, _ = await _raw(bot, b"[" * 100_000 + b"]" * 100_000)
    assert status == 400


async def test_numbers_out_of_range_are_400(bot, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["textHighlights"] = [{"text": "x", "occurrence": 1e400}]
    status, _ = await bot.post(activity)
    assert status == 400
    assert connector.calls == []


async def test_a_mention_entity_of_the_wrong_shape_is_tolerated(bot, connector):
    activity = a.channel_message(connector.url, "hjælp")
    activity["entities"][0]["mentioned"] = "not-an-object"
    status, _ = await bot.post(activity)
    assert status == 200
    assert connector.sent(), "the user gets an answer"
