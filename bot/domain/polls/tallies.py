"""Tallies counted from the stored answers: counts, percentages, means, medians, top words.

Likert levels score Helt enig = 5, Enig = 4, Hverken enig eller uenig = 3, Uenig = 2,
Helt uenig = 1; a statement's mean is over those who answered it. Percentages are whole
numbers of the respondents (of a statement's respondents for Likert), halves rounded up;
in a multiple-choice poll they may add up to more than 100.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.polls.figures import percent_of
from bot.domain.polls.limits import DEFAULT_ANONYMITY_THRESHOLD, SCALE_MAX, SCALE_MIN
from bot.domain.polls.model import LIKERT_LABELS, LIKERT_LEVELS, Answer, Poll, PollKind
from bot.domain.polls.open_text import top_words


@dataclass(frozen=True)
class Share:
    """One bar: an option, a scale value or a Likert level, with its count and percent."""

    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class StatementResult:
    id: str
    text: str
    respondents: int
    shares: tuple[Share, ...]  # Helt enig first
    mean: float | None  # None: nobody answered this statement


@dataclass(frozen=True)
class ScaleResult:
    shares: tuple[Share, ...]  # 1 to 10
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class Tally:
    kind: PollKind
    respondents: int
    withheld: bool  # anonymous and fewer respondents than the threshold: only the count shown
    shares: tuple[Share, ...] = ()  # choice and yes/no polls
    statements: tuple[StatementResult, ...] = ()
    scale: ScaleResult | None = None
    answers: tuple[str, ...] = ()  # open text, in the order given
    top_words: tuple[tuple[str, int], ...] = ()


def count_votes(
    poll: Poll, answers: Sequence[Answer], threshold: int = DEFAULT_ANONYMITY_THRESHOLD
) -> Tally:
    """The tally of `answers` (one per voter, as stored) for `poll`."""
    kind, n = poll.spec.kind, len(answers)
    if poll.spec.settings.anonymous and n < threshold:
        return Tally(kind, n, withheld=True)
    if kind.has_options:
        counts = Counter(c for a in answers for c in a.choices)
        shares = tuple(
            Share(o.id, o.label, counts[o.id], percent_of(counts[o.id], n))
            for o in poll.spec.options
        )
        return Tally(kind, n, False, shares=shares)
    if kind is PollKind.SCALE:
        return Tally(
            kind, n, False, scale=_scale([a.value for a in answers if a.value is not None])
        )
    if kind is PollKind.LIKERT:
        return Tally(kind, n, False, statements=_statements(poll, answers))
    texts = tuple(a.text for a in answers if a.text)
    return Tally(kind, n, False, answers=texts, top_words=top_words(texts))


def _scale(values: list[int]) -> ScaleResult:
    counts = Counter(values)
    shares = tuple(
        Share(str(v), str(v), counts[v], percent_of(counts[v], len(values)))
        for v in range(SCALE_MIN, SCALE_MAX + 1)
    )
    if not values:
        return ScaleResult(shares, None, None)
    return ScaleResult(shares, statistics.fmean(values), float(statistics.median(values)))


def _statements(poll: Poll, answers: Sequence[Answer]) -> tuple[StatementResult, ...]:
    labels = LIKERT_LABELS[poll.spec.lang]
    by_statement: dict[str, list[int]] = {s.id: [] for s in poll.spec.statements}
    for answer in answers:
        for statement_id, level in answer.ratings:
            if statement_id in by_statement:
                by_statement[statement_id].append(level)
    results = []
    for statement in poll.spec.statements:
        levels = by_statement[statement.id]
        counts = Counter(levels)
        shares = tuple(
            Share(str(v), labels[v], counts[v], percent_of(counts[v], len(levels)))
            for v in LIKERT_LEVELS
        )
        mean = statistics.fmean(levels) if levels else None
        results.append(StatementResult(statement.id, statement.text, len(levels), shares, mean))
    return tuple(results)
