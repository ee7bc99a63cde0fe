"""With app credentials, only requests bearing a valid channel token reach the bot (over HTTP)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.channel.auth.openid_server import APP_ID, OpenIdServer, new_rsa_key, public_jwk, sign
from tests.support import activities as a
from tests.support.running_bot import make_settings, running_bot


@pytest.fixture(scope="module")
def keys():
    return {"channel": new_rsa_key(), "attacker": new_rsa_key()}


@pytest.fixture
async def openid(keys):
    server = OpenIdServer(jwks=[public_jwk(keys["channel"], "key-1", ["msteams"])])
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def secured_settings(database_url, tmp_path, openid, connector):
    return make_settings(
        database_url,
        tmp_path,
        app_id=APP_ID,
        app_password="not-a-real-secret",
        public_url="https://moedebot.example.dk",
        openid_metadata_url=openid.metadata_url,
        login_url_base=connector.url.rstrip("/"),
    )


@pytest.fixture
async def secured_bot(secured_settings):
    async with running_bot(secured_settings) as client:
        yield client


def _token(key, connector, *, kid: str = "key-1", **claims) -> str:
    claims.setdefault("serviceurl", connector.url)
    return sign(key, kid, **claims)


async def test_valid_token_is_served_and_the_reply_carries_an_aad_token(
    secured_bot, connector, keys
):
    token = _token(keys["channel"], connector)
    status, _ = await secured_bot.post(
        a.personal_message(connector.url, "hjælp"), headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 200
    [reply] = connector.sent()
    assert reply.headers["Authorization"] == "Bearer fake-aad-token"
    assert connector.token_requests[0]["client_id"] == APP_ID
    assert connector.token_requests[0]["tenant"] == "botframework.com"


def _bad_headers(keys, connector) -> dict[str, dict[str, str]]:
    now = int(time.time())
    key = keys["channel"]
    return {
        "no header": {},
        "garbage": {"Authorization": "Bearer garbage"},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "expired": {
            "Authorization": "Bearer " + _token(key, connector, exp=now - 3600, nbf=now - 7200)
        },
        "not yet valid": {"Authorization": "Bearer " + _token(key, connector, nbf=now + 3600)},
        "wrong signature": {"Authorization": "Bearer " + _token(keys["attacker"], connector)},
        "unknown kid": {"Authorization": "Bearer " + _token(key, connector, kid="k9")},
        "wrong audience": {"Authorization": "Bearer " + _token(key, connector, aud="someone-else")},
        "wrong issuer": {
            "Authorization": "Bearer " + _token(key, connector, iss="https://evil.example")
        },
        "serviceurl mismatch": {
            "Authorization": "Bearer " + _token(key, connector, serviceurl="https://other.example/")
        },
    }


@pytest.mark.parametrize(
    "case",
    [
        "no header",
        "garbage",
        "basic",
        "expired",
        "not yet valid",
        "wrong signature",
        "unknown kid",
        "wrong audience",
        "wrong issuer",
        "serviceurl mismatch",
    ],
)
async def test_every_bad_token_is_401_and_nothing_runs(secured_bot, connector, keys, case):
    headers = _bad_headers(keys, connector)[case]
    activity = a.personal_message(connector.url, "hjælp")
    status, body = await secured_bot.post(activity, headers=headers)
    assert status == 401
    assert body == {"error": "unauthorized"}
    assert connector.calls == []
    assert await secured_bot.runtime.conversations.get(activity["conversation"]["id"]) is None


async def test_missing_endorsement_is_401(secured_bot, connector, keys):
    activity = a.personal_message(connector.url, "hjælp")
    activity["channelId"] = "slack"  # the key is endorsed for msteams only
    token = _token(keys["channel"], connector)
    status, _ = await secured_bot.post(activity, headers={"Authorization": f"Bearer {token}"})
    assert status == 401
    assert connector.calls == []


class HeldOpenIdServer(OpenIdServer):
    """Holds every /metadata answer until the test releases it, and says when one is asked."""

    def __init__(self, jwks: list[dict]) -> None:
        super().__init__(jwks=jwks)
        self.asked = asyncio.Event()
        self.release = asyncio.Event()

    async def _metadata(self, request):
        self.asked.set()
        await self.release.wait()
        return await super()._metadata(request)


# Generous: it bounds waits for things that take milliseconds, so only a stalled loop fails.
PATIENCE = 10.0


async def test_a_slow_metadata_server_does_not_stall_health_checks(
    database_url, tmp_path, connector, keys
):
    # The bot, the key server and this test share one loop: a turn that blocked it while
    # waiting for the keys would hold every /healthz (and the key server's own answer).
    # The latency figures are in `python -m bench auth_latency`.
    slow = HeldOpenIdServer([public_jwk(keys["channel"], "key-1", ["msteams"])])
    await slow.start()
    settings = make_settings(
        database_url,
        tmp_path,
        app_id=APP_ID,
        app_password="x",
        public_url="https://moedebot.example.dk",
        openid_metadata_url=slow.metadata_url,
        login_url_base=connector.url.rstrip("/"),
    )
    try:
        async with running_bot(settings) as bot:
            token = _token(keys["channel"], connector)
            waiting = asyncio.create_task(
                bot.post(
                    a.personal_message(connector.url, "hjælp"),
                    headers={"Authorization": f"Bearer {token}"},
                )
            )
            await asyncio.wait_for(slow.asked.wait(), PATIENCE)  # the keys are on their way

            async def health_checks() -> list[int]:
                return [(await bot.get("/healthz"))[0] for _ in range(20)]

            assert await asyncio.wait_for(health_checks(), PATIENCE) == [200] * 20
            assert not waiting.done() and connector.sent() == []  # the turn is still waiting
            slow.release.set()
            status, _ = await asyncio.wait_for(waiting, PATIENCE)
            assert status == 200  # the keys arrived and the turn ran
            [reply] = connector.sent()
            assert reply.body["type"] == "message" and reply.body["attachments"]  # the help card
    finally:
        slow.release.set()
        await slow.close()


async def test_credentials_without_password_refuse_to_start(database_url, tmp_path):
    from app import create_app

    with pytest.raises(ValueError):
        create_app(make_settings(database_url, tmp_path, app_id=APP_ID, app_password=""))
