"""Serves the app over HTTP with bounded time and connections per client; says where it listens."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast

from aiohttp import web

from bot.channel.messages_endpoint import BODY_TIMEOUT
from bot.channel.refusals import RefusalLog
from bot.settings import Settings

log = logging.getLogger(__name__)

# After an early answer (401, 408, 413) the rest of the body is read and dropped this long, so
# the client gets to read the answer before the connection is closed (no reset under it).
LINGERING_SECONDS = 2.0
# How long a stop waits for turns in flight (Teams gives a turn 15 s for its first reply).
_SHUTDOWN_SECONDS = 15.0
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
    b"Retry-After: 1\r\nConnection: close\r\n\r\n"
)


@dataclass(frozen=True)
class ServerLimits:
    """How long a client may take and how many connections may be open at once."""

    header_timeout: float = 10.0  # a request's headers, from connect or their first byte
    body_timeout: float = 10.0  # the body of POST /api/messages, then 408
    idle_timeout: float = 75.0  # a kept-alive connection between requests
    max_connections: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerLimits:
        return cls(
            header_timeout=settings.header_timeout_seconds,
            body_timeout=settings.body_timeout_seconds,
            idle_timeout=settings.idle_timeout_seconds,
            max_connections=settings.max_connections,
        )


class ListenError(OSError):
    """The address cannot be bound (in use, not ours, unknown host)."""


@dataclass
class ConnectionStats:
    open: int = 0  # connections being served now
    header_timeouts: int = 0  # closed: headers not complete in time (slow loris, silence)
    evicted: int = 0  # closed at the connection cap to make room for a new one
    refused: int = 0  # answered 503 at the cap: every connection was busy


class GuardedRequestHandler(web.RequestHandler):
    """aiohttp's connection handler with a deadline for request headers.

    aiohttp has no header-read timeout: its keep-alive timer counts from the last response
    (from connecting only since 3.14), and bytes trickling in never complete a request, so one
    header line a minute holds a connection and its file descriptor for good. Here a
    request's headers must be complete within `header_timeout` of connecting, or of the first
    byte that arrives while no request is queued or running; else the connection is closed.
    """

    __slots__ = ("_counted", "_header_timeout", "_header_timer", "_stats", "quiet_since")

    def __init__(
        self,
        manager: web.Server,
        *,
        header_timeout: float,
        stats: ConnectionStats,
        loop: asyncio.AbstractEventLoop,
        **kwargs: Any,
    ) -> None:
        super().__init__(manager, loop=loop, **kwargs)
        self._header_timeout = header_timeout
        self._header_timer: asyncio.TimerHandle | None = None
        self._stats = stats
        self._counted = False
        self.quiet_since = loop.time()  # since when no request has arrived (eviction order)

    @property
    def between_requests(self) -> bool:
        """No request queued or being handled: idle, reading headers, or discarding a body."""
        # aiohttp's own state (as of 3.14): parsed requests wait in `_messages`; the one
        # being handled is `_current_request`. tests/e2e/test_hostile_wire.py pins this.
        return not self._messages and self._current_request is None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._stats.open += 1
        self._counted = True
        self._arm()  # a silent connection gets as long as a slow one

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self.between_requests:
            # These bytes completed a request's headers (or are its body): no deadline here.
            self._disarm()
            self.quiet_since = self._loop.time()
        elif self._header_timer is None:
            self._arm()

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._counted:
            self._stats.open -= 1
            self._counted = False
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self._loop.call_later(self._header_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.between_requests and self.transport is not None:
            self._stats.header_timeouts += 1
            log.debug("closed a connection: request headers not complete in time")
            self.force_close()


class _Busy(asyncio.Protocol):
    """Answers 503 and closes: at the connection cap with every connection in use."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A protocol of create_server's is always given a stream transport (so aiohttp casts too).
        stream = cast(asyncio.Transport, transport)
        stream.write(_BUSY)
        stream.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        pass

    def data_received(self, data: bytes) -> None:
        pass

    def eof_received(self) -> bool:
        return False

    def pause_writing(self) -> None:
        pass

    def resume_writing(self) -> None:
        pass


