"""SqlFeedbackRepository: answers given, their ratings and unanswered questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, select
from sqlalchemy.exc import IntegrityError

from bot.domain.feedback import (
    EntryRating,
    GivenAnswer,
    UnansweredQuestion,
    UnansweredSummary,
)
from storage.repository import SqlRepository
from storage.tables import as_utc, kb_answers, kb_ratings, kb_unanswered
from storage.upsert import insert_for


class SqlFeedbackRepository(SqlRepository):
    """Every record is committed before the turn that made it answers (group commit)."""

    async def record_answer(self, answer: GivenAnswer) -> None:
        await self._writer.insert(
            kb_answers,
            {
                "id": answer.answer_id,
                "entry_id": answer.entry_id,
                "question": answer.question[:2000],
                "lang": answer.lang,
                "confidence": answer.confidence,
                "answered_at": answer.at,
                "card": answer.card,
                "tenant_id": answer.tenant,
            },
        )

    async def rate(
        self, answer_id: str, rater_key: str, helpful: bool, at: datetime, *, tenant: str = ""
    ) -> bool:
        def work(connection: Connection) -> bool:
            # Only an answer the bot gave in the rater's own tenant can be rated.
            known = connection.scalar(
                select(func.count())
                .select_from(kb_answers)
                .where(kb_answers.c.id == answer_id, kb_answers.c.tenant_id == tenant)
            )
            if not known:
                return False
            statement = insert_for(connection.dialect.name, kb_ratings).values(
                answer_id=answer_id, rater_key=rater_key, helpful=helpful, rated_at=at
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["answer_id", "rater_key"],
                    set_={"helpful": helpful, "rated_at": at},
                )
            )
            return True

        try:
            return await self._writer.run(work)
        except IntegrityError:  # the answer vanished between the check and the write
            return False

    async def given_answer(self, answer_id: str) -> GivenAnswer | None:
        async with self._engine.connect() as connection:
            row = (
                (await connection.execute(select(kb_answers).where(kb_answers.c.id == answer_id)))
                .mappings()
                .first()
            )
        if row is None:
            return None
        card = row["card"]
        return GivenAnswer(
            row["id"],
            row["entry_id"],
            row["question"],
            row["lang"],
            row["confidence"],
            row["answered_at"],
            dict(card) if isinstance(card, dict) else None,
            row["tenant_id"] or "",
        )

    async def record_unanswered(self, question: UnansweredQuestion) -> None:
        await self._writer.insert(
            kb_unanswered,
            {
                "question": question.question[:2000],
                "normalised": " ".join(question.question.lower().split())[:500],
                "lang": question.lang,
                "suggestions": list(question.suggestions),
                "asked_at": question.at,
            },
        )

    async def ratings(self) -> list[EntryRating]:
        helpful = func.sum(case((kb_ratings.c.helpful.is_(True), 1), else_=0))
        unhelpful = func.sum(case((kb_ratings.c.helpful.is_(False), 1), else_=0))
        query = (
            select(kb_answers.c.entry_id, helpful, unhelpful)
            .select_from(kb_ratings.join(kb_answers, kb_ratings.c.answer_id == kb_answers.c.id))
            .group_by(kb_answers.c.entry_id)
            .order_by(unhelpful.desc(), kb_answers.c.entry_id)
        )
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [EntryRating(entry, int(up or 0), int(down or 0)) for entry, up, down in rows]

    async def unanswered(self, limit: int = 50) -> list[UnansweredSummary]:
        times = func.count()
        last = func.max(kb_unanswered.c.asked_at)
        query = (
            select(func.min(kb_unanswered.c.question), times, last)
            .group_by(kb_unanswered.c.normalised)
            .order_by(times.desc(), last.desc())
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [UnansweredSummary(q, int(n), _aware(at)) for q, n, at in rows]


def _aware(value: datetime | str) -> datetime:
    # Aggregates bypass the column type on SQLite; restore the UTC zone there.
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)
