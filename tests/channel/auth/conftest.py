"""Fixtures for inbound-auth tests: RSA keys, a local OpenID server, a loopback-only session."""

from __future__ import annotations

import importlib.util
import ipaddress
import sys
from pathlib import Path

import aiohttp
import pytest


def _load_helper(name: str):
    # --import-mode=importlib puts no test folder on sys.path: load the sibling module by path.
    qualified = f"_moedebot_tests_channel_auth_{name}"
    if qualified not in sys.modules:
        path = Path(__file__).with_name(f"{name}.py")
        spec = importlib.util.spec_from_file_location(qualified, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return sys.modules[qualified]


helpers = _load_helper("openid_server")


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


async def _loopback_only(session, ctx, params) -> None:
    if not _is_loopback(params.url.host):
        raise AssertionError(f"test tried to reach a non-loopback host: {params.url.host}")


@pytest.fixture
async def session():
    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(_loopback_only)
    async with aiohttp.ClientSession(trace_configs=[trace]) as s:
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
