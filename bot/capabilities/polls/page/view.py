"""What the results page shows, as JSON-ready data with every number already in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.danish_format import format_date, format_number, format_time
from bot.domain.polls import format_mean, format_percent
from bot.domain.polls.model import Lang, Poll
from bot.domain.polls.tallies import Share, Tally
from bot.domain.polls.trends import Trend

MAX_ANSWERS_SHOWN = 100  # a meeting screen, not an archive: the export has them all
_TEXT: dict[Lang, dict[str, str]] = {
    "da": {
        "title": "Resultat",
        "nobody": "Ingen har svaret endnu",
        "one": "1 har svaret",
        "many": "{n} har svaret",
        "open": "Åben · opdateres løbende",
        "closed": "Lukket · endeligt resultat",
        "withheld": "Fordelingen vises, når mindst {n} har svaret",
        "hidden": "Resultatet vises, når afstemningen lukker",
        "mean": "Gennemsnit {value}",
        "median": "Median {value}",
        "of": "{n} har svaret på udsagnet",
        "words": "Hyppigste ord",
        "answers": "Svar",
        "more": "… og {n} flere",
        "trend": "Udvikling over møderne (gennemsnit)",
        "statement": "Udsagn",
        "expired": "Linket er udløbet. Bed om et nyt i chatten.",
        "closes": "Lukker kl. {when}",
        "private": "Kun for opretteren — vis ikke siden på en fælles skærm",
    },
    "en": {
        "title": "Results",
        "nobody": "No answers yet",
        "one": "1 person has answered",
        "many": "{n} people have answered",
        "open": "Open · updating live",
        "closed": "Closed · final result",
        "withheld": "The distribution is shown once at least {n} have answered",
        "hidden": "The result is shown when the poll closes",
        "mean": "Mean {value}",
        "median": "Median {value}",
        "of": "{n} answered this statement",
        "words": "Most frequent words",
        "answers": "Answers",
        "more": "… and {n} more",
        "trend": "Over the meetings (means)",
        "statement": "Statement",
        "expired": "The link has expired. Ask for a new one in the chat.",
        "closes": "Closes at {when}",
        "private": "For the creator only — do not show this page on a shared screen",
    },
}

# A refused link does not say which poll it was for, so its page speaks both languages.
_REFUSALS: dict[str, tuple[str, tuple[str, ...]]] = {
    "expired": (
        "Linket er udløbet · The link has expired",
        ("Bed om et nyt link i chatten.", "Ask for a new link in the chat."),
    ),
    "invalid": (
        "Siden findes ikke · Page not found",
        (
            "Linket er ugyldigt, eller afstemningen er slettet.",
            "The link is not valid, or the poll was deleted.",
        ),
    ),
    "failed": (
        "Prøv igen om lidt · Please try again shortly",
        ("Resultatet kunne ikke hentes lige nu.", "The result could not be read just now."),
    ),
    "withheld": (
        "Eksporten venter på flere svar · The export waits for more answers",
        (
            "Eksporten er klar, når mindst {n} har svaret (anonym afstemning).",
            "The export is available once at least {n} have answered (anonymous poll).",
        ),
    ),
}


@dataclass(frozen=True)
class PageState:
    """Everything `results_data` needs, read in one go by the web layer."""

    poll: Poll
    tally: Tally
    now: datetime
    threshold: int
    trend: Trend | None
    zone: ZoneInfo


def text(lang: Lang, key: str, **values: Any) -> str:
    return _TEXT[lang][key].format(**values)


def refusal_text(reason: str, **values: Any) -> tuple[str, list[str]]:
    """The title and lines of a refusal page, in Danish and English."""
    title, lines = _REFUSALS[reason]
    return title, [line.format(**values) for line in lines]


def respondents_text(n: int, lang: Lang) -> str:
    if n == 0:
        return text(lang, "nobody")
    return text(lang, "one") if n == 1 else text(lang, "many", n=format_number(n, 0, lang))


def results_data(state: PageState) -> dict[str, Any]:
    """The page's content; the same dict renders the HTML and feeds the live updates."""
    poll, tally, lang = state.poll, state.tally, state.poll.spec.lang
    closed = not poll.is_open(state.now)
    data: dict[str, Any] = {
        "lang": lang,
        "title": text(lang, "title"),
        "question": poll.spec.question,
        "kind": poll.spec.kind.value,
        "closed": closed,
        "status": _status(poll, closed),
        "closes": None if closed else _closes(poll, state.now, state.zone),
        "respondents": tally.respondents,
        "respondentsText": respondents_text(tally.respondents, lang),
        "notice": None,
        "blocks": [],
        "words": None,
        "answers": None,
        "trend": None,
        "expiredText": text(lang, "expired"),
    }
    # Only the creator and administrators are given the link (votes.py), so a creator-only
    # poll's figures may be shown here; hidden ones still wait for the close.
    if not poll.shows_results(state.now, to_manager=True):
        data["notice"] = text(lang, "hidden")
        return data
    if tally.withheld:
        data["notice"] = text(lang, "withheld", n=state.threshold)
        return data
    data["blocks"] = _blocks(tally, lang)
    if tally.top_words:
        words = [{"word": w, "count": n} for w, n in tally.top_words]
        data["words"] = {"title": text(lang, "words"), "items": words}
    if tally.answers:
        shown = list(tally.answers[:MAX_ANSWERS_SHOWN])
        more = len(tally.answers) - len(shown)
        data["answers"] = {
            "title": text(lang, "answers"),
            "items": shown,
            "more": text(lang, "more", n=more) if more else None,
        }
    if state.trend is not None and len(state.trend.held_at) > 1:
        data["trend"] = _trend(state.trend, lang, state.zone)
    return data


