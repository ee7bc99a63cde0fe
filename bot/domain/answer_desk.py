"""AnswerDesk: asks the knowledge base and keeps the record the knowledge owner reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.clock import Clock
from bot.domain.feedback import FeedbackRepository, GivenAnswer, UnansweredQuestion
from bot.domain.knowledge import KnowledgeResult, KnowledgeService
from bot.domain.pseudonyms import pseudonym
from bot.domain.random_ids import RandomIds

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class AskOutcome:
    result: KnowledgeResult
    answer_id: str | None  # set when there is an answer people can rate


class AnswerDesk:
    def __init__(
        self,
        knowledge: KnowledgeService,
        feedback: FeedbackRepository,
        clock: Clock,
        *,
        secret: bytes,
    ) -> None:
        self.knowledge = knowledge
        self._feedback = feedback
        self._clock = clock
        self._secret = secret
        self._ids = RandomIds()

    def ask(self, text: str, lang: str) -> AskOutcome:
        result = self.knowledge.ask(text[:MAX_QUESTION_CHARS], lang=lang, now=self._clock.now())
        return AskOutcome(result, self._ids.new() if result.answered else None)

    def ask_entry(self, entry_id: str, lang: str) -> AskOutcome | None:
        result = self.knowledge.answer(entry_id, lang=lang, now=self._clock.now())
        return AskOutcome(result, self._ids.new()) if result is not None else None

    async def record(
        self, outcome: AskOutcome, *, shown: dict[str, Any] | None = None, tenant: str = ""
    ) -> None:
        """Every answer is kept (so it can be rated); every miss goes to the owner's list."""
        result, now = outcome.result, self._clock.now()
        if outcome.answer_id is not None:
            await self._feedback.record_answer(
                GivenAnswer(
                    outcome.answer_id,
                    result.entry_id or f"list:{result.answer.kind}",
                    result.question,
                    result.lang,
                    result.confidence,
                    now,
                    shown,
                    tenant,
                )
            )
        else:
            suggestions = tuple(s.question for s in result.answer.suggestions)
            await self._feedback.record_unanswered(
                UnansweredQuestion(result.question, result.lang, suggestions, now)
            )

    async def rate(self, answer_id: str, user_id: str, helpful: bool, *, tenant: str = "") -> bool:
        """One rating per person per answer (changeable); the person is kept only as a hash."""
        rater = pseudonym(self._secret, "kb-rating", user_id)
        return await self._feedback.rate(
            answer_id, rater, helpful, self._clock.now(), tenant=tenant
        )

    async def given_answer(self, answer_id: str) -> GivenAnswer | None:
        return await self._feedback.given_answer(answer_id)
