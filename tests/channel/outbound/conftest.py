"""Fixtures for outbound tests: a fake connector/AAD server, a loopback-only session, time."""

from __future__ import annotations

import aiohttp
import pytest

from tests.channel.outbound import fake_connector as fakes
from tests.channel.outbound import virtual_time


@pytest.fixture
async def session():
    # The suite-wide network guard (tests/conftest.py) keeps it on loopback.
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
async def connector():
    fake = fakes.FakeConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
def fk():
    """The fake_connector module (FakeConnector, Reply)."""
    return fakes


@pytest.fixture
def vclock():
    return virtual_time.VirtualClock()
