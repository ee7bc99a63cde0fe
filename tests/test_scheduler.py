"""Scheduler: every dispatcher rule with tick() and a fixed clock; the loop with bounded waits."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.clock import FixedClock
from bot.domain.scheduling import (
    BackoffPolicy,
    Delivered,
    DeliveryGone,
    Job,
    JobState,
    Recurrence,
    RetryLater,
    new_job,
)
from bot.scheduler import Scheduler
from storage.scheduled_jobs import SqlJobRepository
from tests.support.storage import migrated

NOW = datetime(2026, 3, 19, 8, 0, tzinfo=UTC)


class CountingRepository:
    """The real repository, counting the calls the scheduler makes (to see it does not spin)."""

    def __init__(self, inner: SqlJobRepository) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str):
        method = getattr(self.inner, name)

        async def counted(*args, **kwargs):
            self.calls[name] += 1
            return await method(*args, **kwargs)

        return counted


@pytest.fixture
async def jobs(tmp_path):
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}") as (engine, writer):
        yield CountingRepository(SqlJobRepository(engine, writer))


@pytest.fixture
def clock():
    return FixedClock(NOW)


def _scheduler(jobs, clock, **options) -> Scheduler:
    options.setdefault("rng", lambda: 0.5)
    return Scheduler(jobs, clock, **options)


def _job(minutes: float = 0, conversation: str = "c1", **changes) -> Job:
    kind = changes.pop("kind", "reminder")
    return new_job(kind, NOW + timedelta(minutes=minutes), conversation, now=NOW, **changes)


class Recorder:
    """A handler that records the jobs it got, and answers with the outcomes it was given."""

    def __init__(self, *outcomes) -> None:
        self.seen: list[Job] = []
        self._outcomes = list(outcomes)

    async def __call__(self, job: Job) -> Delivered | None:
        self.seen.append(job)
        outcome = self._outcomes.pop(0) if self._outcomes else Delivered()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


async def test_a_due_job_runs_once_and_is_recorded_done(jobs, clock):
    handler = Recorder(Delivered(activity_id="a-1"))
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", handler)
    job = await jobs.schedule(_job(0))
    await jobs.schedule(_job(5))  # not due yet
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0
    assert [seen.id for seen in handler.seen] == [job.id]
    assert (await jobs.get(job.id)).state is JobState.DONE
    assert scheduler.outcomes["delivered"] == 1


async def test_a_job_found_late_runs_once_and_the_handler_sees_how_late(jobs, clock):
    handler = Recorder()
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", handler, max_lateness=timedelta(hours=12))
    await jobs.schedule(_job(0))
    clock.advance(hours=3)  # the bot was down at 8.00
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0
    [seen] = handler.seen
    assert seen.lateness == timedelta(hours=3) and seen.occurrence_at == NOW


async def test_a_job_older_than_the_limit_is_recorded_missed_and_not_sent(jobs, clock):
    handler = Recorder()
    scheduler = _scheduler(jobs, clock)
    daily = Recurrence("FREQ=DAILY")
    scheduler.register(
        "reminder",
        handler,
        max_lateness=timedelta(hours=12),
        next_due=lambda job, after: job.occurrence_at + timedelta(days=3),
    )
    job = await jobs.schedule(_job(0, recurrence=daily))
    clock.advance(days=2)
    assert await scheduler.tick() == 1
    assert handler.seen == []
    missed = await jobs.get(job.id)
    assert missed.state is JobState.MISSED and "missed" in missed.last_error
    # A recurring job goes on with its next occurrence.
    [following] = await jobs.pending_for_conversation("c1")
    assert following.due_at == NOW + timedelta(days=3)


async def test_retry_later_waits_at_least_retry_after_then_gives_up(jobs, clock):
    backoff = BackoffPolicy(base_seconds=10, max_seconds=600, max_attempts=3)
    handler = Recorder(*(RetryLater(120, "send: connector answered 429") for _ in range(3)))
    scheduler = _scheduler(jobs, clock, backoff=backoff)
    scheduler.register("reminder", handler)
    job = await jobs.schedule(_job(0))
    assert await scheduler.tick() == 1
    retried = await jobs.get(job.id)
    assert retried.state is JobState.PENDING and retried.due_at == NOW + timedelta(seconds=120)
    assert retried.last_error == "send: connector answered 429"
    clock.advance(seconds=119)
    assert await scheduler.tick() == 0  # Retry-After is honoured
    clock.advance(seconds=1)
    assert await scheduler.tick() == 1
    clock.advance(seconds=120)
    assert await scheduler.tick() == 1
    failed = await jobs.get(job.id)
    assert failed.state is JobState.FAILED and failed.attempts == 3
    assert failed.last_error == "gave up after 3 attempts: send: connector answered 429"
    clock.advance(days=1)
    assert await scheduler.tick() == 0


async def test_without_retry_after_the_wait_grows(jobs, clock):
    backoff = BackoffPolicy(base_seconds=10, max_seconds=600, max_attempts=5)
    scheduler = _scheduler(jobs, clock, backoff=backoff)
    scheduler.register("reminder", Recorder(*(RetryLater(None, "503") for _ in range(4))))
    job = await jobs.schedule(_job(0))
    waits = []
    for _ in range(4):
        assert await scheduler.tick() == 1
        stored = await jobs.get(job.id)
        waits.append((stored.due_at - clock.now()).total_seconds())
        clock.set(stored.due_at)
    assert waits == [7.5, 15.0, 30.0, 60.0]  # rng 0.5: three quarters of 10·2^n


def test_the_backoff_policy():
    policy = BackoffPolicy(base_seconds=30, max_seconds=3600, max_attempts=8)
    assert [policy.delay(n, None, lambda: 0.0) for n in (1, 2, 3)] == [15.0, 30.0, 60.0]
    assert [policy.delay(n, None, lambda: 1.0) for n in (1, 2, 3)] == [30.0, 60.0, 120.0]
    assert policy.delay(20, None, lambda: 1.0) == 3600.0  # capped
    assert policy.delay(1, 300.0, lambda: 0.0) == 300.0  # Retry-After is a floor
    assert policy.delay(5, 1.0, lambda: 0.0) == 240.0  # …not a ceiling
    assert policy.delay(1, 86_400.0, lambda: 0.0) == 3600.0
    assert not policy.gives_up(7) and policy.gives_up(8)


async def test_gone_fails_with_the_reason_and_is_not_retried(jobs, clock):
    handler = Recorder(DeliveryGone("send: connector answered 403"))
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", handler)
    job = await jobs.schedule(_job(0, recurrence=Recurrence("FREQ=DAILY")))
    assert await scheduler.tick() == 1
    clock.advance(days=2)
    assert await scheduler.tick() == 0
    gone = await jobs.get(job.id)
    assert (gone.state, gone.last_error) == (JobState.FAILED, "send: connector answered 403")
    assert await jobs.pending_for_conversation("c1") == []  # bot removed: no next occurrence


async def test_a_crashing_handler_is_retried_and_does_not_stop_the_others(jobs, clock):
    handler = Recorder(ValueError("bug"), Delivered())
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", handler)
    bad = await jobs.schedule(_job(-1, conversation="c1"))
    good = await jobs.schedule(_job(0, conversation="c2"))
    assert await scheduler.tick() == 2
    assert (await jobs.get(good.id)).state is JobState.DONE
    crashed = await jobs.get(bad.id)
    assert crashed.state is JobState.PENDING and crashed.last_error == "ValueError: bug"


async def test_the_loop_survives_a_crashing_handler(jobs, clock):
    delivered = asyncio.Event()

    async def handler(job: Job) -> Delivered:
        if job.payload.get("bad"):
            raise RuntimeError("boom")
        delivered.set()
        return Delivered()

    scheduler = _scheduler(jobs, clock, recheck_seconds=60)
    scheduler.register("reminder", handler)
    await scheduler.schedule(_job(0, payload={"bad": True}))
    scheduler.start()
    try:
        await scheduler.schedule(_job(0, conversation="c2"))
        await asyncio.wait_for(delivered.wait(), 10)
        assert scheduler.running
    finally:
        await scheduler.stop()


async def test_recurring_next_occurrence_from_the_handler_or_the_kind(jobs, clock):
    weekly = Recurrence("FREQ=WEEKLY")
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", Recorder(Delivered(next_due=NOW + timedelta(days=7))))
    scheduler.register("standup", Recorder(), next_due=lambda job, after: after + timedelta(days=1))
    await jobs.schedule(_job(0, recurrence=weekly))
    await jobs.schedule(_job(0, conversation="c2", kind="standup", recurrence=weekly))
    clock.advance(hours=1)
    assert await scheduler.tick() == 2
    [reminder] = await jobs.pending_for_conversation("c1")
    [standup] = await jobs.pending_for_conversation("c2")
    assert reminder.due_at == NOW + timedelta(days=7)
    # After now, not after the (late) intended time: one catch-up, not a burst.
    assert standup.due_at == NOW + timedelta(days=1, hours=1)


async def test_one_conversation_in_order_others_side_by_side(jobs, clock):
    running: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    order: list[str] = []
    both_conversations = asyncio.Event()

    async def handler(job: Job) -> Delivered:
        running[job.conversation_id] += 1
        peak[job.conversation_id] = max(peak[job.conversation_id], running[job.conversation_id])
        order.append(job.payload["n"])
        if len([c for c, n in running.items() if n]) == 2:
            both_conversations.set()
        await asyncio.wait_for(both_conversations.wait(), 5)
        running[job.conversation_id] -= 1
        return Delivered()

    scheduler = _scheduler(jobs, clock, concurrency=4)
    scheduler.register("reminder", handler)
    for n in range(5):
        await jobs.schedule(_job(n - 10, conversation="c1", payload={"n": f"a{n}"}))
        await jobs.schedule(_job(n - 10, conversation="c2", payload={"n": f"b{n}"}))
    assert await scheduler.tick() == 10
    assert peak == {"c1": 1, "c2": 1}
    assert [n for n in order if n.startswith("a")] == ["a0", "a1", "a2", "a3", "a4"]


async def test_unregistered_kinds_are_left_for_a_replica_that_knows_them(jobs, clock):
    scheduler = _scheduler(jobs, clock)
    scheduler.register("reminder", Recorder())
    other = await jobs.schedule(_job(0, kind="breakout.end"))
    assert await scheduler.tick() == 0
    assert (await jobs.get(other.id)).state is JobState.PENDING


async def test_it_sleeps_without_polling_and_a_sooner_job_wakes_it(jobs, clock):
    handler = Recorder()
    scheduler = _scheduler(jobs, clock, recheck_seconds=60)
    scheduler.register("reminder", handler)
    await jobs.schedule(_job(30))  # due in half an hour: the loop sleeps until then
    scheduler.start()
    try:
        await _until(lambda: jobs.calls["next_due_at"] >= 1)
        await asyncio.sleep(0.3)
        assert jobs.calls["claim_due"] == 1 and jobs.calls["next_due_at"] == 1
        sooner = await scheduler.schedule(_job(0))
        await _until(lambda: len(handler.seen) == 1)
        assert handler.seen[0].id == sooner.id
        # A job due later than the planned wake-up does not wake it.
        claims = jobs.calls["claim_due"]
        await _until(lambda: jobs.calls["next_due_at"] >= 2)
        await scheduler.schedule(_job(45))
        await asyncio.sleep(0.3)
        assert jobs.calls["claim_due"] == claims
    finally:
        await scheduler.stop()


async def test_stop_waits_for_running_handlers(jobs, clock):
    started, release = asyncio.Event(), asyncio.Event()

    async def handler(job: Job) -> Delivered:
        started.set()
        await release.wait()
        return Delivered()

    scheduler = _scheduler(jobs, clock, stop_timeout=10)
    scheduler.register("reminder", handler)
    job = await scheduler.schedule(_job(0))
    scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    stopping = asyncio.create_task(scheduler.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert (await jobs.get(job.id)).state is JobState.DONE
    assert not scheduler.running


async def test_stop_gives_back_what_it_could_not_finish(jobs, clock):
    started = asyncio.Event()

    async def hangs(job: Job) -> Delivered:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    scheduler = _scheduler(jobs, clock, stop_timeout=0.2, concurrency=1)
    scheduler.register("reminder", hangs)
    stuck = await scheduler.schedule(_job(-1))
    queued = await scheduler.schedule(_job(0))  # same conversation: waits behind `stuck`
    scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    await asyncio.wait_for(scheduler.stop(), 10)
    for job_id in (stuck.id, queued.id):
        released = await jobs.get(job_id)
        assert (released.state, released.attempts) == (JobState.PENDING, 0)


async def test_a_job_claimed_again_and_again_without_outcome_is_given_up(jobs, clock):
    handler = Recorder()
    scheduler = _scheduler(jobs, clock, backoff=BackoffPolicy(max_attempts=2))
    scheduler.register("reminder", handler)
    job = await jobs.schedule(_job(0))
    for _ in range(2):  # two workers died holding it
        await jobs.claim_due(clock.now(), 10, 60, "dead")
        clock.advance(seconds=61)
    assert await scheduler.tick() == 1
    assert handler.seen == []
    assert (await jobs.get(job.id)).state is JobState.FAILED


async def test_two_schedulers_on_postgresql_deliver_100_jobs_exactly_once(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database")
    clock = FixedClock(NOW)
    delivered: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()

    def handler_for(name: str):
        async def handler(job: Job) -> Delivered:
            delivered[job.id] += 1
            by_worker[name] += 1
            await asyncio.sleep(0)
            return Delivered()

        return handler

    async with (
        migrated(database_url) as (engine_a, writer_a),
        migrated(database_url) as (engine_b, writer_b),
    ):
        first = Scheduler(SqlJobRepository(engine_a, writer_a), clock, batch_size=10)
        second = Scheduler(SqlJobRepository(engine_b, writer_b), clock, batch_size=10)
        first.register("reminder", handler_for("a"))
        second.register("reminder", handler_for("b"))
        repository = SqlJobRepository(engine_a, writer_a)
        ids = [(await repository.schedule(_job(-1, f"c{n % 10}"))).id for n in range(100)]
        first.start()
        second.start()
        try:
            await _until(lambda: len(delivered) == 100, seconds=60)
        finally:
            await asyncio.gather(first.stop(), second.stop())
        states = {(await repository.get(job_id)).state for job_id in ids}
    assert set(delivered) == set(ids) and set(delivered.values()) == {1}
    assert states == {JobState.DONE}
    assert sum(by_worker.values()) == 100


async def _until(condition, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - the state is the code under test's
            await asyncio.sleep(0.01)
