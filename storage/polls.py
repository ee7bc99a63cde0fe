"""SqlPollRepository: polls, one vote row per (poll, voter), card-update claims, settings.

Every write goes through the BatchWriter and is committed before the call returns. A vote is
one upsert on (poll_id, voter_key) that inserts only while the poll is open, in the same
statement; on PostgreSQL it holds a share lock on the poll's row, so a close waits for the
votes in flight and no vote is recorded once the close has committed. Tallies are counted
from the rows (`answers`), never kept as counters. Card updates are coordinated through the
poll's `card_dirty` / `card_updated_at` columns; the protocol is in bot/domain/polls/ports.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    String,
    bindparam,
    delete,
    literal_column,
    or_,
    select,
    update,
)

from bot.domain.polls import (
    MIN_CARD_INTERVAL,
    Answer,
    CardClaim,
    Poll,
    StoredVote,
    Voter,
    VoteResult,
    answer_from_json,
    answer_to_json,
    spec_from_json,
    spec_to_json,
)
from bot.domain.polls.model import PollState
from storage.repository import SqlRepository
from storage.tables import UtcDateTime, poll_settings, poll_votes, polls
from storage.upsert import insert_for

_VOTE_COLUMNS = ("poll_id", "voter_key", "voter_id", "voter_name", "answer", "voted_at")


class SqlPollRepository(SqlRepository):
    async def add(self, poll: Poll) -> None:
        await self._writer.insert(polls, _poll_row(poll))

    async def get(self, poll_id: str) -> Poll | None:
        found = await self._polls(polls.c.id == poll_id)
        return found[0] if found else None

    async def open_polls(self, conversation_id: str) -> list[Poll]:
        return await self._polls(
            polls.c.conversation_id == conversation_id, polls.c.state == "open"
        )

    async def latest_poll(self, conversation_id: str) -> Poll | None:
        """The conversation's most recently created poll, open or closed."""
        found = await self._polls(
            polls.c.conversation_id == conversation_id,
            order=polls.c.created_at.desc(),
            limit=1,
        )
        return found[0] if found else None

    async def polls_due_to_close(self, now: datetime, limit: int = 100) -> list[Poll]:
        """Open polls whose closing time has come (a fallback sweep beside the scheduler)."""
        return await self._polls(
            polls.c.state == "open", polls.c.closes_at <= now, order=polls.c.closes_at, limit=limit
        )

    async def previous_evaluations(
        self, conversation_id: str, template_id: str, before: datetime, limit: int = 4
    ) -> list[Poll]:
        """Closed polls of the template in the conversation before `before`, newest first."""
        return await self._polls(
            polls.c.conversation_id == conversation_id,
            polls.c.template_id == template_id,
            polls.c.state == "closed",
            polls.c.closed_at < before,
            order=polls.c.closed_at.desc(),
            limit=limit,
        )

    async def record_vote(
        self, poll_id: str, voter: Voter, answer: Answer, now: datetime
    ) -> VoteResult:
        """Where a vote is recorded: insert or replace this voter's row, if the poll is open."""
        values = {
            "p_poll": poll_id,
            "p_key": voter.key,
            "p_voter_id": voter.user_id,
            "p_voter_name": voter.name,
            "p_answer": answer_to_json(answer),
            "p_now": now,
        }

        def work(connection: Connection) -> VoteResult:
            statements = _vote_statements(connection.dialect.name)
            before = None
            if statements.before is not None:
                before = connection.execute(statements.before, values).scalar()
            # Marked dirty before the share lock is taken, so a transaction never upgrades it.
            connection.execute(statements.mark_dirty, values)
            stored = connection.execute(statements.store, values).first()
            if stored is None:
                return VoteResult("closed")
            if statements.before is None:
                before = stored[0]
            previous = answer_from_json(before) if before is not None else None
            if previous is None:
                return VoteResult("new")
            return VoteResult("same" if previous == answer else "changed", previous)

        return await self._writer.run(work)

    async def answers(self, poll_id: str) -> list[Answer]:
        query = select(poll_votes.c.answer).where(poll_votes.c.poll_id == poll_id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).scalars().all()
        return [answer_from_json(row) for row in rows]

    async def votes(self, poll_id: str) -> list[StoredVote]:
        """All votes of a poll for export, oldest first (no identity in anonymous polls)."""
        query = (
            select(poll_votes)
            .where(poll_votes.c.poll_id == poll_id)
            .order_by(poll_votes.c.voted_at, poll_votes.c.voter_key)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [
            StoredVote(
                r["voter_id"],
                r["voter_name"],
                answer_from_json(r["answer"]),
                r["voted_at"],
                r["updated_at"],
            )
            for r in rows
        ]

    async def close(self, poll_id: str, now: datetime) -> bool:
        """Close an open poll; True only for the one call that closed it."""
        statement = (
            update(polls)
            .where(polls.c.id == poll_id, polls.c.state == "open")
            .values(state="closed", closed_at=now, card_dirty=True)
        )
        return await self._writer.run(lambda c: c.execute(statement).rowcount == 1)

    async def delete(self, poll_id: str) -> bool:
        statement = delete(polls).where(polls.c.id == poll_id)  # votes go with it (cascade)
        return await self._writer.run(lambda c: c.execute(statement).rowcount == 1)

    async def set_card_activity(self, poll_id: str, activity_id: str, now: datetime) -> bool:
        """Remember the posted card; True when votes arrived before it was stored (claim then)."""

        def work(connection: Connection) -> bool:
            connection.execute(
                update(polls)
                .where(polls.c.id == poll_id)
                .values(card_activity_id=activity_id[:200], card_updated_at=now)
            )
            dirty = select(polls.c.card_dirty).where(polls.c.id == poll_id)
            return bool(connection.execute(dirty).scalar())

        return await self._writer.run(work)

    async def claim_card_update(
        self, poll_id: str, now: datetime, min_interval: timedelta = MIN_CARD_INTERVAL
    ) -> CardClaim:
        """Whether this process updates the card now, later (at `retry_at`), or not at all."""
        claim = (
            update(polls)
            .where(
                polls.c.id == poll_id,
                polls.c.card_dirty.is_(True),
                polls.c.card_activity_id.is_not(None),
                or_(
                    polls.c.card_updated_at.is_(None), polls.c.card_updated_at <= now - min_interval
                ),
            )
            .values(card_dirty=False, card_updated_at=now)
        )
        state = select(polls.c.card_dirty, polls.c.card_activity_id, polls.c.card_updated_at)

        def work(connection: Connection) -> CardClaim:
            if connection.execute(claim).rowcount == 1:
                return CardClaim("update_now")
            row = connection.execute(state.where(polls.c.id == poll_id)).first()
            if row is None or not row.card_dirty or row.card_activity_id is None:
                return CardClaim("nothing")
            last = row.card_updated_at or now
            return CardClaim("later", max(now, last + min_interval))

        return await self._writer.run(work)

    async def mark_card_dirty(self, poll_id: str) -> None:
        """After a failed card update: the next claim tries again."""
        statement = update(polls).where(polls.c.id == poll_id).values(card_dirty=True)
        await self._writer.run(lambda c: c.execute(statement))

    async def set_results_token(self, poll_id: str, token: str, expires_at: datetime) -> None:
        statement = (
            update(polls)
            .where(polls.c.id == poll_id)
            .values(results_token=token, results_token_expires_at=expires_at)
        )
        await self._writer.run(lambda c: c.execute(statement))

    async def find_by_results_token(self, token: str, now: datetime) -> Poll | None:
        found = await self._polls(
            polls.c.results_token == token, polls.c.results_token_expires_at > now
        )
        return found[0] if found else None

    async def evaluation_after_meetings(self, conversation_id: str) -> bool:
        query = select(poll_settings.c.evaluate_after_meetings).where(
            poll_settings.c.conversation_id == conversation_id
        )
        async with self._engine.connect() as connection:
            return bool((await connection.execute(query)).scalar())

    async def set_evaluation_after_meetings(
        self, conversation_id: str, tenant_id: str, enabled: bool, now: datetime
    ) -> None:
        row = {
            "conversation_id": conversation_id,
            "tenant_id": tenant_id,
            "evaluate_after_meetings": enabled,
            "updated_at": now,
        }
        update_columns = ("tenant_id", "evaluate_after_meetings", "updated_at")
        await self._writer.upsert(
            poll_settings, row, key=("conversation_id",), update=update_columns
        )

    async def _polls(
        self, *conditions: Any, order: Any = None, limit: int | None = None
    ) -> list[Poll]:
        query = (
            select(polls)
            .where(*conditions)
            .order_by(order if order is not None else polls.c.created_at)
        )
        if limit is not None:
            query = query.limit(limit)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_poll(row) for row in rows]


