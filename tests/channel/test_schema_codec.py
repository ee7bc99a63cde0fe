"""The fast codec agrees with msrest on real Teams-shaped payloads, and rejects ill-typed ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ResourceResponse

from bot.channel.schema_codec import from_json, to_json, to_json_bytes
from tests.support import activities as a

# Recorded Teams-shaped activities (copied from shared/docs/teams-payloads).
PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "teams-payloads"


def _samples() -> list[dict]:
    samples = [json.loads(p.read_text()) for p in sorted(PAYLOADS.glob("*.json"))]
    assert len(samples) >= 10, "the recorded payloads are missing"
    url = "https://smba.trafficmanager.net/emea/"
    samples += [
        a.channel_message(url, "hjælp"),
        a.card_submit(url, {"verb": "x", "n": 1}, reply_to_id="1"),
        a.card_invoke(url, "poll.vote", {"pollId": "p"}),
        a.meeting_event(url, "End"),
    ]
    return samples


@pytest.mark.parametrize("sample", _samples(), ids=lambda s: s.get("name") or s["type"])
def test_reading_matches_msrest(sample):
    ours = from_json(Activity, sample)
    theirs = Activity().deserialize(sample)
    assert ours.serialize() == theirs.serialize()
    assert to_json(ours) == theirs.serialize()
    assert json.loads(to_json_bytes(ours)) == theirs.serialize()


def test_writing_a_reply_with_a_card_matches_msrest():
    reply = MessageFactory.attachment(
        CardFactory.adaptive_card({"type": "AdaptiveCard", "body": [{"type": "TextBlock"}]})
    )
    reply.timestamp = datetime(2026, 11, 26, 13, 28, 32, 617000, tzinfo=UTC)
    reply.entities = []
    assert to_json(reply) == reply.serialize()
    assert json.loads(to_json_bytes(reply)) == reply.serialize()


def test_encoded_replies_are_utf_8_and_read_back_the_same():
    reply = MessageFactory.text("Svar på spørgsmål «» 😀")
    reply.timestamp = datetime(2026, 11, 26, 13, 28, 32, 617000, tzinfo=UTC)
    encoded = to_json_bytes(reply)
    assert "spørgsmål «» 😀".encode() in encoded  # as UTF-8, not as escapes
    assert json.loads(encoded) == reply.serialize()  # the timestamp as msrest writes it


def test_encoded_replies_keep_every_character_and_drop_empty_list_items():
    reply = MessageFactory.text("Svar på spørgsmål \ud800 «»")
    reply.attachments = [None, CardFactory.adaptive_card({"type": "AdaptiveCard", "body": []})]
    encoded = to_json_bytes(reply)
    assert encoded.isascii()  # escapes only: even a stray surrogate is valid JSON
    assert json.loads(encoded) == to_json(reply)
    assert json.loads(encoded)["text"] == reply.text


def test_teams_tenant_id_is_kept_as_an_extra_property():
    activity = from_json(Activity, a.personal_message("https://x/", "hej"))
    assert activity.conversation.additional_properties == {"tenantId": a.TENANT}


@pytest.mark.parametrize(
    "field, value",
    [
        ("entities", "not-a-list"),
        ("timestamp", "yesterday"),
        ("from", "someone"),
        ("conversation", [1]),
    ],
)
def test_ill_typed_fields_are_value_errors(field, value):
    sample = a.personal_message("https://x/", "hej")
    sample[field] = value
    with pytest.raises(ValueError):
        from_json(Activity, sample)


def test_resource_response():
    assert from_json(ResourceResponse, {"id": "1:2"}).id == "1:2"


def test_a_key_that_feeds_two_attributes_sets_both():
    from botbuilder.schema import TokenExchangeState

    state = from_json(TokenExchangeState, {"connectionName": "abc"})
    expected = TokenExchangeState.deserialize({"connectionName": "abc"})
    assert (state.connection_name, state.bot_url) == (expected.connection_name, expected.bot_url)
    assert state.connection_name == "abc"
