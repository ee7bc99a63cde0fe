"""OpenIdKeyCache: bounded re-fetching, failure backoff, rotation, and never blocking the loop.

How late the loop runs while a fetch waits is measured by `python -m bench auth_latency`.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from botbuilder.schema import Activity, ConversationAccount

from bot.channel.auth import AuthenticationFailed, EdgeConfig, OpenIdKeyCache
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from tests.channel.auth import openid_server as helpers


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def activity(oid) -> Activity:
    return Activity(
        type="message",
        channel_id="msteams",
        service_url=oid.SERVICE_URL,
        conversation=ConversationAccount(id="19:abc@thread.tacv2"),
    )


def edge_with(session, oid, cache) -> MoedebotFrameworkAuthentication:
    config = EdgeConfig(app_id=oid.APP_ID, app_password="pw", openid_metadata_url="unused")
    return MoedebotFrameworkAuthentication(config, session, key_cache=cache)


async def test_unknown_kid_flood_costs_at_most_one_fetch(session, openid_server, oid, rsa_keys):
    clock = ManualClock()
    cache = OpenIdKeyCache(
        session, openid_server.metadata_url, clock=clock, min_refresh_interval=300.0
    )
    edge = edge_with(session, oid, cache)
    await edge.start()
    try:
        assert await cache.refresh()
        assert openid_server.metadata_hits == 1
        forged = [oid.sign(rsa_keys["attacker"], kid=f"kid-{i}") for i in range(50)]

        async def attempt(token: str) -> None:
            with pytest.raises(AuthenticationFailed):
                await edge.authenticate_request(activity(oid), f"Bearer {token}")

        # Just refreshed: unknown kids fail fast without fetching.
        await asyncio.gather(*(attempt(t) for t in forged))
        assert openid_server.metadata_hits == 1

        # Past the minimum interval: 50 concurrent unknown kids share one fetch...
        clock.now += 301
        await asyncio.gather(*(attempt(t) for t in forged))
        assert openid_server.metadata_hits == 2
        assert openid_server.jwks_hits == 2
        # ...and the next 50 (sequential) cost nothing more.
        for token in forged:
            await attempt(token)
        assert openid_server.metadata_hits == 2
        # Valid tokens keep working throughout.
        good = oid.sign(rsa_keys["main"])
        assert (await edge.authenticate_request(activity(oid), f"Bearer {good}")).claims_identity
    finally:
        await edge.close()


async def test_rotated_key_is_picked_up_and_removed_key_stops_working(
    session, openid_server, oid, rsa_keys
):
    clock = ManualClock()
    cache = OpenIdKeyCache(session, openid_server.metadata_url, clock=clock)
    await cache.refresh()
    assert cache.kids == {"key-1", "key-2"}
    openid_server.jwks = [oid.public_jwk(rsa_keys["attacker"], "key-3", ["msteams"])]
    clock.now += 301
    key = await cache.get("key-3")
    assert key.endorsements == {"msteams"}
    with pytest.raises(AuthenticationFailed):
        await cache.get("key-1")
    await cache.close()


async def test_unreachable_metadata_fails_and_is_not_hammered(session, oid, rsa_keys):
    clock = ManualClock()
    # A port nobody listens on: bind, note the port, close.
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    cache = OpenIdKeyCache(
        session, f"http://127.0.0.1:{port}/metadata", clock=clock, failure_backoff=30.0
    )
    edge = edge_with(session, oid, cache)
    token = oid.sign(rsa_keys["main"])
    for _ in range(20):
        with pytest.raises(AuthenticationFailed, match="unavailable"):
            await edge.authenticate_request(activity(oid), f"Bearer {token}")
    assert cache.fetches == 1
    clock.now += 31
    with pytest.raises(AuthenticationFailed):
        await edge.authenticate_request(activity(oid), f"Bearer {token}")
    assert cache.fetches == 2
    await edge.close()


async def test_metadata_error_status_is_backed_off(session, openid_server, oid):
    openid_server.fail_status = 500
    clock = ManualClock()
    cache = OpenIdKeyCache(session, openid_server.metadata_url, clock=clock)
    for _ in range(10):
        with pytest.raises(AuthenticationFailed):
            await cache.get("key-1")
    assert openid_server.metadata_hits == 1
    openid_server.fail_status = None
    clock.now += 31
    assert (await cache.get("key-1")).kid == "key-1"
    assert openid_server.metadata_hits == 2


async def test_metadata_timeout_gives_authentication_failed(session, openid_server, oid):
    openid_server.delay = 3.0
    cache = OpenIdKeyCache(session, openid_server.metadata_url, fetch_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(AuthenticationFailed, match="unavailable"):
        await cache.get("key-1")
    assert time.monotonic() - started < 2.0
    await cache.close()


class HeldOpenIdServer(helpers.OpenIdServer):
    """Holds every /metadata answer until the test releases it, and says when one is asked."""

    def __init__(self, jwks: list[dict]) -> None:
        super().__init__(jwks=jwks)
        self.asked = asyncio.Event()
        self.release = asyncio.Event()

    async def _metadata(self, request):
        self.asked.set()
        await self.release.wait()
        return await super()._metadata(request)


@pytest.fixture
async def held_server(rsa_keys):
    server = HeldOpenIdServer([helpers.public_jwk(rsa_keys["main"], "key-1", ["msteams"])])
    await server.start()
    yield server
    server.release.set()
    await server.close()


async def _ticks(n: int) -> None:
    for _ in range(n):
        await asyncio.sleep(0.001)


# Generous: these bound waits for things that take milliseconds, so only a hang fails them.
PATIENCE = 10.0


async def test_slow_metadata_does_not_block_the_event_loop(session, held_server, oid, rsa_keys):
    # The key server runs on this loop: a fetch that blocked the loop could never be answered,
    # and the server would not even see the request.
    cache = OpenIdKeyCache(session, held_server.metadata_url, fetch_timeout=PATIENCE)
    edge = edge_with(session, oid, cache)
    token = oid.sign(rsa_keys["main"])
    auth = asyncio.create_task(edge.authenticate_request(activity(oid), f"Bearer {token}"))
    try:
        await asyncio.wait_for(held_server.asked.wait(), PATIENCE)
        # While the keys are held back, other coroutines run, and the request keeps waiting.
        await asyncio.wait_for(_ticks(50), PATIENCE)
        assert not auth.done()
        held_server.release.set()
        result = await asyncio.wait_for(auth, PATIENCE)
        assert result.claims_identity.is_authenticated
    finally:
        auth.cancel()
        await edge.close()


async def test_a_request_with_a_known_key_never_waits_for_a_refresh(
    session, held_server, oid, rsa_keys
):
    held_server.release.set()
    cache = OpenIdKeyCache(session, held_server.metadata_url, fetch_timeout=PATIENCE)
    await cache.refresh()
    held_server.asked.clear()
    held_server.release.clear()
    refreshing = asyncio.create_task(cache.refresh())  # as the background refresh does
    try:
        await asyncio.wait_for(held_server.asked.wait(), PATIENCE)
        key = await asyncio.wait_for(cache.get("key-1"), PATIENCE)
        assert key.kid == "key-1"
        assert not refreshing.done()  # the key came from the cache, not from the fetch
        held_server.release.set()
        assert await asyncio.wait_for(refreshing, PATIENCE)
    finally:
        refreshing.cancel()
        await cache.close()


async def test_background_refresh_runs_without_requests(session, openid_server):
    cache = OpenIdKeyCache(session, openid_server.metadata_url, refresh_interval=0.1)
    await cache.start()
    try:
        for _ in range(100):
            if openid_server.metadata_hits >= 3:
                break
            await asyncio.sleep(0.05)
        assert openid_server.metadata_hits >= 3
        assert cache.kids == {"key-1", "key-2"}
    finally:
        await cache.close()


async def test_start_fetches_once_and_first_request_joins_it(session, openid_server):
    cache = OpenIdKeyCache(session, openid_server.metadata_url)
    await cache.start()
    try:
        keys = await asyncio.gather(*(cache.get("key-1") for _ in range(10)))
        assert {k.kid for k in keys} == {"key-1"}
        assert openid_server.metadata_hits == 1
    finally:
        await cache.close()