@dataclass(frozen=True)
class _VoteStatements:
    before: Any  # the answer being replaced; None where `store` returns it
    mark_dirty: Any
    store: Any  # returns a row only when the vote was stored


@functools.cache
def _vote_statements(dialect: str) -> _VoteStatements:
    """A vote's statements, built once per dialect (a vote is the hot path).

    `store` is INSERT ... SELECT FROM polls WHERE open ... ON CONFLICT (poll_id, voter_key)
    DO UPDATE; no row comes back when the poll is closed or unknown. On PostgreSQL it also
    returns the answer it replaced, read by a CTE in the statement's own snapshot: one round
    trip fewer. SQLite evaluates that CTE after the insert, so there it is a SELECT before."""
    poll_id = bindparam("p_poll", type_=String(32))
    now = bindparam("p_now", type_=UtcDateTime())
    mark_dirty = (
        update(polls)
        .where(polls.c.id == poll_id, polls.c.card_dirty.is_(False))
        .values(card_dirty=True)
    )
    previous = select(poll_votes.c.answer).where(
        poll_votes.c.poll_id == poll_id, poll_votes.c.voter_key == bindparam("p_key")
    )
    source = (
        select(
            poll_id,
            bindparam("p_key", type_=String(64)),
            bindparam("p_voter_id", type_=String(200)),
            bindparam("p_voter_name", type_=String(200)),
            bindparam("p_answer", type_=JSON()),
            now,
            now,
        )
        .where(
            polls.c.id == poll_id,
            polls.c.state == "open",
            or_(polls.c.closes_at.is_(None), polls.c.closes_at > now),
        )
        .with_for_update(read=True)  # FOR SHARE on PostgreSQL; SQLite has one writer anyway
    )
    insert = insert_for(dialect, poll_votes)
    in_statement = dialect == "postgresql"
    before = previous.cte("before") if in_statement else None
    if before is not None:
        insert = insert.add_cte(before)
    statement = insert.from_select([*_VOTE_COLUMNS, "updated_at"], source)
    store = statement.on_conflict_do_update(
        index_elements=["poll_id", "voter_key"],
        set_={
            "answer": statement.excluded.answer,
            "voter_name": statement.excluded.voter_name,
            "updated_at": statement.excluded.updated_at,
        },
    )
    if before is not None:
        return _VoteStatements(
            None, mark_dirty, store.returning(select(before.c.answer).scalar_subquery())
        )
    return _VoteStatements(previous, mark_dirty, store.returning(literal_column("1")))


def _poll_row(poll: Poll) -> dict[str, Any]:
    return {
        "id": poll.id,
        "conversation_id": poll.conversation_id,
        "tenant_id": poll.tenant_id,
        "creator_id": poll.creator_id,
        "creator_name": poll.creator_name,
        "kind": poll.spec.kind.value,
        "template_id": poll.spec.template_id,
        "spec": spec_to_json(poll.spec),
        "state": poll.state,
        "created_at": poll.created_at,
        "closes_at": poll.closes_at,
        "closed_at": poll.closed_at,
        "card_activity_id": poll.card_activity_id,
        "card_dirty": False,
    }


def _poll(row: Any) -> Poll:
    state: PollState = "closed" if row["state"] == "closed" else "open"
    return Poll(
        id=row["id"],
        spec=spec_from_json(row["spec"]),
        conversation_id=row["conversation_id"],
        tenant_id=row["tenant_id"],
        creator_id=row["creator_id"],
        creator_name=row["creator_name"] or "",
        created_at=row["created_at"],
        state=state,
        closed_at=row["closed_at"],
        card_activity_id=row["card_activity_id"],
    )
