"""AadTokenProvider against a fake AAD endpoint: one fetch for many callers, refresh, failures."""

from __future__ import annotations

import asyncio
import logging

import pytest
from botbuilder.schema import Activity

from bot.channel.outbound import (
    AadTokenProvider,
    ConnectorTransport,
    DeliveryError,
    DeliveryStats,
    MoedebotConnectorFactory,
    TokenAcquisitionError,
)


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def provider(session, connector, clock=None, **kwargs) -> AadTokenProvider:
    options = dict(
        app_id="app-1",
        app_password="s3cret",
        tenant="botframework.com",
        authority=connector.base_url,
    )
    options.update(kwargs)
    if clock is not None:
        options["clock"] = clock
    return AadTokenProvider(session, **options)


async def _no_sleep(delay: float) -> None:
    return None


async def test_fifty_concurrent_calls_share_one_token_request(session, connector, caplog):
    tokens = provider(session, connector)
    connector.token_delay = 0.1  # keep the fetch in flight while all callers pile up
    transport = ConnectorTransport(session, tokens, stats=DeliveryStats())
    client = MoedebotConnectorFactory(transport).client_for(connector.base_url)
    with caplog.at_level(logging.DEBUG):
        await asyncio.gather(
            *(
                client.conversations.send_to_conversation(f"conv-{i}", Activity(type="message"))
                for i in range(50)
            )
        )
    assert len(connector.token_requests) == 1
    form = connector.token_requests[0]
    assert form == {
        "grant_type": "client_credentials",
        "client_id": "app-1",
        "client_secret": "s3cret",
        "scope": "https://api.botframework.com/.default",
        "tenant": "botframework.com",
    }
    assert {r.headers["Authorization"] for r in connector.requests} == {"Bearer tok-1"}
    assert "tok-1" not in caplog.text and "s3cret" not in caplog.text


async def test_token_is_refetched_five_minutes_before_expiry(session, connector):
    clock = ManualClock()
    tokens = provider(session, connector, clock)
    assert await tokens.get_token() == "tok-1"
    clock.now += 3600 - 301
    assert await tokens.get_token() == "tok-1"
    clock.now += 2
    assert await tokens.get_token() == "tok-2"
    assert len(connector.token_requests) == 2


async def test_short_lived_tokens_are_refreshed_at_half_life(session, connector):
    clock = ManualClock()
    connector.token_lifetime = 60
    tokens = provider(session, connector, clock)
    assert await tokens.get_token() == "tok-1"
    clock.now += 29
    assert await tokens.get_token() == "tok-1"
    clock.now += 2
    assert await tokens.get_token() == "tok-2"


async def test_single_tenant_asks_its_own_tenant(session, connector):
    tokens = provider(session, connector, tenant="contoso-tenant-id")
    await tokens.get_token()
    assert connector.token_requests[0]["tenant"] == "contoso-tenant-id"


async def test_no_app_id_means_no_token_and_no_request(session, connector):
    tokens = provider(session, connector, app_id="", app_password="")
    assert await tokens.get_token() is None
    assert connector.token_requests == []


async def test_rejected_credentials_fail_the_delivery_without_retry(session, connector):
    connector.token_status = 401
    stats = DeliveryStats()
    transport = ConnectorTransport(
        session, provider(session, connector), stats=stats, sleep=_no_sleep
    )
    client = MoedebotConnectorFactory(transport).client_for(connector.base_url)
    with pytest.raises(DeliveryError) as failure:
        await client.conversations.send_to_conversation("conv", Activity(type="message"))
    assert failure.value.status is None
    assert len(connector.token_requests) == 1 and connector.requests == []
    assert stats.failed == {"token": 1}


async def test_unavailable_token_endpoint_is_retried(session, connector):
    connector.token_status = 503
    tokens = provider(session, connector)
    with pytest.raises(TokenAcquisitionError) as failure:
        await tokens.get_token()
    assert failure.value.transient
    stats = DeliveryStats()
    transport = ConnectorTransport(session, tokens, stats=stats, sleep=_no_sleep)
    client = MoedebotConnectorFactory(transport).client_for(connector.base_url)
    with pytest.raises(DeliveryError):
        await client.conversations.send_to_conversation("conv", Activity(type="message"))
    assert stats.retried == {"token": 3} and stats.failed == {"token": 1}


async def test_connector_401_drops_the_cached_token(session, connector):
    tokens = provider(session, connector)
    transport = ConnectorTransport(session, tokens, stats=DeliveryStats())
    client = MoedebotConnectorFactory(transport).client_for(connector.base_url)
    connector.program(401)
    with pytest.raises(DeliveryError):
        await client.conversations.send_to_conversation("conv", Activity(type="message"))
    await client.conversations.send_to_conversation("conv", Activity(type="message"))
    assert [r.headers["Authorization"] for r in connector.requests] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


async def test_failed_refresh_keeps_using_a_still_valid_token(session, connector):
    clock = ManualClock()
    tokens = provider(session, connector, clock)
    assert await tokens.get_token() == "tok-1"
    clock.now += 3600 - 200  # due for refresh, not yet expired
    connector.token_status = 503
    assert await tokens.get_token() == "tok-1"
