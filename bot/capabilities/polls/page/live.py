"""Live results for many screens at once: one tally read per poll per tick, a bounded stream count.

However many screens follow a poll, the process reads its tally at most once a tick: the
streams of one poll share the last reading while it is younger than a tick.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
_EXPIRED = b"event: expired\ndata: {}\n\n"
_HEARTBEAT = b": keep-alive\n\n"


@dataclass(frozen=True)
class StreamLimits:
    tick_seconds: float = 1.0  # how often a stream looks at the tally
    heartbeat_seconds: float = 15.0  # a comment line, so proxies keep an idle stream open
    max_seconds: float = 30 * 60  # then the browser reconnects (EventSource does so itself)
    max_streams: int = 200  # per process; each holds a connection and a task
    retry_ms: int = 3000  # what the browser waits before reconnecting


class LiveResults:
    def __init__(self, limits: StreamLimits) -> None:
        self.limits = limits
        self._streams = 0
        self._readings: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._followers: dict[str, int] = {}
        self._stopping = asyncio.Event()

    @property
    def streams(self) -> int:
        return self._streams

    def enter(self, poll_id: str) -> bool:
        """Take a stream slot; False when the process already serves `max_streams`."""
        if self._streams >= self.limits.max_streams:
            return False
        self._streams += 1
        self._followers[poll_id] = self._followers.get(poll_id, 0) + 1
        return True

    def leave(self, poll_id: str) -> None:
        self._streams -= 1
        left = self._followers.get(poll_id, 1) - 1
        if left > 0:
            self._followers[poll_id] = left
            return
        # The last screen went away: forget the poll, so memory follows the open streams.
        self._followers.pop(poll_id, None)
        self._readings.pop(poll_id, None)
        self._locks.pop(poll_id, None)

    async def pause(self) -> bool:
        """Wait a tick; True when the server is shutting down (streams end, not linger)."""
        try:
            await asyncio.wait_for(self._stopping.wait(), self.limits.tick_seconds)
        except TimeoutError:
            return False
        return True

    async def stop(self, app: object = None) -> None:
        """The app's on_shutdown: open streams end at their next tick."""
        self._stopping.set()

    async def reading(self, poll_id: str, read: Callable[[], Awaitable[T]]) -> T:
        """The poll's state, read now or by another stream less than a tick ago."""
        lock = self._locks.setdefault(poll_id, asyncio.Lock())
        async with lock:
            loop = asyncio.get_running_loop()
            last = self._readings.get(poll_id)
            if last is not None and loop.time() - last[0] < self.limits.tick_seconds * 0.9:
                value: T = last[1]
                return value
            value = await read()
            if poll_id in self._followers:
                self._readings[poll_id] = (loop.time(), value)
            return value

    async def follow(
        self,
        poll_id: str,
        read: Callable[[], Awaitable[dict[str, Any] | None]],
        valid: Callable[[], bool],
        write: Callable[[bytes], Awaitable[None]],
    ) -> None:
        """Send the results when they change, until closed, expired, gone or `max_seconds`.

        `read` gives the page's data (None once the poll is deleted); `valid` says whether the
        link still holds. The last state of a closed poll is sent before the stream ends.
        """
        limits, loop = self.limits, asyncio.get_running_loop()
        await write(f"retry: {limits.retry_ms}\n\n".encode())
        deadline = loop.time() + limits.max_seconds
        quiet_until = loop.time() + limits.heartbeat_seconds
        sent = None
        while True:
            data = await self.reading(poll_id, read) if valid() else None
            if data is None:
                await write(_EXPIRED)
                return
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            if body != sent:
                await write(f"data: {body}\n\n".encode())
                sent, quiet_until = body, loop.time() + limits.heartbeat_seconds
            elif loop.time() >= quiet_until:
                await write(_HEARTBEAT)
                quiet_until = loop.time() + limits.heartbeat_seconds
            if data["closed"] or loop.time() >= deadline or await self.pause():
                return
