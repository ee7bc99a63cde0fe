"""A virtual monotonic clock whose sleeps complete instantly, in deadline order."""

from __future__ import annotations

import asyncio
import heapq
import itertools


class VirtualClock:
    """`clock()` is virtual time; `sleep(d)` parks the caller until the driver advances time.

    `run(coro)` drives: whenever the loop has gone quiet (only virtual sleepers left), time jumps
    to the earliest deadline. Only for code whose waiting is all on this clock (no real I/O).
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self.requested: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.requested.append(delay)
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(delay, 0.0), next(self._seq), fut))
        await fut

    async def run(self, coro):
        task = asyncio.ensure_future(coro)
        while not task.done():
            for _ in range(50):  # let every runnable coroutine reach its next virtual sleep
                await asyncio.sleep(0)
                if task.done():
                    break
            if task.done():
                continue
            if not self._sleepers:
                await asyncio.sleep(0.001)  # waiting on something real; do not spin
                continue
            deadline, _, fut = heapq.heappop(self._sleepers)
            self.now = max(self.now, deadline)
            if not fut.done():
                fut.set_result(None)
        return task.result()
