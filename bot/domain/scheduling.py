"""Durable jobs: the job model, the outcomes a handler reports, back-off, and the storage port."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.domain.random_ids import RandomIds

_IDS = RandomIds()


class JobState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"
    MISSED = "missed"  # found too late to be worth sending (see Scheduler max_lateness)
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Recurrence:
    """An RFC 5545 rule and the zone its wall-clock times are in; computed by the kind's owner."""

    rule: str
    timezone: str = "Europe/Copenhagen"


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    due_at: datetime  # when the next attempt may run; retries move it
    conversation_id: str
    created_at: datetime
    owner_key: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    recurrence: Recurrence | None = None
    dedupe_key: str | None = None
    state: JobState = JobState.PENDING
    attempts: int = 0  # claims so far, including the one running now
    last_error: str | None = None
    # When this occurrence was meant to go out; unlike due_at, retries leave it alone.
    intended_at: datetime | None = None
    claimed_at: datetime | None = None

    @property
    def occurrence_at(self) -> datetime:
        return self.intended_at or self.due_at

    @property
    def lateness(self) -> timedelta:
        """How late this run is: from the intended time to its claim (zero before a claim)."""
        return self.late_by(self.claimed_at) if self.claimed_at else timedelta(0)

    def late_by(self, now: datetime) -> timedelta:
        """How late a send at `now` is against the intended time (never negative)."""
        return max(now - self.occurrence_at, timedelta(0))


def new_job(
    kind: str,
    due_at: datetime,
    conversation_id: str,
    *,
    now: datetime,
    owner_key: str | None = None,
    payload: dict[str, Any] | None = None,
    recurrence: Recurrence | None = None,
    dedupe_key: str | None = None,
) -> Job:
    if due_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("job times must be timezone-aware")
    return Job(
        id=_IDS.new(),
        kind=kind,
        due_at=due_at,
        intended_at=due_at,
        conversation_id=conversation_id,
        created_at=now,
        owner_key=owner_key,
        payload=dict(payload or {}),
        recurrence=recurrence,
        dedupe_key=dedupe_key,
    )


# --- what a handler reports ---------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """Sent. `next_due` (recurring) is stored in the transaction that records the send."""

    next_due: datetime | None = None
    activity_id: str | None = None


class DeliveryGone(Exception):
    """Can never succeed (bot removed, conversation gone, message refused): fail, no retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(Exception):
    """Transient (throttled, connector trouble): try again, not sooner than `after_seconds`."""

    def __init__(self, after_seconds: float | None = None, reason: str = "retry later") -> None:
        super().__init__(reason)
        self.after_seconds = after_seconds
        self.reason = reason


@dataclass(frozen=True)
class BackoffPolicy:
    """Exponential back-off with equal jitter (never a zero wait), capped, with a last attempt."""

    base_seconds: float = 30.0
    max_seconds: float = 3600.0
    max_attempts: int = 8

    def delay(
        self, attempt: int, retry_after: float | None, rng: Callable[[], float] = random.random
    ) -> float:
        """Seconds to wait after the `attempt`-th (1-based) failure; Retry-After is a floor."""
        step = min(self.max_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        wait = step / 2 + rng() * step / 2
        if retry_after is not None and retry_after > wait:
            wait = retry_after
        return min(wait, self.max_seconds)

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


# --- the port -----------------------------------------------------------------------------


class JobRepository(Protocol):
    async def schedule(self, job: Job) -> Job:
        """Insert; with a dedupe_key, a pending job of that kind and key is updated instead
        (due time, payload, target), and a finished one is left alone. Returns what is stored."""
        ...

    async def get(self, job_id: str) -> Job | None: ...

    async def cancel(self, job_id: str, now: datetime) -> Job | None:
        """Cancel a pending (or claimed) job; the cancelled job, or None if there was none."""
        ...

    async def cancel_dedupe(self, kind: str, dedupe_key: str, now: datetime) -> Job | None: ...

    async def pending_for_conversation(
        self, conversation_id: str, kind: str | None = None
    ) -> list[Job]: ...

    async def pending_for_owner(self, owner_key: str, kind: str | None = None) -> list[Job]: ...

    async def next_due_at(self, kinds: Sequence[str] | None = None) -> datetime | None:
        """The earliest time a claim could find work: a pending job or an expiring lease."""
        ...

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_seconds: float,
        worker_id: str,
        kinds: Sequence[str] | None = None,
    ) -> list[Job]:
        """Atomically claim up to `limit` due jobs (or jobs whose lease expired), oldest first;
        only of `kinds` when given (a replica claims only what it has handlers for)."""
        ...

    async def complete(
        self,
        job_id: str,
        worker_id: str,
        now: datetime,
        *,
        next_due: datetime | None = None,
        activity_id: str | None = None,
    ) -> bool:
        """Done; with `next_due`, the next occurrence is inserted in the same transaction.
        False when the lease is no longer ours (another worker took the job over)."""
        ...

    async def fail(
        self,
        job_id: str,
        worker_id: str,
        now: datetime,
        reason: str,
        *,
        state: JobState = JobState.FAILED,
        next_due: datetime | None = None,
    ) -> bool: ...

    async def retry(
        self, job_id: str, worker_id: str, now: datetime, due_at: datetime, reason: str
    ) -> bool: ...

    async def release(self, job_ids: Sequence[str], worker_id: str, now: datetime) -> int:
        """Give claims back unrun (shutdown): pending again, the claim not counted."""
        ...