class _ConnectionFactory:
    """The listening socket's protocol factory: a guarded handler per connection, within the cap.

    At the cap the connection that has waited longest without sending a request (a slow
    loris, a silent or idle one) is closed to make room; only when every connection is in
    the middle of a request is the new one refused with 503.
    """

    def __init__(self, runner: web.AppRunner, limits: ServerLimits, stats: ConnectionStats):
        self._runner = runner
        self._limits = limits
        self.stats = stats
        self._refusals = RefusalLog("connections at the connection cap")

    def __call__(self) -> asyncio.BaseProtocol:
        server = self._runner.server
        if server is None:
            raise RuntimeError("serving starts after runner.setup()")
        # A counter, not a scan: this runs for every connection accepted.
        if self.stats.open >= self._limits.max_connections and not self._evict(server):
            self.stats.refused += 1
            self._refusals.refused(f"{self.stats.open} open, all busy")
            return _Busy()
        return GuardedRequestHandler(
            server,
            loop=asyncio.get_running_loop(),
            header_timeout=self._limits.header_timeout,
            stats=self.stats,
            keepalive_timeout=self._limits.idle_timeout,
            lingering_time=LINGERING_SECONDS,
            access_log=None,
        )

    def _evict(self, server: web.Server) -> bool:
        quiet = [
            c
            for c in server.connections
            if isinstance(c, GuardedRequestHandler)
            and c.transport is not None
            and c.between_requests
        ]
        if not quiet:
            return False
        victim = min(quiet, key=lambda c: c.quiet_since)
        self.stats.evicted += 1
        log.debug("closed the longest-quiet connection to stay within the connection cap")
        victim.force_close()
        return True


class _BoundSite(web.BaseSite):
    """A site on a socket bound before the app started, so a port in use fails fast."""

    __slots__ = ("_listener", "_name")

    def __init__(self, runner: web.AppRunner, listener: asyncio.Server, name: str) -> None:
        super().__init__(runner)
        self._server = listener  # what BaseSite.stop() closes and runner.addresses reads
        self._listener = listener
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def start(self) -> None:
        await super().start()
        await self._listener.start_serving()


@dataclass(frozen=True)
class Serving:
    """A running server: where it listens and what its guards have done."""

    host: str
    port: int
    stats: ConnectionStats

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


@asynccontextmanager
async def serving(
    app: web.Application, *, host: str, port: int, limits: ServerLimits
) -> AsyncIterator[Serving]:
    """Bind, start the app (migrations, keys, ...), serve; stop and clean up on exit.

    The address is bound before the app starts, so "address in use" costs no start-up work;
    ListenError when it cannot be bound, the app's own error when it cannot start.
    """
    app[BODY_TIMEOUT] = limits.body_timeout
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_SECONDS)
    stats = ConnectionStats()
    loop = asyncio.get_running_loop()
    try:
        listener = await loop.create_server(
            _ConnectionFactory(runner, limits, stats),
            host,
            port,
            start_serving=False,
            reuse_address=True,
        )
    except OSError as error:
        # asyncio's own text repeats the address; the errno's says it plainly.
        if error.errno is not None and error.errno > 0:
            reason = os.strerror(error.errno).lower()
        else:
            reason = error.strerror or str(error)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from error
    bound_port = listener.sockets[0].getsockname()[1]
    try:
        await runner.setup()
        await _BoundSite(runner, listener, f"http://{host}:{bound_port}").start()
    except BaseException:
        listener.close()
        await runner.cleanup()  # what the app opened before it failed
        raise
    try:
        yield Serving(host=host, port=bound_port, stats=stats)
    finally:
        await runner.cleanup()


def run(app: web.Application, settings: Settings) -> None:
    """Serve `app` as `settings` say until SIGINT or SIGTERM (python app.py, moedebot run)."""
    asyncio.run(_serve_until_stopped(app, settings))


async def _serve_until_stopped(app: web.Application, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    limits = ServerLimits.from_settings(settings)
    async with serving(app, host=settings.bind_host, port=settings.port, limits=limits) as server:
        log.info("listening on %s", _where(server, settings))
        await stop.wait()
        log.info("stopping")


def _where(server: Serving, settings: Settings) -> str:
    local = f"{server.url}/api/messages"
    if settings.public_url:
        return f"{local} (Teams messaging endpoint: {settings.public_base_url}/api/messages)"
    return local
