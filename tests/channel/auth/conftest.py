"""Fixtures for inbound-auth tests: RSA keys, a local OpenID server, a loopback-only session."""

from __future__ import annotations

import aiohttp
import pytest

from tests.channel.auth import openid_server as helpers


@pytest.fixture
async def session():
    # The suite-wide network guard (tests/conftest.py) keeps it on loopback.
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture(scope="session")
def rsa_keys():
    """Three keys: the channel's two published keys and an attacker's."""
    return {name: helpers.new_rsa_key() for name in ("main", "other", "attacker")}


@pytest.fixture
async def openid_server(rsa_keys):
    server = helpers.OpenIdServer(
        jwks=[
            helpers.public_jwk(rsa_keys["main"], "key-1", ["msteams", "webchat"]),
            helpers.public_jwk(rsa_keys["other"], "key-2", None),
        ]
    )
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def oid():
    """The helper module (sign, constants, OpenIdServer) for tests."""
    return helpers
