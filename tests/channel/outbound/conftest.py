"""Fixtures for outbound tests: a fake connector/AAD server, a loopback-only session, time."""

from __future__ import annotations

import importlib.util
import ipaddress
import sys
from pathlib import Path

import aiohttp
import pytest


def _load_helper(name: str):
    # --import-mode=importlib puts no test folder on sys.path: load the sibling module by path.
    qualified = f"_moedebot_tests_channel_outbound_{name}"
    if qualified not in sys.modules:
        path = Path(__file__).with_name(f"{name}.py")
        spec = importlib.util.spec_from_file_location(qualified, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return sys.modules[qualified]


fakes = _load_helper("fake_connector")
virtual_time = _load_helper("virtual_time")


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
