"""SqlFeedbackRepository on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.feedback import GivenAnswer, UnansweredQuestion
from storage.knowledge_feedback import SqlFeedbackRepository
from tests.support.storage import migrated

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
async def feedback(database_url):
    async with migrated(database_url) as (engine, writer):
        yield SqlFeedbackRepository(engine, writer)


def _answer(answer_id: str, entry: str = "role.oeir-koordinator") -> GivenAnswer:
    return GivenAnswer(answer_id, entry, "Hvad laver en ØiR-koordinator?", "da", 0.9, T0)


async def test_one_rating_per_rater_which_can_change(feedback):
    await feedback.record_answer(_answer("a1"))
    assert await feedback.rate("a1", "rater-1", True, T0)
    assert await feedback.rate("a1", "rater-2", True, T0)
    assert await feedback.rate("a1", "rater-1", False, T0 + timedelta(minutes=1))
    [rating] = await feedback.ratings()
    assert (rating.entry_id, rating.helpful, rating.unhelpful) == ("role.oeir-koordinator", 1, 1)


async def test_rating_an_answer_never_given_is_refused(feedback):
    assert not await feedback.rate("forged", "rater-1", True, T0)
    assert await feedback.ratings() == []


async def test_unanswered_questions_are_grouped_and_counted(feedback):
    for n, text in enumerate(["Hvad bliver vejret?", "hvad  bliver VEJRET?", "Hvem vandt?"]):
        await feedback.record_unanswered(
            UnansweredQuestion(text, "da", ("Hvornår er …?",), T0 + timedelta(minutes=n))
        )
    summary = await feedback.unanswered()
    assert [(s.times, s.last_asked.tzinfo is not None) for s in summary] == [(2, True), (1, True)]
    assert summary[0].last_asked == T0 + timedelta(minutes=1)


async def test_a_given_answer_comes_back_with_its_card_and_language(feedback):
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "ØiR"}]}
    answer = GivenAnswer("a9", "oeir-koordinator", "What does …?", "en", 0.9, T0, card)
    await feedback.record_answer(answer)
    assert await feedback.given_answer("a9") == answer
    assert await feedback.given_answer("nope") is None
