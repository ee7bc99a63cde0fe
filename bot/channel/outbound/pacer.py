"""Per-conversation pacing of outbound messages within Teams' per-bot rate limits."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

# Teams, per bot per conversation: (messages, seconds).
TEAMS_CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = (
    (7, 1.0),
    (8, 2.0),
    (60, 30.0),
    (1800, 3600.0),
)


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    stamps: deque[float] = field(default_factory=deque)
    users: int = 0  # holders + waiters; a lane with users is never forgotten


class LaneTurn:
    """A holder's turn in a lane: `await turn()` before each attempt, `turn.sent()` after."""

    def __init__(self, pacer: ConversationPacer, lane: _Lane) -> None:
        self._pacer = pacer
        self._lane = lane

    async def __call__(self) -> float:
        return await self._pacer._take_slot(self._lane)

    def sent(self) -> None:
        if self._lane.stamps:
            self._lane.stamps[-1] = max(self._lane.stamps[-1], self._pacer._clock())


class ConversationPacer:
    """Conversations are independent lanes; within a lane, senders go one at a time in FIFO order
    and every attempt waits for a free slot in all windows (`n` sends per `window` seconds,
    half-open windows). Idle lanes are forgotten once their history no longer matters.

    Usage::

        async with pacer.lane(conversation_id) as turn:
            await turn()          # before each POST attempt
            ...                   # the POST (retries stay in the lane, keeping order)
            turn.sent()           # its answer came back

    Teams counts messages as they arrive, which is some time after the slot was taken (the
    event loop, the connection, the network). `sent()` moves the send's time to when its
    answer came back, by which time it had certainly arrived; the next send in the lane goes
    only after that, so arrivals keep the limits whatever the delays.
    """

    def __init__(
        self,
        limits: Sequence[tuple[int, float]] = TEAMS_CONVERSATION_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        margin: float = 0.0,
        sweep_interval: float = 60.0,
        max_lanes: int = 10_000,
    ) -> None:
        if not limits or any(n < 1 or w <= 0 for n, w in limits):
            raise ValueError("limits must be (count >= 1, window > 0) pairs")
        self._limits = tuple(sorted(limits, key=lambda lw: lw[1]))
        self._horizon = max(w for _, w in self._limits)
        # Under memory pressure, forget history beyond the second-longest window (losing only
        # the hourly count of quiet conversations, not the burst limits).
        windows = sorted({w for _, w in self._limits})
        self._short_horizon = windows[-2] if len(windows) > 1 else windows[-1]
        self._history = max(n for n, _ in self._limits)
        self._clock = clock
        self._sleep = sleep
        self._margin = margin  # extra wait in real time, so clock jitter cannot tip us over
        self._sweep_interval = sweep_interval
        self._max_lanes = max_lanes
        self._lanes: dict[str, _Lane] = {}
        self._last_sweep = self._last_pressure_sweep = clock()

    @property
    def tracked(self) -> int:
        """Number of conversations currently remembered (for tests and metrics)."""
        return len(self._lanes)

    @asynccontextmanager
    async def lane(self, conversation_id: str) -> AsyncIterator[LaneTurn]:
        # A Teams channel thread ("19:…@thread.tacv2;messageid=…") shares its channel's lane:
        # erring on the strict side costs a little latency, a 429 costs far more.
        conversation_id = conversation_id.split(";messageid=", 1)[0]
        lane = self._lanes.get(conversation_id)
        if lane is None:
            if len(self._lanes) >= self._max_lanes:
                self._sweep_under_pressure()
            lane = self._lanes[conversation_id] = _Lane(stamps=deque(maxlen=self._history))
        lane.users += 1
        try:
            async with lane.lock:  # asyncio.Lock wakes waiters in FIFO order
                yield LaneTurn(self, lane)
        finally:
            lane.users -= 1
            self._maybe_sweep()

    async def _take_slot(self, lane: _Lane) -> float:
        """Wait until a send is allowed in every window, record it, return the time waited."""
        waited = 0.0
        while True:
            now = self._clock()
            wait = self._wait_needed(lane.stamps, now)
            if wait <= 0.0:
                lane.stamps.append(now)
                return waited
            await self._sleep(wait + self._margin)
            waited += wait + self._margin

    def _wait_needed(self, stamps: deque[float], now: float) -> float:
        wait = 0.0
        for count, window in self._limits:
            if len(stamps) >= count:
                # The count-th most recent send must have left the window (now - t >= window).
                wait = max(wait, stamps[-count] + window - now)
        return wait

    def _maybe_sweep(self) -> None:
        now = self._clock()
        if now - self._last_sweep >= self._sweep_interval:
            self._last_sweep = now
            self._forget_idle(now, self._horizon)

    def _sweep_under_pressure(self) -> None:
        now = self._clock()
        if now - self._last_pressure_sweep >= 1.0:
            self._last_pressure_sweep = now
            self._forget_idle(now, self._short_horizon)

    def _forget_idle(self, now: float, horizon: float) -> None:
        idle = [
            cid
            for cid, lane in self._lanes.items()
            if lane.users == 0 and (not lane.stamps or now - lane.stamps[-1] >= horizon)
        ]
        for cid in idle:
            del self._lanes[cid]
