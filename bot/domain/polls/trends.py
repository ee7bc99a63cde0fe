"""An evaluation beside the same conversation's earlier ones: each statement's mean over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.polls.tallies import Tally

TREND_MEETINGS = 5  # this evaluation and the four before it


@dataclass(frozen=True)
class EvaluationMeans:
    """One evaluation's means per statement id (a scale poll's under "scale")."""

    poll_id: str
    held_at: datetime  # when it closed (or, for the current one, now)
    means: dict[str, float | None]


@dataclass(frozen=True)
class TrendRow:
    statement_id: str
    text: str
    means: tuple[float | None, ...]  # oldest first, the current evaluation last
    change: float | None  # current mean minus the previous evaluation's, when both exist


@dataclass(frozen=True)
class Trend:
    held_at: tuple[datetime, ...]  # oldest first, one per column of `TrendRow.means`
    rows: tuple[TrendRow, ...]


def evaluation_means(poll_id: str, held_at: datetime, tally: Tally) -> EvaluationMeans:
    """The means a tally shows; a withheld tally (too few answered) shows none."""
    means: dict[str, float | None] = {}
    if not tally.withheld:
        means = {s.id: s.mean for s in tally.statements}
        if tally.scale is not None:
            means["scale"] = tally.scale.mean
    return EvaluationMeans(poll_id, held_at, means)


def evaluation_trend(
    current: EvaluationMeans,
    previous: Sequence[EvaluationMeans],
    texts: dict[str, str],
    meetings: int = TREND_MEETINGS,
) -> Trend:
    """Rows per statement of `texts` (the current poll's statements, in order).

    `previous` are earlier evaluations of the same template in the same conversation, in
    any order; the newest `meetings - 1` are kept. A statement an earlier evaluation did not
    have (the template changed) shows None there.
    """
    earlier = sorted((p for p in previous if p.poll_id != current.poll_id), key=_when)
    columns = [*earlier[-(meetings - 1) :], current] if meetings > 1 else [current]
    rows = []
    for statement_id, text in texts.items():
        means = tuple(c.means.get(statement_id) for c in columns)
        now, before = means[-1], means[-2] if len(means) > 1 else None
        change = now - before if now is not None and before is not None else None
        rows.append(TrendRow(statement_id, text, means, change))
    return Trend(tuple(c.held_at for c in columns), tuple(rows))


def _when(means: EvaluationMeans) -> datetime:
    return means.held_at
