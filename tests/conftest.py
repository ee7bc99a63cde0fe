"""Suite-wide fixtures: the loopback-only network guard and the two databases."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator

import pytest

from tests.support.databases import PostgresUnavailable, create_database, drop_database

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str | bytes):
        return True  # not an internet address (e.g. AF_UNIX path handled below)
    host = host.decode() if isinstance(host, bytes) else host
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuardError(RuntimeError):
    """A test tried to reach something other than this machine."""


@pytest.fixture(autouse=True, scope="session")
def network_guard() -> Iterator[None]:
    """Fail any test that connects to, or even looks up, a non-loopback address."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _is_loopback(host):
                raise NetworkGuardError(f"test tried to connect to {address!r}")

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            raise NetworkGuardError(f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = real_connect
        socket.socket.connect_ex = real_connect_ex
        socket.getaddrinfo = real_getaddrinfo


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database of each kind per test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'moedebot.db'}"
        return
    name = f"moedebot_t_{uuid.uuid4().hex[:12]}"
    try:
        url = create_database(name)
    except PostgresUnavailable as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    try:
        yield url
    finally:
        drop_database(name)
