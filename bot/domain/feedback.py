"""What the knowledge owner learns from use: answers given, their ratings, unanswered questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class GivenAnswer:
    answer_id: str  # random and unguessable: a rating must name an answer the bot really gave
    entry_id: str
    question: str
    lang: str
    confidence: float
    at: datetime
    card: dict[str, Any] | None = None  # what was shown, so a rating can refresh it in place
    tenant: str = ""  # the Teams tenant it was given in; only its people can rate it


@dataclass(frozen=True)
class UnansweredQuestion:
    question: str
    lang: str
    suggestions: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class EntryRating:
    entry_id: str
    helpful: int
    unhelpful: int


@dataclass(frozen=True)
class UnansweredSummary:
    question: str
    times: int
    last_asked: datetime


class FeedbackRepository(Protocol):
    async def record_answer(self, answer: GivenAnswer) -> None: ...

    async def rate(
        self, answer_id: str, rater_key: str, helpful: bool, at: datetime, *, tenant: str = ""
    ) -> bool:
        """Record or change one person's rating; False when no such answer was given there."""
        ...

    async def given_answer(self, answer_id: str) -> GivenAnswer | None: ...

    async def record_unanswered(self, question: UnansweredQuestion) -> None: ...

    async def ratings(self) -> list[EntryRating]: ...

    async def unanswered(self, limit: int = 50) -> list[UnansweredSummary]: ...