def _status(poll: Poll, closed: bool) -> str:
    lang = poll.spec.lang
    status = text(lang, "closed" if closed else "open")
    if poll.spec.settings.results == "creator":
        status += " · " + text(lang, "private")
    return status


def _blocks(tally: Tally, lang: Lang) -> list[dict[str, Any]]:
    blocks = []
    if tally.shares:
        blocks.append(_block(None, tally.shares, None, None, lang))
    if tally.scale is not None:
        scale = tally.scale
        blocks.append(_block(None, scale.shares, scale.mean, scale.median, lang))
    for statement in tally.statements:
        block = _block(statement.text, statement.shares, statement.mean, None, lang)
        if statement.respondents != tally.respondents:  # each statement may be left out
            answered = text(lang, "of", n=format_number(statement.respondents, 0, lang))
            block["summary"] = " · ".join(filter(None, (block["summary"], answered)))
        blocks.append(block)
    return blocks


def _block(
    title: str | None,
    shares: tuple[Share, ...],
    mean: float | None,
    median: float | None,
    lang: Lang,
) -> dict[str, Any]:
    summary = []
    if mean is not None:
        summary.append(text(lang, "mean", value=format_mean(mean, lang)))
    if median is not None:
        summary.append(text(lang, "median", value=format_mean(median, lang)))
    rows = [
        {
            "label": s.label,
            "count": s.count,
            "percent": s.percent,
            "percentText": format_percent(s.percent, lang),
        }
        for s in shares
    ]
    return {"title": title, "summary": " · ".join(summary) or None, "rows": rows}


def _trend(trend: Trend, lang: Lang, zone: ZoneInfo) -> dict[str, Any]:
    columns = [format_date(held, lang, zone=zone) for held in trend.held_at]
    rows = []
    for row in trend.rows:
        means = ["–" if m is None else format_mean(m, lang) for m in row.means]
        change = None
        if row.change is not None:
            sign = "+" if row.change > 0 else "−" if row.change < 0 else "±"
            change = sign + format_mean(abs(row.change), lang)
        rows.append({"text": row.text, "means": means, "change": change})
    return {
        "title": text(lang, "trend"),
        "heading": text(lang, "statement"),
        "columns": columns,
        "rows": rows,
    }


def _closes(poll: Poll, now: datetime, zone: ZoneInfo) -> str | None:
    """`Lukker kl. 14.30`; with the date when it is not today."""
    if poll.closes_at is None:
        return None
    lang = poll.spec.lang
    when = format_time(poll.closes_at, lang, zone=zone)
    if poll.closes_at.astimezone(zone).date() != now.astimezone(zone).date():
        when = f"{when}, {format_date(poll.closes_at, lang, zone=zone)}"
    return text(lang, "closes", when=when)
