"""Numbers of a tally as text: percentages, means and text bars, in Danish or English."""

from __future__ import annotations

from bot.domain.danish_format import format_number
from bot.domain.polls.model import Lang

BAR_WIDTH = 10


def percent_of(count: int, total: int) -> int:
    """`count` of `total` in whole percent, halves rounded up (exact, no float rounding)."""
    if total <= 0:
        return 0
    return (200 * count + total) // (2 * total)


def format_percent(percent: int, lang: Lang = "da") -> str:
    """`33 %` in Danish (with a no-break space), `33%` in English."""
    return f"{percent}%" if lang == "en" else f"{percent}\u00a0%"


def format_mean(value: float, lang: Lang = "da") -> str:
    """`4,3` / `4.3`: one decimal, as a mean on a 1-5 or 1-10 scale needs."""
    return format_number(value, 1, lang)


def text_bar(percent: int, width: int = BAR_WIDTH) -> str:
    """`██████░░░░` for 60 %: full blocks for the share, light shade for the rest."""
    filled = min(width, max(0, (percent * width + 50) // 100))
    return "█" * filled + "░" * (width - filled)
