"""From a tally to what a card shows: rows of bars, means and medians, top words, the trend."""

from __future__ import annotations

from bot.capabilities.polls.cards import ResultBlock, ResultRow, ResultsView
from bot.capabilities.polls.wording import say
from bot.channel.card_text import literal
from bot.domain.danish_format import format_date
from bot.domain.language import Lang
from bot.domain.polls import format_mean
from bot.domain.polls.model import Poll
from bot.domain.polls.tallies import Share, Tally
from bot.domain.polls.trends import Trend

MAX_OPEN_ANSWERS_SHOWN = 20


def results_view(
    poll: Poll,
    tally: Tally,
    *,
    threshold: int,
    final: bool,
    trend: Trend | None = None,
    to_creator: bool = False,
) -> ResultsView:
    """`final`: the poll is closed (hidden results are shown, open answers listed).
    `to_creator`: the view goes only to the poll's creator (their private chat); without it
    it is for the whole conversation, and a creator-only poll's figures are left out."""
    lang = poll.spec.lang
    visibility = poll.spec.settings.results
    if visibility == "creator" and not to_creator:
        return ResultsView(tally.respondents, for_creator=True)
    if visibility == "hidden" and not final:
        return ResultsView(tally.respondents, hidden=True)
    if tally.withheld:
        return ResultsView(tally.respondents, withheld_below=threshold)
    blocks: list[ResultBlock] = []
    lines: list[str] = []
    if tally.shares:
        blocks.append(ResultBlock(None, _rows(tally.shares)))
    if tally.scale is not None:
        scale = tally.scale
        blocks.append(
            ResultBlock(None, _rows(scale.shares), _summary(scale.mean, scale.median, lang))
        )
    for statement in tally.statements:
        summary = _summary(statement.mean, None, lang)
        blocks.append(ResultBlock(statement.text, _rows(statement.shares), summary))
    if tally.top_words:
        words = ", ".join(f"{literal(w)} ({n})" for w, n in tally.top_words[:10])
        lines.append(say("card.top_words", lang, words=words))
    if final and tally.answers:
        shown = tally.answers[:MAX_OPEN_ANSWERS_SHOWN]
        lines.extend(f"- {literal(text)}" for text in shown)
        if len(tally.answers) > len(shown):
            lines.append(f"… (+{len(tally.answers) - len(shown)})")
    if trend is not None and len(trend.held_at) > 1:
        lines.extend(_trend_lines(trend, lang))
    return ResultsView(tally.respondents, tuple(blocks), lines=tuple(lines))


def _rows(shares: tuple[Share, ...]) -> tuple[ResultRow, ...]:
    return tuple(ResultRow(s.label, s.count, s.percent) for s in shares)


def _summary(mean: float | None, median: float | None, lang: Lang) -> str:
    parts = []
    if mean is not None:
        parts.append(say("card.mean", lang, mean=format_mean(mean, lang)))
    if median is not None:
        parts.append(say("card.median", lang, median=format_mean(median, lang)))
    return " · ".join(parts)


def _trend_lines(trend: Trend, lang: Lang) -> list[str]:
    dates = " → ".join(format_date(held.date(), lang) for held in trend.held_at)
    lines = [f"**{say('card.trend', lang)}** ({dates})"]
    for row in trend.rows:
        means = " → ".join("–" if m is None else format_mean(m, lang) for m in row.means)
        lines.append(f"- {literal(row.text)}: {means}")
    return lines
