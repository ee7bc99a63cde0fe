"""PollLinks: signed, expiring, purpose-bound tokens without a database row."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from bot.capabilities.polls.links import MAX_TOKEN_CHARS, LinkRefusal, PollLinks
from bot.domain.clock import FixedClock

T0 = datetime(2021, 3, 25, 9, 0, 30, 500_000, tzinfo=UTC)
POLL = "AbCdEfGhIjKlMnOpQrStUv"  # as RandomIds makes them: 22 URL-safe characters


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def links(clock) -> PollLinks:
    return PollLinks(b"secret", "https://bot.example.dk/", clock)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].split(".")[0]


def test_a_results_link_round_trips_and_expires_after_twelve_hours(links, clock):
    url, expires_at = links.results_url(POLL)
    assert url.startswith("https://bot.example.dk/polls/r/")
    assert expires_at == datetime(2021, 3, 25, 21, 0, 30, tzinfo=UTC)  # whole seconds
    token = token_of(url)
    assert len(token) <= MAX_TOKEN_CHARS
    assert links.read(token, "results") == POLL
    clock.set(expires_at - timedelta(seconds=1))
    assert links.read(token, "results") == POLL
    clock.set(expires_at)
    assert links.read(token, "results") == LinkRefusal("expired")


def test_export_links_share_one_token_and_last_an_hour(links, clock):
    csv_url, xlsx_url, expires_at = links.export_urls(POLL)
    assert csv_url.endswith(".csv") and xlsx_url.endswith(".xlsx")
    assert token_of(csv_url) == token_of(xlsx_url)
    assert expires_at == datetime(2021, 3, 25, 10, 0, 30, tzinfo=UTC)
    assert links.read(token_of(csv_url), "export") == POLL
    clock.advance(hours=1)
    assert links.read(token_of(csv_url), "export") == LinkRefusal("expired")


def test_a_results_token_does_not_open_an_export_nor_the_other_way(links):
    results = token_of(links.results_url(POLL)[0])
    export = token_of(links.export_urls(POLL)[0])
    assert links.read(results, "export") == LinkRefusal("invalid")
    assert links.read(export, "results") == LinkRefusal("invalid")


def test_tokens_are_unguessable_per_secret(clock):
    ours = PollLinks(b"secret", "https://bot", clock)
    theirs = PollLinks(b"another secret", "https://bot", clock)
    token, _ = theirs.token(POLL, "results", timedelta(hours=1))
    assert ours.read(token, "results") == LinkRefusal("invalid")


def test_every_changed_byte_is_refused(links):
    token, _ = links.token(POLL, "results", timedelta(hours=1))
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for index in range(len(raw)):
        forged = bytearray(raw)
        forged[index] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(forged)).rstrip(b"=").decode()
        assert links.read(text, "results") == LinkRefusal("invalid"), index


def test_a_longer_expiry_or_another_poll_cannot_be_written_in(links):
    token, _ = links.token(POLL, "results", timedelta(hours=1))
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    later = raw[:2] + (2**40).to_bytes(8, "big") + raw[10:]
    other = raw[:10] + b"x" * 22 + raw[-32:]
    for forged in (later, other):
        text = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
        assert links.read(text, "results") == LinkRefusal("invalid")


@pytest.mark.parametrize(
    "token",
    ["", "a", "!!!!", "a" * 500, "A" * 43 + "=", "æøå", "../../etc/passwd", "%00", "A B"],
)
def test_garbage_is_invalid_not_an_error(links, token):
    assert links.read(token, "results") == LinkRefusal("invalid")


def test_a_token_has_one_spelling(links):
    token, _ = links.token(POLL, "results", timedelta(hours=1))
    assert links.read(token + "=", "results") == LinkRefusal("invalid")
    assert links.read(token[:-1] + chr(ord(token[-1]) + 1), "results") == LinkRefusal("invalid")


def test_long_poll_ids_still_fit_and_longer_ones_are_refused(links):
    token, _ = links.token("p" * 64, "export", timedelta(hours=1))
    assert len(token) <= MAX_TOKEN_CHARS
    assert links.read(token, "export") == "p" * 64
    with pytest.raises(ValueError):
        links.token("p" * 65, "export", timedelta(hours=1))
