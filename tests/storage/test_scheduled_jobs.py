"""SqlJobRepository on SQLite and PostgreSQL: scheduling, dedupe, atomic claims, leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.scheduling import Job, JobState, Recurrence, new_job
from storage.scheduled_jobs import SqlJobRepository
from tests.support.storage import migrated

NOW = datetime(2026, 3, 19, 8, 0, tzinfo=UTC)


@pytest.fixture
async def jobs(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlJobRepository(engine, writer)


def _job(minutes: float = 0, **changes) -> Job:
    changes.setdefault("payload", {"text": "svar KMD"})
    conversation = changes.pop("conversation_id", "19:room@thread.v2")
    kind = changes.pop("kind", "reminder")
    return new_job(kind, NOW + timedelta(minutes=minutes), conversation, now=NOW, **changes)


async def test_a_scheduled_job_reads_back_as_it_was_given(jobs):
    job = _job(
        30,
        owner_key="29:anne",
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=MO", "Europe/Copenhagen"),
        payload={"text": "hej", "n": 2},
    )
    stored = await jobs.schedule(job)
    assert stored == job
    assert await jobs.get(job.id) == job
    assert (await jobs.get(job.id)).due_at.tzinfo is not None
    assert await jobs.pending_for_owner("29:anne") == [job]
    assert await jobs.pending_for_conversation("19:room@thread.v2", kind="reminder") == [job]
    assert await jobs.pending_for_conversation("19:room@thread.v2", kind="poll.close") == []
    assert await jobs.next_due_at() == job.due_at


async def test_the_same_dedupe_key_updates_the_pending_job_instead_of_adding_one(jobs):
    first = await jobs.schedule(_job(60, dedupe_key="event-7:week"))
    for reload in range(3):
        again = await jobs.schedule(_job(90, dedupe_key="event-7:week", payload={"r": reload}))
        assert again.id == first.id
    pending = await jobs.pending_for_conversation("19:room@thread.v2")
    assert [(j.id, j.due_at, j.payload) for j in pending] == [
        (first.id, NOW + timedelta(minutes=90), {"r": 2})
    ]
    # Another kind may use the same key.
    other = await jobs.schedule(_job(60, kind="poll.close", dedupe_key="event-7:week"))
    assert other.id != first.id


async def test_a_finished_deduped_job_is_not_scheduled_again(jobs):
    job = await jobs.schedule(_job(0, dedupe_key="event-7:day"))
    [claimed] = await jobs.claim_due(NOW, 10, 60, "w1")
    assert await jobs.complete(claimed.id, "w1", NOW)
    again = await jobs.schedule(_job(10, dedupe_key="event-7:day"))
    assert again.id == job.id and again.state is JobState.DONE
    assert await jobs.pending_for_conversation("19:room@thread.v2") == []


async def test_concurrent_schedules_with_one_key_leave_one_row(jobs):
    stored = await asyncio.gather(*(jobs.schedule(_job(5, dedupe_key="k")) for _ in range(20)))
    assert len({job.id for job in stored}) == 1
    assert len(await jobs.pending_for_conversation("19:room@thread.v2")) == 1


async def test_cancel_returns_the_job_once_and_only_while_it_is_to_come(jobs):
    job = await jobs.schedule(_job(5, owner_key="29:anne"))
    cancelled = await jobs.cancel(job.id, NOW)
    assert cancelled is not None and cancelled.state is JobState.CANCELLED
    assert cancelled.owner_key == "29:anne"  # the caller checks who may cancel
    assert await jobs.cancel(job.id, NOW) is None
    assert await jobs.cancel("no-such-job", NOW) is None
    assert await jobs.pending_for_owner("29:anne") == []
    assert await jobs.claim_due(NOW + timedelta(hours=1), 10, 60, "w1") == []


async def test_cancel_by_dedupe_key(jobs):
    job = await jobs.schedule(_job(5, dedupe_key="poll-1"))
    assert (await jobs.cancel_dedupe("reminder", "poll-1", NOW)).id == job.id
    assert await jobs.cancel_dedupe("reminder", "poll-1", NOW) is None


async def test_claims_take_only_due_jobs_oldest_first_and_count_attempts(jobs):
    later = await jobs.schedule(_job(10))
    first = await jobs.schedule(_job(-5))
    second = await jobs.schedule(_job(0))
    claimed = await jobs.claim_due(NOW, 10, 60, "w1")
    assert [j.id for j in claimed] == [first.id, second.id]
    assert all(j.state is JobState.CLAIMED and j.attempts == 1 for j in claimed)
    assert claimed[0].claimed_at == NOW and claimed[0].lateness == timedelta(minutes=5)
    assert await jobs.claim_due(NOW, 10, 60, "w2") == []
    # The next moment work could appear: the pending job, or the earliest lease running out.
    assert await jobs.next_due_at() == NOW + timedelta(minutes=1)
    assert await jobs.next_due_at(kinds=["poll.close"]) is None
    assert [j.id for j in await jobs.claim_due(NOW + timedelta(minutes=10), 1, 60, "w2")] == [
        first.id  # its lease ran out first (due before `later`)
    ]
    assert later.id not in [j.id for j in await jobs.claim_due(NOW, 10, 60, "w3")]


async def test_claims_only_the_kinds_asked_for(jobs):
    await jobs.schedule(_job(0, kind="breakout.end"))
    reminder = await jobs.schedule(_job(0))
    assert [j.id for j in await jobs.claim_due(NOW, 10, 60, "w1", kinds=["reminder"])] == [
        reminder.id
    ]


async def test_an_expired_lease_is_taken_over_and_the_old_owner_cannot_record(jobs):
    job = await jobs.schedule(_job(0))
    assert len(await jobs.claim_due(NOW, 10, 30, "dead-worker")) == 1
    assert await jobs.claim_due(NOW + timedelta(seconds=29), 10, 30, "w2") == []
    [taken] = await jobs.claim_due(NOW + timedelta(seconds=30), 10, 30, "w2")
    assert taken.id == job.id and taken.attempts == 2
    assert not await jobs.complete(job.id, "dead-worker", NOW)
    assert not await jobs.retry(job.id, "dead-worker", NOW, NOW, "x")
    assert not await jobs.fail(job.id, "dead-worker", NOW, "x")
    assert await jobs.complete(job.id, "w2", NOW + timedelta(seconds=31), activity_id="a-1")
    assert (await jobs.get(job.id)).state is JobState.DONE
    assert await jobs.next_due_at() is None


async def test_retry_moves_the_due_time_but_not_the_intended_time(jobs):
    job = await jobs.schedule(_job(0))
    await jobs.claim_due(NOW, 10, 60, "w1")
    assert await jobs.retry(job.id, "w1", NOW, NOW + timedelta(seconds=30), "connector: 429")
    again = await jobs.get(job.id)
    assert again.state is JobState.PENDING and again.last_error == "connector: 429"
    assert again.due_at == NOW + timedelta(seconds=30) and again.occurrence_at == NOW
    assert await jobs.claim_due(NOW + timedelta(seconds=29), 10, 60, "w1") == []
    [claimed] = await jobs.claim_due(NOW + timedelta(seconds=30), 10, 60, "w1")
    assert claimed.attempts == 2 and claimed.late_by(NOW + timedelta(seconds=30)).seconds == 30


async def test_a_failure_records_its_reason_and_is_never_claimed_again(jobs):
    job = await jobs.schedule(_job(0))
    await jobs.claim_due(NOW, 10, 60, "w1")
    assert await jobs.fail(job.id, "w1", NOW, "send: connector answered 403" + "x" * 2000)
    failed = await jobs.get(job.id)
    assert failed.state is JobState.FAILED and failed.last_error.startswith("send: connector")
    assert len(failed.last_error) == 1000
    assert await jobs.claim_due(NOW + timedelta(days=1), 10, 60, "w2") == []


async def test_the_next_occurrence_is_stored_with_the_send_and_inherits_the_key(jobs):
    weekly = Recurrence("FREQ=WEEKLY", "Europe/Copenhagen")
    job = await jobs.schedule(_job(0, recurrence=weekly, dedupe_key="weekly-standup"))
    await jobs.claim_due(NOW, 10, 60, "w1")
    next_week = NOW + timedelta(days=7)
    assert await jobs.complete(job.id, "w1", NOW, next_due=next_week)
    done = await jobs.get(job.id)
    assert done.state is JobState.DONE and done.dedupe_key is None
    [following] = await jobs.pending_for_conversation("19:room@thread.v2")
    assert following.id != job.id and following.due_at == next_week
    assert (following.recurrence, following.payload) == (weekly, job.payload)
    assert following.dedupe_key == "weekly-standup" and following.attempts == 0
    # Re-scheduling with the key now moves the next occurrence, not the finished one.
    moved = await jobs.schedule(_job(60 * 24 * 8, recurrence=weekly, dedupe_key="weekly-standup"))
    assert moved.id == following.id


async def test_no_next_occurrence_when_the_send_could_not_be_recorded(jobs):
    job = await jobs.schedule(_job(0, recurrence=Recurrence("FREQ=DAILY")))
    await jobs.claim_due(NOW, 10, 1, "w1")
    await jobs.claim_due(NOW + timedelta(seconds=1), 10, 60, "w2")  # took over
    assert not await jobs.complete(job.id, "w1", NOW, next_due=NOW + timedelta(days=1))
    assert [j.id for j in await jobs.pending_for_conversation("19:room@thread.v2")] == [job.id]


async def test_release_gives_claims_back_without_counting_them(jobs):
    job = await jobs.schedule(_job(0))
    await jobs.claim_due(NOW, 10, 60, "w1")
    assert await jobs.release([job.id], "someone-else", NOW) == 0
    assert await jobs.release([job.id], "w1", NOW) == 1
    released = await jobs.get(job.id)
    assert released.state is JobState.PENDING and released.attempts == 0
    assert [j.id for j in await jobs.claim_due(NOW, 10, 60, "w2")] == [job.id]


async def test_two_engines_claiming_the_same_200_due_jobs_take_each_exactly_once(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("two writers on one database: the PostgreSQL deployment")
    async with (
        migrated(database_url) as (engine_a, writer_a),
        migrated(database_url) as (engine_b, writer_b),
    ):
        first = SqlJobRepository(engine_a, writer_a)
        second = SqlJobRepository(engine_b, writer_b)
        ids = {(await first.schedule(_job(-1, conversation_id=f"c{n % 7}"))).id for n in range(200)}

        async def claimer(repository: SqlJobRepository, worker: str) -> list[str]:
            taken: list[str] = []
            while batch := await repository.claim_due(NOW, 7, 60, worker):
                taken += [j.id for j in batch]
            return taken

        results = await asyncio.gather(
            *(
                claimer(repo, f"{name}{n}")
                for n in range(4)
                for name, repo in (("a", first), ("b", second))
            )
        )
    everything = [job_id for taken in results for job_id in taken]
    assert len(everything) == len(set(everything)) == 200
    assert set(everything) == ids
    assert sum(1 for taken in results if taken) > 1  # they really competed


async def test_the_migration_creates_what_the_table_describes_and_goes_back(database_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, inspect

    from storage.migrate import alembic_config
    from storage.tables import metadata

    ours = MetaData()
    metadata.tables["scheduled_jobs"].to_metadata(ours)

    def differences(connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [
            d
            for d in compare_metadata(context, ours)
            if d[0] != "remove_table" and _table_of(d) == "scheduled_jobs"
        ]

    def downgrade(connection) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_scheduled_jobs-1")
        return set(inspect(connection).get_table_names())

    async with migrated(database_url) as (engine, _):
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
        async with engine.begin() as connection:
            remaining = await connection.run_sync(downgrade)
    assert "scheduled_jobs" not in remaining
    assert "conversations" in remaining


def _table_of(difference) -> str | None:
    item = difference[1] if len(difference) > 1 else None
    table = getattr(item, "table", None)
    return getattr(table, "name", None) or getattr(item, "name", None)
