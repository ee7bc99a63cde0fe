"""End-to-end fixtures: a fake connector and the real app on loopback ports."""

from __future__ import annotations

import pytest

from tests.fakes.connector import FakeConnector
from tests.support.running_bot import make_settings, running_bot


@pytest.fixture
async def connector():
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
def settings(database_url, tmp_path):
    return make_settings(database_url, tmp_path)


@pytest.fixture
async def bot(settings):
    async with running_bot(settings) as client:
        yield client
