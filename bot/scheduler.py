"""Scheduler: one asyncio task per process that claims due jobs and runs their kind's handler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.scheduling import (
    BackoffPolicy,
    Delivered,
    DeliveryGone,
    Job,
    JobRepository,
    JobState,
    RetryLater,
)

log = logging.getLogger(__name__)

Handler = Callable[[Job], Awaitable[Delivered | None]]
NextDue = Callable[[Job, datetime], datetime | None]


@dataclass(frozen=True)
class _Kind:
    handler: Handler
    next_due: NextDue | None
    max_lateness: timedelta | None
    backoff: BackoffPolicy


class Scheduler:
    """Sleeps until the next due job (or `recheck_seconds`, which bounds the wait for jobs
    another replica created), claims up to `batch_size`, runs them with at most `concurrency`
    handlers at once — one conversation's jobs in order, conversations side by side."""

    def __init__(
        self,
        repository: JobRepository,
        clock: Clock,
        *,
        recheck_seconds: float = 5.0,
        batch_size: int = 100,
        concurrency: int = 16,
        lease_seconds: float = 300.0,
        stop_timeout: float = 10.0,
        backoff: BackoffPolicy | None = None,
        worker_id: str | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._repository = repository
        self._clock = clock
        self._recheck = recheck_seconds
        self._batch = batch_size
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease_seconds
        self._stop_timeout = stop_timeout
        self._backoff = backoff or BackoffPolicy()
        self._rng = rng
        # Per instance, not per process: two schedulers in one test process are two workers.
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:16]}"
        self._kinds: dict[str, _Kind] = {}
        self._held: dict[str, Job] = {}  # claimed by us and not yet recorded
        self._wake = asyncio.Event()
        self._planned_wake: datetime | None = None  # set only while the loop sleeps
        self._noted_due: datetime | None = None  # earliest job stored while it was awake
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.outcomes: Counter[str] = Counter()  # delivered/retried/failed/missed/gone/lost

    def register(
        self,
        kind: str,
        handler: Handler,
        *,
        next_due: NextDue | None = None,
        max_lateness: timedelta | None = None,
        backoff: BackoffPolicy | None = None,
    ) -> None:
        """`next_due(job, after)` gives a recurring job's next occurrence when the handler's
        Delivered does not; a job found more than `max_lateness` late is recorded as missed."""
        if kind in self._kinds:
            raise ValueError(f"job kind {kind!r} is already registered")
        self._kinds[kind] = _Kind(handler, next_due, max_lateness, backoff or self._backoff)

    async def schedule(self, job: Job) -> Job:
        stored = await self._repository.schedule(job)
        self.notify_scheduled(stored.due_at)
        return stored

    def notify_scheduled(self, due_at: datetime) -> None:
        """A job due at `due_at` was stored here: wake the loop if it would sleep past it.

        While the loop is awake (ticking, or working out how long to sleep) the time is
        noted instead, and the loop sleeps no longer than until then."""
        if self._planned_wake is None:
            if self._noted_due is None or due_at < self._noted_due:
                self._noted_due = due_at
        elif due_at < self._planned_wake:
            self._wake.set()

    # --- running jobs ---------------------------------------------------------------------

    async def tick(self) -> int:
        """Claim the jobs due now and run them; returns how many were claimed and run."""
        now = self._clock.now()
        jobs = await self._repository.claim_due(
            now, self._batch, self._lease, self.worker_id, kinds=list(self._kinds)
        )
        lanes: dict[str, list[Job]] = {}
        for job in jobs:
            self._held[job.id] = job
            lanes.setdefault(job.conversation_id, []).append(job)
        await asyncio.gather(*(self._run_lane(lane) for lane in lanes.values()))
        return len(jobs)

    async def _run_lane(self, lane: list[Job]) -> None:
        for job in lane:
            if self._stopping:
                return  # the rest stay held and are released by stop()
            async with self._slots:
                await self._run(job)

    async def _run(self, job: Job) -> None:
        kind = self._kinds[job.kind]
        now = self._clock.now()
        try:
            await self._dispatch(job, kind, now)
        except asyncio.CancelledError:
            raise  # still held: stop() releases it
        except Exception:
            # The outcome could not be recorded (database trouble): the lease runs out and
            # the job is claimed again, so it is neither lost nor retried in a tight loop.
            log.exception("could not record the outcome of job %s (%s)", job.id, job.kind)
        self._held.pop(job.id, None)

    async def _dispatch(self, job: Job, kind: _Kind, now: datetime) -> None:
        if job.attempts > kind.backoff.max_attempts:
            # Claimed again and again without an outcome: a worker died running it each time.
            reason = f"gave up after {job.attempts - 1} attempts without an outcome"
            await self._fail(job, kind, now, reason, JobState.FAILED)
            return
        late = job.late_by(now)
        if kind.max_lateness is not None and job.attempts == 1 and late > kind.max_lateness:
            await self._fail(job, kind, now, f"missed: found {late} late", JobState.MISSED)
            return
        try:
            outcome = await kind.handler(job)
        except DeliveryGone as gone:
            self._count("gone")
            log.warning("job %s (%s) cannot be delivered: %s", job.id, job.kind, gone.reason)
            await self._record(self._repository.fail(job.id, self.worker_id, now, gone.reason))
        except RetryLater as later:
            await self._retry(job, kind, later.after_seconds, later.reason)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.exception("handler for job %s (%s) failed", job.id, job.kind)
            await self._retry(job, kind, None, f"{type(error).__name__}: {error}")
        else:
            # Bound to happen eventually: a handler that forgot to return anything.
            delivered = outcome if isinstance(outcome, Delivered) else Delivered()
            next_due = delivered.next_due or self._next(job, kind, now)
            self._count("delivered")
            await self._record(
                self._repository.complete(
                    job.id,
                    self.worker_id,
                    self._clock.now(),
                    next_due=next_due,
                    activity_id=delivered.activity_id,
                )
            )

    async def _retry(self, job: Job, kind: _Kind, after: float | None, reason: str) -> None:
        now = self._clock.now()
        if kind.backoff.gives_up(job.attempts):
            await self._fail(job, kind, now, f"gave up after {job.attempts} attempts: {reason}")
            return
        delay = kind.backoff.delay(job.attempts, after, self._rng)
        self._count("retried")
        log.info("job %s (%s) retried in %.0f s: %s", job.id, job.kind, delay, reason)
        due_at = now + timedelta(seconds=delay)
        await self._record(self._repository.retry(job.id, self.worker_id, now, due_at, reason))

    async def _fail(
        self,
        job: Job,
        kind: _Kind,
        now: datetime,
        reason: str,
        state: JobState = JobState.FAILED,
    ) -> None:
        # A recurring job goes on: next week's reminder is not lost to this week's trouble.
        self._count(state.value)
        log.warning("job %s (%s) %s: %s", job.id, job.kind, state.value, reason)
        next_due = self._next(job, kind, now)
        failing = self._repository.fail(
            job.id, self.worker_id, now, reason, state=state, next_due=next_due
        )
        await self._record(failing)

    def _next(self, job: Job, kind: _Kind, now: datetime) -> datetime | None:
        if kind.next_due is None or job.recurrence is None:
            return None
        # After now, not after the missed time: a bot down for a week sends one, not seven.
        following = kind.next_due(job, max(now, job.occurrence_at))
        if following is not None and following <= job.occurrence_at:
            log.warning("next occurrence of job %s is not after this one; dropped", job.id)
            return None
        return following

    async def _record(self, recording: Awaitable[bool]) -> None:
        if not await recording:
            # Our lease ran out and another worker took the job: its outcome stands.
            self._count("lost")
            log.warning("a job outcome was not recorded: the claim is no longer ours")

    def _count(self, outcome: str) -> None:
        self.outcomes[outcome] += 1

    # --- the task -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(
                self._loop(), name="moedebot-scheduler"
            )

    async def stop(self) -> None:
        """Stop claiming, let running handlers finish (up to `stop_timeout`), release the rest."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            done, _ = await asyncio.wait({task}, timeout=self._stop_timeout)
            if not done:
                log.warning("scheduler: handlers still running after %s s", self._stop_timeout)
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        held, self._held = list(self._held), {}
        if held:
            released = await self._repository.release(held, self.worker_id, self._clock.now())
            log.info("scheduler released %d claimed jobs at shutdown", released)

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            self._planned_wake = None
            self._noted_due = None  # the tick's claim sees every job stored before it
            try:
                ran = await self.tick()
                if ran >= self._batch:
                    continue  # more may be due right now
                wait = await self._seconds_to_wait()
                if self._noted_due is not None:
                    noted = (self._noted_due - self._clock.now()).total_seconds()
                    wait = min(wait, max(noted, 0.0))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed; trying again in %s s", self._recheck)
                wait = self._recheck
            if self._stopping:
                return
            self._planned_wake = self._clock.now() + timedelta(seconds=wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _seconds_to_wait(self) -> float:
        following = await self._repository.next_due_at(list(self._kinds))
        if following is None:
            return self._recheck
        seconds = (following - self._clock.now()).total_seconds()
        # A due job we could not claim is locked by another replica's claim right now; a
        # short pause instead of spinning until that claim commits.
        return min(max(seconds, 0.05), self._recheck)
