"""Hostile input over the wire gets its status, and /healthz answers meanwhile (within 0.5 s).

The app is served exactly as `python app.py` serves it (bot.server), with short limits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import pytest

from app import create_app
from bot.channel import messages_endpoint
from bot.server import LINGERING_SECONDS, ServerLimits, Serving, serving
from tests.channel.auth.openid_server import APP_ID, OpenIdServer, new_rsa_key, public_jwk, sign
from tests.support import activities as a
from tests.support.running_bot import BotClient, make_settings

T = TypeVar("T")
SHORT = ServerLimits(header_timeout=0.5, body_timeout=0.5, idle_timeout=2.0, max_connections=200)
HEALTH_BUDGET = 0.5  # seconds; a blocked event loop holds /healthz for seconds
JSON = {"Content-Type": "application/json"}


@dataclass
class Served:
    client: BotClient
    server: Serving

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return self.server.port


@asynccontextmanager
async def served(settings, limits: ServerLimits = SHORT) -> AsyncIterator[Served]:
    app = create_app(settings)
    async with (
        serving(app, host="127.0.0.1", port=0, limits=limits) as server,
        aiohttp.ClientSession() as session,
    ):
        yield Served(BotClient(server.url, app, session), server)


@pytest.fixture
async def local(settings):
    async with served(settings) as bot:
        yield bot


@pytest.fixture(scope="module")
def keys():
    return {"channel": new_rsa_key(), "attacker": new_rsa_key()}


@pytest.fixture
async def secured(database_url, tmp_path, connector, keys):
    openid = OpenIdServer(jwks=[public_jwk(keys["channel"], "key-1", ["msteams"])])
    await openid.start()
    settings = make_settings(
        database_url,
        tmp_path,
        app_id=APP_ID,
        app_password="not-a-real-secret",
        public_url="https://moedebot.example.dk",
        openid_metadata_url=openid.metadata_url,
        login_url_base=connector.url.rstrip("/"),
    )
    try:
        async with served(settings) as bot:
            yield bot
    finally:
        await openid.close()


async def while_healthy(bot: Served, hostile: Awaitable[T], *, limit: float = 15.0) -> T:
    """Run `hostile`; meanwhile GET /healthz on fresh connections until it is done: every
    probe answers 200 within HEALTH_BUDGET, and at least one starts while it is in flight."""
    loop = asyncio.get_running_loop()

    async def bounded() -> T:
        async with asyncio.timeout(limit):
            return await hostile

    task = asyncio.ensure_future(bounded())
    took: list[float] = []
    in_flight = 0
    try:
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=True),
            timeout=aiohttp.ClientTimeout(total=5),
        ) as session:
            while not task.done() or len(took) < 3:
                in_flight += not task.done()
                started = loop.time()
                async with session.get(bot.url + "/healthz") as response:
                    assert response.status == 200
                took.append(loop.time() - started)
                await asyncio.sleep(0.02)
    finally:
        if not task.done():
            task.cancel()
    assert in_flight >= 1
    assert max(took) < HEALTH_BUDGET, f"/healthz took {max(took):.3f} s"
    return await task


async def _posts(bot: Served, body: bytes, count: int, headers: dict[str, str] | None = None):
    async def one() -> tuple[int, Any]:
        async with bot.client.session.post(
            bot.url + "/api/messages", data=body, headers={**JSON, **(headers or {})}
        ) as response:
            raw = await response.read()
            return response.status, json.loads(raw) if raw else None

    return await asyncio.gather(*(one() for _ in range(count)))


async def _status_line(reader: asyncio.StreamReader) -> int:
    line = await reader.readline()
    assert line.startswith(b"HTTP/1.1 "), line
    return int(line.split()[1])


async def _closed(reader: asyncio.StreamReader, within: float) -> bool:
    """True when the server closes the connection within `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        pass
    return True


def _errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- 1. pre-authentication cost -------------------------------------------------------------


def _spy_on_parsing(monkeypatch) -> list[int]:
    parsed: list[int] = []
    real = messages_endpoint.parse_json_body

    def spy(raw: bytes):
        parsed.append(len(raw))
        return real(raw)

    monkeypatch.setattr(messages_endpoint, "parse_json_body", spy)
    return parsed


async def test_a_flood_of_large_bodies_with_bad_tokens_is_refused_unparsed(
    secured, connector, keys, monkeypatch
):
    parsed = _spy_on_parsing(monkeypatch)
    big = json.dumps(a.personal_message(connector.url, "x" * 480_000)).encode()
    forged = sign(keys["attacker"], "key-1", serviceurl=connector.url)  # wrong signature

    async def flood():
        garbage = _posts(secured, big, 40, {"Authorization": "Bearer garbage"})
        signed = _posts(secured, big, 10, {"Authorization": f"Bearer {forged}"})
        return [*await garbage, *await signed]

    answers = await while_healthy(secured, flood())
    assert [status for status, _ in answers] == [401] * 50
    assert parsed == [], "no body was parsed before the token was checked"
    assert connector.calls == []

    # The spy does see a body once a token is good: the check above can fail.
    token = sign(keys["channel"], "key-1", serviceurl=connector.url)
    [(status, _)] = await _posts(
        secured,
        json.dumps(a.personal_message(connector.url, "hjælp")).encode(),
        1,
        {"Authorization": f"Bearer {token}"},
    )
    assert status == 200
    assert len(parsed) == 1


@pytest.mark.parametrize("mismatch", ["channel", "serviceurl"])
async def test_checks_that_need_the_activity_follow_the_parse(
    secured, connector, keys, monkeypatch, mismatch
):
    parsed = _spy_on_parsing(monkeypatch)
    activity = a.personal_message(connector.url, "hjælp")
    claims = {"serviceurl": connector.url}
    if mismatch == "channel":
        activity["channelId"] = "slack"  # key-1 is endorsed for msteams only
    else:
        claims["serviceurl"] = "https://elsewhere.example/"
    token = sign(keys["channel"], "key-1", **claims)
    answers = await while_healthy(
        secured,
        _posts(secured, json.dumps(activity).encode(), 10, {"Authorization": f"Bearer {token}"}),
    )
    assert answers == [(401, {"error": "unauthorized"})] * 10
    assert len(parsed) == 10
    assert connector.calls == []


async def test_absurd_list_lengths_are_400(local, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["entities"] = [{"type": "clientInfo"}] * 5000
    answers = await while_healthy(local, _posts(local, json.dumps(activity).encode(), 10))
    assert answers == [(400, {"error": "activity has more than 1000 list items"})] * 10
    assert connector.calls == []


async def test_a_body_of_countless_tiny_values_is_400_before_parsing(local, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["channelData"] = {"junk": [{}] * 150_000}  # ~450 KB of `{},`
    body = json.dumps(activity, separators=(",", ":")).encode()
    answers = await while_healthy(local, _posts(local, body, 10))
    assert answers == [(400, {"error": "too many JSON values"})] * 10


# --- 3. unusable serviceUrls ----------------------------------------------------------------


@pytest.mark.parametrize(
    "service_url", ["http://[::1", "http://]/", "http://a＃b/", "http://a:99999/"]
)
async def test_unparseable_service_urls_are_400(local, connector, caplog, service_url):
    activity = a.personal_message(connector.url, "hjælp")
    activity["serviceUrl"] = service_url
    answers = await while_healthy(local, _posts(local, json.dumps(activity).encode(), 5))
    assert answers == [(400, {"error": "activity has no valid serviceUrl"})] * 5
    assert _errors(caplog) == []
    assert connector.calls == []


# --- 4. turns that would crash --------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Hvornår er webinaret om KY?\ud800", "\udfff Hvad koster en flyvetur til Mars?"]
)
async def test_lone_surrogates_are_replaced_and_the_bot_answers(local, connector, caplog, text):
    activity = a.personal_message(connector.url, text)
    activity["from"]["name"] = "Bruger \ud83d"
    body = json.dumps(activity).encode()  # ensure_ascii: the surrogate is a \ud800 escape
    assert b"\\ud" in body
    [(status, _)] = await while_healthy(local, _posts(local, body, 1))
    assert status == 200
    [reply] = connector.sent()
    assert "Beklager, noget gik galt" not in json.dumps(reply.body, ensure_ascii=False)
    assert _errors(caplog) == []


def _without(activity: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, leaf = path.split(".")
    target = activity
    for key in parents:
        target = target[key]
    target.pop(leaf)
    return activity


@pytest.mark.parametrize(
    ("build", "missing", "error"),
    [
        ("message", "from.id", "activity has no from.id"),
        ("message", "from", "activity has no from.id"),
        ("message", "channelId", "activity has no channelId"),
        ("message", "recipient", "activity has no recipient.id"),
        ("conversationUpdate", "from.id", "activity has no from.id"),
        ("conversationUpdate", "channelId", "activity has no channelId"),
        ("invoke", "from.id", "activity has no from.id"),
        ("installationUpdate", "from", "activity has no from.id"),
    ],
)
async def test_activities_missing_what_a_turn_needs_are_400(
    local, connector, caplog, build, missing, error
):
    builders = {
        "message": lambda: a.personal_message(connector.url, "hjælp"),
        "conversationUpdate": lambda: a.bot_added(connector.url, a.personal_conversation()),
        "invoke": lambda: a.card_invoke(connector.url, "kb.rate", {"answerId": "x"}),
        "installationUpdate": lambda: a.installation_update(
            connector.url, a.personal_conversation()
        ),
    }
    activity = _without(builders[build](), missing)
    answers = await while_healthy(local, _posts(local, json.dumps(activity).encode(), 5))
    assert answers == [(400, {"error": error})] * 5
    assert connector.calls == []
    assert _errors(caplog) == []


@pytest.mark.parametrize("field", ["conversation", "from", "recipient"])
async def test_ids_longer_than_any_channel_sends_are_400(local, connector, caplog, field):
    activity = a.personal_message(connector.url, "hjælp")
    activity[field] = {**activity[field], "id": "29:" + "x" * 5000}
    answers = await while_healthy(local, _posts(local, json.dumps(activity).encode(), 3))
    assert answers == [(400, {"error": "activity has an id longer than any channel sends"})] * 3
    assert connector.calls == []
    assert _errors(caplog) == []


# --- 5. stalled requests --------------------------------------------------------------------


async def _slow_body(port: int, *, chunked: bool) -> tuple[int, float, bool]:
    """Headers, then 10 of 1000 bytes (or 1-byte chunks every 0.1 s): status, seconds, closed."""
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: 1000"
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            + framing
            + b"\r\n\r\n"
        )
        started = loop.time()
        if chunked:

            async def trickle():
                while True:
                    writer.write(b"1\r\n{\r\n")
                    await writer.drain()
                    await asyncio.sleep(0.1)

            trickling = asyncio.create_task(trickle())
        else:
            writer.write(b'{"type": "')
        try:
            async with asyncio.timeout(5):
                status = await _status_line(reader)
        finally:
            if chunked:
                trickling.cancel()
        took = loop.time() - started
        return status, took, await _closed(reader, within=LINGERING_SECONDS + 2)
    finally:
        writer.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "1-byte-chunks"])
async def test_a_body_that_never_completes_is_408_within_the_body_timeout(local, chunked):
    answers = await while_healthy(
        local, asyncio.gather(*(_slow_body(local.port, chunked=chunked) for _ in range(10)))
    )
    for status, took, closed in answers:
        assert status == 408
        assert SHORT.body_timeout * 0.8 <= took < SHORT.body_timeout + 2
        assert closed, "the server closes the connection after a 408 (and lingering)"


async def _slow_loris(port: int, *, silent: bool = False) -> tuple[float, bool]:
    """Partial headers, one more byte every 0.1 s (or nothing at all): seconds until closed."""
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = loop.time()
    try:
        if not silent:
            writer.write(b"POST /api/messages HTTP/1.1\r\nHost: bot\r\nX-Slow: ")
        for _ in range(50):  # 5 s at most
            if silent:
                await asyncio.sleep(0.1)
            else:
                try:
                    writer.write(b"a")
                    await writer.drain()
                except ConnectionError:
                    return loop.time() - started, True
            if await _closed(reader, within=0.1):
                return loop.time() - started, True
        return loop.time() - started, False
    finally:
        writer.close()


@pytest.mark.parametrize("silent", [False, True], ids=["trickling-headers", "silent"])
async def test_slow_header_connections_are_closed_by_the_server(local, silent):
    answers = await while_healthy(
        local, asyncio.gather(*(_slow_loris(local.port, silent=silent) for _ in range(30)))
    )
    for took, closed in answers:
        assert closed
        assert took < SHORT.header_timeout + 1.5
    assert local.server.stats.header_timeouts >= 30


async def test_at_the_connection_cap_the_longest_quiet_connection_makes_room(settings):
    limits = ServerLimits(header_timeout=3.0, body_timeout=3.0, idle_timeout=5.0, max_connections=8)
    async with served(settings, limits) as bot:
        hold = [await asyncio.open_connection("127.0.0.1", bot.port) for _ in range(8)]
        for _, writer in hold:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: bot\r\n")  # headers never finish
        try:
            # Each probe is a new connection over the cap: a quiet one is closed for it.
            await while_healthy(bot, asyncio.sleep(0.5))
            assert bot.server.stats.evicted >= 1
            assert bot.server.stats.refused == 0
        finally:
            for _, writer in hold:
                writer.close()


async def test_at_the_connection_cap_with_every_connection_busy_new_ones_get_503(settings):
    limits = ServerLimits(header_timeout=3.0, body_timeout=1.0, idle_timeout=5.0, max_connections=4)
    async with served(settings, limits) as bot:
        busy = asyncio.gather(*(_slow_body(bot.port, chunked=False) for _ in range(4)))
        await asyncio.sleep(0.3)  # all four are now reading a body that never completes
        reader, writer = await asyncio.open_connection("127.0.0.1", bot.port)
        try:
            assert await asyncio.wait_for(_status_line(reader), 2) == 503
        finally:
            writer.close()
        assert [status for status, _, _ in await busy] == [408] * 4
        assert bot.server.stats.refused >= 1
        await while_healthy(bot, asyncio.sleep(0.2))  # room again


# --- 7. smaller -----------------------------------------------------------------------------


async def test_the_admin_token_needs_the_bearer_scheme(local):
    token = local.client.runtime.settings.admin_token()
    url = local.url + "/admin/knowledge/reload"

    async def attempts():
        statuses = []
        for header in (token, f"Bearer {token}", f"bearer {token}", "Bearer wrong", "Bearer "):
            async with local.client.session.post(url, headers={"Authorization": header}) as r:
                statuses.append(r.status)
        return statuses

    assert await while_healthy(local, attempts()) == [401, 200, 200, 401, 401]


async def test_a_rejected_token_is_one_debug_line_and_counted(secured, connector, caplog):
    body = json.dumps(a.personal_message(connector.url, "hjælp")).encode()
    with caplog.at_level(logging.DEBUG):
        answers = await while_healthy(
            secured, _posts(secured, body, 20, {"Authorization": "Bearer garbage"})
        )
    assert [status for status, _ in answers] == [401] * 20
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len([r for r in refusals if r.levelno == logging.DEBUG]) == 20
    assert [r.levelno for r in refusals if r.levelno > logging.DEBUG] == [logging.WARNING]
    endpoint = ("bot.channel.messages_endpoint", "bot.channel.framework_auth")
    assert not [r for r in caplog.records if r.name in endpoint and r.levelno >= logging.INFO]
    _, metrics = await secured.client.get("/metrics")
    assert 'moedebot_requests_rejected_total{status="401"} 20.0' in metrics


async def test_a_client_that_leaves_mid_body_is_a_debug_line_without_traceback(local, caplog):
    async def leave_mid_body():
        _, writer = await asyncio.open_connection("127.0.0.1", local.port)
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"type": "'
        )
        await writer.drain()
        await asyncio.sleep(0.1)
        writer.close()
        await asyncio.sleep(0.2)  # the server notices

    with caplog.at_level(logging.DEBUG):
        await while_healthy(local, asyncio.gather(*(leave_mid_body() for _ in range(5))))
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not [r for r in caplog.records if r.exc_info]
    assert len([r for r in caplog.records if "body incomplete" in r.getMessage()]) == 5


async def test_codec_errors_are_a_fixed_message(local, connector):
    activity = a.personal_message(connector.url, "hjælp")
    activity["entities"] = "not-a-list"
    activity["timestamp"] = "<script>yesterday-ish</script>"
    answers = await while_healthy(local, _posts(local, json.dumps(activity).encode(), 3))
    assert answers == [(400, {"error": "not a valid Bot Framework activity"})] * 3


async def test_a_turn_that_cannot_run_is_503_and_logged_with_its_traceback(
    local, connector, monkeypatch, caplog
):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("the adapter is broken (test)")

    monkeypatch.setattr(local.client.runtime.adapter, "process_activity", broken)
    body = json.dumps(a.personal_message(connector.url, "hjælp")).encode()
    answers = await while_healthy(local, _posts(local, body, 3))
    assert answers == [(503, {"error": "the bot could not handle this activity right now"})] * 3
    failures = [r for r in caplog.records if r.name == "bot.channel.messages_endpoint"]
    assert [r.levelno for r in failures if r.exc_info] == [logging.ERROR] * 3


async def test_each_turn_is_one_info_line_without_the_text(local, connector, caplog):
    body = json.dumps(a.personal_message(connector.url, "hjælp")).encode()
    with caplog.at_level(logging.INFO):
        [(status, _)] = await while_healthy(local, _posts(local, body, 1))
    assert status == 200
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("turn ")]
    assert line.startswith("turn type=message conversation=personal status=200 ms=")
    assert not [r for r in caplog.records if "hjælp" in r.getMessage()]
