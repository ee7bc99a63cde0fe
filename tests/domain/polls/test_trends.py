"""An evaluation's means beside the same conversation's earlier evaluations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.polls import Answer, Poll, PollKind, PollSpec, Statement, count_votes
from bot.domain.polls.trends import EvaluationMeans, evaluation_means, evaluation_trend

T0 = datetime(2021, 1, 20, 12, 0, tzinfo=UTC)
TEXTS = {"relevant": "Dagens oplæg var relevante for mig", "vaerdi": "Har skabt værdi"}


def meeting(n: int, relevant: float | None, vaerdi: float | None = None) -> EvaluationMeans:
    return EvaluationMeans(
        f"e{n}", T0 + timedelta(days=30 * n), {"relevant": relevant, "vaerdi": vaerdi}
    )


def test_rows_oldest_to_newest_with_the_change_since_last_time():
    previous = [meeting(2, 4.0, 3.5), meeting(0, 3.0), meeting(1, 3.5, 4.0)]  # any order
    trend = evaluation_trend(meeting(3, 4.5, 3.0), previous, TEXTS)
    assert trend.held_at == tuple(T0 + timedelta(days=30 * n) for n in range(4))
    relevant, vaerdi = trend.rows
    assert (relevant.text, relevant.means, relevant.change) == (
        TEXTS["relevant"],
        (3.0, 3.5, 4.0, 4.5),
        0.5,
    )
    assert (vaerdi.means, vaerdi.change) == ((None, 4.0, 3.5, 3.0), -0.5)


def test_only_the_last_meetings_are_kept():
    previous = [meeting(n, float(n)) for n in range(8)]
    trend = evaluation_trend(meeting(8, 8.0), previous, TEXTS, meetings=3)
    assert trend.rows[0].means == (6.0, 7.0, 8.0)


def test_a_first_evaluation_has_no_change_and_the_current_is_never_counted_twice():
    current = meeting(0, 4.0)
    trend = evaluation_trend(current, [current], TEXTS)
    assert (trend.rows[0].means, trend.rows[0].change) == ((4.0,), None)


def test_a_withheld_evaluation_shows_no_means():
    spec = PollSpec(PollKind.LIKERT, "Q", statements=(Statement("relevant", "R"),))
    poll = Poll("e1", spec, "conv", "t", "29:c", T0)
    few = count_votes(poll, [Answer(ratings=(("relevant", 5),))] * 2)
    enough = count_votes(
        poll, [Answer(ratings=(("relevant", 5),))] * 2 + [Answer(ratings=(("relevant", 2),))]
    )
    assert evaluation_means("e1", T0, few).means == {}
    assert evaluation_means("e1", T0, enough).means == {"relevant": 4.0}
