"""SqlJobRepository: the scheduler's rows — schedule, claim atomically, record outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, and_, case, func, or_, select, update

from bot.domain.random_ids import RandomIds
from bot.domain.scheduling import Job, JobState, Recurrence
from storage.repository import SqlRepository
from storage.tables import as_utc, scheduled_jobs
from storage.upsert import insert_for

_T = scheduled_jobs
_ERROR_CHARS = 1000
# What a re-schedule with the same dedupe key may change while the job is still pending.
_RESCHEDULED = (
    "due_at",
    "intended_at",
    "conversation_id",
    "owner_key",
    "payload",
    "rrule",
    "timezone",
    "updated_at",
)


class SqlJobRepository(SqlRepository):
    """Writes go through the BatchWriter. A claim is one statement: on PostgreSQL an UPDATE
    over the rows a `SELECT … FOR UPDATE SKIP LOCKED` picked, so replicas claiming together
    take different rows without waiting; on SQLite one conditional UPDATE (a write statement
    takes the write lock before it reads). Outcomes are recorded only while the claim is ours
    (`claimed_by`), so a worker whose lease was taken over cannot overwrite the new result."""

    _ids = RandomIds()

    async def schedule(self, job: Job) -> Job:
        row = _row(job)

        def work(connection: Connection) -> Job:
            if job.dedupe_key is None:
                connection.execute(_T.insert().values(row))
                return _job(row)
            insert = insert_for(connection.dialect.name, _T).values(row)
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=["kind", "dedupe_key"],
                    set_={name: insert.excluded[name] for name in _RESCHEDULED},
                    where=_T.c.state == JobState.PENDING.value,
                )
            )
            stored = connection.execute(
                select(_T).where(_T.c.kind == job.kind, _T.c.dedupe_key == job.dedupe_key)
            )
            return _job(stored.mappings().one())

        return await self._writer.run(work)

    async def get(self, job_id: str) -> Job | None:
        found = await self._select(_T.c.id == job_id)
        return found[0] if found else None

    async def cancel(self, job_id: str, now: datetime) -> Job | None:
        return await self._cancel(_T.c.id == job_id, now)

    async def cancel_dedupe(self, kind: str, dedupe_key: str, now: datetime) -> Job | None:
        return await self._cancel(and_(_T.c.kind == kind, _T.c.dedupe_key == dedupe_key), now)

    async def _cancel(self, which: ColumnElement[bool], now: datetime) -> Job | None:
        live = _T.c.state.in_([JobState.PENDING.value, JobState.CLAIMED.value])

        def work(connection: Connection) -> RowMapping | None:
            result = connection.execute(
                update(_T)
                .where(which, live)
                .values(state=JobState.CANCELLED.value, updated_at=now, finished_at=now)
                .returning(*_T.c)
            )
            return result.mappings().first()

        found = await self._writer.run(work)
        return _job(found) if found is not None else None

    async def pending_for_conversation(
        self, conversation_id: str, kind: str | None = None
    ) -> list[Job]:
        return await self._pending(_T.c.conversation_id == conversation_id, kind)

    async def pending_for_owner(self, owner_key: str, kind: str | None = None) -> list[Job]:
        return await self._pending(_T.c.owner_key == owner_key, kind)

    async def _pending(self, which: ColumnElement[bool], kind: str | None) -> list[Job]:
        # A claimed job is still to come as far as a user listing reminders is concerned.
        conditions = [which, _T.c.state.in_([JobState.PENDING.value, JobState.CLAIMED.value])]
        if kind is not None:
            conditions.append(_T.c.kind == kind)
        return await self._select(*conditions)

    async def _select(self, *conditions: ColumnElement[bool]) -> list[Job]:
        query = select(_T).where(*conditions).order_by(_T.c.due_at, _T.c.id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_job(row) for row in rows]

    async def next_due_at(self, kinds: Sequence[str] | None = None) -> datetime | None:
        of_kinds = _of_kinds(kinds)
        pending = select(func.min(_T.c.due_at)).where(
            _T.c.state == JobState.PENDING.value, *of_kinds
        )
        leases = select(func.min(_T.c.lease_until)).where(
            _T.c.state == JobState.CLAIMED.value, *of_kinds
        )
        async with self._engine.connect() as connection:
            times = [await connection.scalar(pending), await connection.scalar(leases)]
        # Aggregates bypass the column type on SQLite: read back as text or naive.
        known = [_aware(t) for t in times if t is not None]
        return min(known) if known else None

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_seconds: float,
        worker_id: str,
        kinds: Sequence[str] | None = None,
    ) -> list[Job]:
        due = or_(
            and_(_T.c.state == JobState.PENDING.value, _T.c.due_at <= now),
            and_(_T.c.state == JobState.CLAIMED.value, _T.c.lease_until <= now),
        )
        values = {
            "state": JobState.CLAIMED.value,
            "claimed_by": worker_id,
            "claimed_at": now,
            "lease_until": now + timedelta(seconds=lease_seconds),
            "attempts": _T.c.attempts + 1,
            "updated_at": now,
        }

        def work(connection: Connection) -> list[RowMapping]:
            picked = (
                select(_T.c.id)
                .where(due, *_of_kinds(kinds))
                .order_by(_T.c.due_at, _T.c.id)
                .limit(limit)
            )
            if connection.dialect.name == "postgresql":
                # Materialized: evaluated exactly once. As a plain subquery the planner may run
                # it again per row, and each run would lock and claim further rows.
                locked = picked.with_for_update(skip_locked=True).cte("picked")
                locked = locked.prefix_with("MATERIALIZED")
                chosen: ColumnElement[bool] = _T.c.id == locked.c.id
            else:
                chosen = _T.c.id.in_(picked.scalar_subquery())
            statement = update(_T).where(chosen, due).values(values).returning(*_T.c)
            return list(connection.execute(statement).mappings().all())

        rows = await self._writer.run(work)
        return sorted((_job(row) for row in rows), key=lambda j: (j.due_at, j.id))

    async def complete(
        self,
        job_id: str,
        worker_id: str,
        now: datetime,
        *,
        next_due: datetime | None = None,
        activity_id: str | None = None,
    ) -> bool:
        done = {"state": JobState.DONE.value, "activity_id": activity_id, "last_error": None}
        return await self._finish(job_id, worker_id, now, done, next_due)

    async def fail(
        self,
        job_id: str,
        worker_id: str,
        now: datetime,
        reason: str,
        *,
        state: JobState = JobState.FAILED,
        next_due: datetime | None = None,
    ) -> bool:
        failed = {"state": state.value, "last_error": reason[:_ERROR_CHARS]}
        return await self._finish(job_id, worker_id, now, failed, next_due)

    async def _finish(
        self,
        job_id: str,
        worker_id: str,
        now: datetime,
        values: dict[str, Any],
        next_due: datetime | None,
    ) -> bool:
        ended = {**values, "claimed_by": None, "lease_until": None, "updated_at": now}
        ended["finished_at"] = now
        if next_due is not None:
            # The key moves to the next occurrence, so re-scheduling finds that one.
            ended["dedupe_key"] = None
        next_id = self._ids.new()

        def work(connection: Connection) -> bool:
            ours = _ours(job_id, worker_id)
            # Read first: the next occurrence takes over the dedupe key the update clears.
            current = connection.execute(select(_T).where(ours)).mappings().first()
            if (
                current is None
                or connection.execute(update(_T).where(ours).values(ended)).rowcount != 1
            ):
                return False
            if next_due is not None:
                connection.execute(_T.insert().values(_next_row(current, next_id, next_due, now)))
            return True

        return await self._writer.run(work)

    async def retry(
        self, job_id: str, worker_id: str, now: datetime, due_at: datetime, reason: str
    ) -> bool:
        values = {
            "state": JobState.PENDING.value,
            "due_at": due_at,
            "last_error": reason[:_ERROR_CHARS],
            "claimed_by": None,
            "lease_until": None,
            "updated_at": now,
        }

        def work(connection: Connection) -> bool:
            result = connection.execute(update(_T).where(_ours(job_id, worker_id)).values(values))
            return result.rowcount == 1

        return await self._writer.run(work)

    async def release(self, job_ids: Sequence[str], worker_id: str, now: datetime) -> int:
        if not job_ids:
            return 0
        values = {
            "state": JobState.PENDING.value,
            "claimed_by": None,
            "lease_until": None,
            # The claim never ran the handler; it must not count towards giving up.
            "attempts": case((_T.c.attempts > 0, _T.c.attempts - 1), else_=0),
            "updated_at": now,
        }
        ours = and_(
            _T.c.id.in_(list(job_ids)),
            _T.c.state == JobState.CLAIMED.value,
            _T.c.claimed_by == worker_id,
        )

        def work(connection: Connection) -> int:
            return connection.execute(update(_T).where(ours).values(values)).rowcount

        return await self._writer.run(work)


def _of_kinds(kinds: Sequence[str] | None) -> list[ColumnElement[bool]]:
    return [] if kinds is None else [_T.c.kind.in_(list(kinds))]


def _ours(job_id: str, worker_id: str) -> ColumnElement[bool]:
    return and_(
        _T.c.id == job_id, _T.c.state == JobState.CLAIMED.value, _T.c.claimed_by == worker_id
    )


def _row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "due_at": job.due_at,
        "intended_at": job.intended_at or job.due_at,
        "conversation_id": job.conversation_id,
        "owner_key": job.owner_key,
        "payload": job.payload,
        "rrule": job.recurrence.rule if job.recurrence else None,
        "timezone": job.recurrence.timezone if job.recurrence else None,
        "state": JobState.PENDING.value,
        "attempts": 0,
        "last_error": None,
        "dedupe_key": job.dedupe_key,
        "claimed_at": None,
        "created_at": job.created_at,
        "updated_at": job.created_at,
    }


def _next_row(
    current: Mapping[Any, Any], job_id: str, due_at: datetime, now: datetime
) -> dict[str, Any]:
    copied = ("kind", "conversation_id", "owner_key", "payload", "rrule", "timezone")
    row = {name: current[name] for name in copied}
    row.update(
        id=job_id,
        dedupe_key=current["dedupe_key"],
        due_at=due_at,
        intended_at=due_at,
        state=JobState.PENDING.value,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    return row


def _job(row: Mapping[Any, Any]) -> Job:
    rule = row["rrule"]
    return Job(
        id=row["id"],
        kind=row["kind"],
        due_at=row["due_at"],
        intended_at=row["intended_at"],
        conversation_id=row["conversation_id"],
        created_at=row["created_at"],
        owner_key=row["owner_key"],
        payload=dict(row["payload"] or {}),
        recurrence=Recurrence(rule, row["timezone"] or "Europe/Copenhagen") if rule else None,
        dedupe_key=row["dedupe_key"],
        state=JobState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        claimed_at=row["claimed_at"],
    )


def _aware(value: datetime | str) -> datetime:
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)
