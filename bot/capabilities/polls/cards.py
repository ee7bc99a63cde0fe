"""Poll cards: the question with its inputs (Action.Execute), the running or final results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.capabilities.polls.wording import say
from bot.channel.card_text import literal
from bot.channel.cards import adaptive_card, heading, paragraph
from bot.domain.clock import COPENHAGEN
from bot.domain.danish_format import format_date, format_time, to_zone
from bot.domain.language import Lang
from bot.domain.polls import format_percent, text_bar
from bot.domain.polls.ballots import RATING_PREFIX
from bot.domain.polls.model import LIKERT_LABELS, LIKERT_LEVELS, Poll, PollKind

# The card's inputs, as bot/domain/polls/ballots.py reads them back.
CHOICE, CHOICES, VALUE, TEXT = "choice", "choices", "value", "text"


@dataclass(frozen=True)
class ResultRow:
    label: str
    count: int
    percent: int  # of respondents, rounded


@dataclass(frozen=True)
class ResultBlock:
    """One part of the results: a poll's rows, or one Likert statement's."""

    title: str | None
    rows: tuple[ResultRow, ...]
    summary: str = ""  # "gennemsnit 4,2 · median 4"


@dataclass(frozen=True)
class ResultsView:
    """What the card shows of the results; built from the tally by results_view.py."""

    respondents: int
    blocks: tuple[ResultBlock, ...] = ()
    withheld_below: int | None = None  # anonymity threshold not reached yet
    hidden: bool = False  # results hidden until the poll closes
    for_creator: bool = False  # hidden for good here: only the creator gets the figures
    lines: tuple[str, ...] = field(default=())  # open answers, top words, trend


def poll_card(
    poll: Poll,
    results: ResultsView | None,
    *,
    now: datetime,
    zone: ZoneInfo = COPENHAGEN,
    note: str | None = None,
) -> dict[str, Any]:
    """The card everyone sees; `note` is the voter's own line in their refreshed card."""
    lang = poll.spec.lang
    is_open = poll.is_open(now)
    body: list[dict[str, Any]] = [heading(literal(poll.spec.question))]
    body.append(paragraph(_subtitle(poll, lang, is_open, zone), isSubtle=True, spacing="None"))
    if note:
        body.append(paragraph(literal(note), color="Good", weight="Bolder"))
    actions: list[dict[str, Any]] = []
    if is_open:
        body.extend(_inputs(poll, lang))
        actions.append(_execute(say("card.send", lang), "poll.vote", poll.id, style="positive"))
        actions.append(_execute(say("card.close", lang), "poll.close", poll.id))
    actions.append(_execute(say("card.results_link", lang), "poll.results", poll.id))
    actions.append(_execute(say("card.export", lang), "poll.export", poll.id))
    if results is not None:
        body.extend(results_body(results, lang))
    return adaptive_card(body, actions, fallback_text=poll.spec.question)


def results_body(results: ResultsView, lang: Lang) -> list[dict[str, Any]]:
    count = results.respondents
    if results.hidden or results.for_creator:
        shown = respondents(count, lang)
        why = say("card.creator_only" if results.for_creator else "card.hidden", lang)
        return [paragraph(f"{shown} · {why}", isSubtle=True, spacing="Medium")]
    if count == 0:
        return [paragraph(say("card.no_answers", lang), isSubtle=True, spacing="Medium")]
    key = "card.respondents_one" if count == 1 else "card.respondents"
    out = [paragraph(say(key, lang, count=count), weight="Bolder", spacing="Medium")]
    if results.withheld_below is not None:
        out.append(paragraph(say("card.threshold", lang, threshold=results.withheld_below)))
        return out
    for block in results.blocks:
        if block.title:
            out.append(paragraph(literal(block.title), weight="Bolder", spacing="Small"))
        out.append(_bars(block.rows, lang))
        if block.summary:
            out.append(paragraph(block.summary, isSubtle=True, spacing="None"))
    out.extend(paragraph(line, spacing="Small") for line in results.lines)
    return out


def respondents(count: int, lang: Lang) -> str:
    """`4 har svaret`."""
    return say("card.respondents_one" if count == 1 else "card.respondents", lang, count=count)


def deleted_card(lang: Lang) -> dict[str, Any]:
    """What the shared card becomes when its poll is deleted: no question, no figures left."""
    title = say("card.deleted_title", lang)
    return adaptive_card([heading(title), paragraph(say("card.deleted", lang), isSubtle=True)])


def delete_confirmation_card(
    poll: Poll, respondents_count: int, *, asked_by: str, asked_at: datetime, now: datetime
) -> dict[str, Any]:
    """ "Slet afstemningen …?" with Slet / Fortryd; both buttons name the poll and the time
    asked, so a confirmation pressed much later (or made up) is refused."""
    lang = poll.spec.lang
    title = say("delete.confirm_title", lang, question=literal(poll.spec.question))
    lines = [say("delete.confirm_text", lang, respondents=respondents(respondents_count, lang))]
    if not poll.is_open(now):
        lines.append(say("delete.confirm_closed", lang))
    body = [heading(title), *(paragraph(line) for line in lines)]
    if asked_by:
        body.append(paragraph(say("delete.asked_by", lang, name=literal(asked_by)), isSubtle=True))
    data = {"askedAt": asked_at.isoformat()}
    actions = [
        _execute(
            say("delete.yes", lang), "poll.delete.confirm", poll.id, style="destructive", **data
        ),
        _execute(say("delete.no", lang), "poll.delete.cancel", poll.id, **data),
    ]
    return adaptive_card(body, actions, fallback_text=title)


def notice_card(text: str) -> dict[str, Any]:
    """A confirmation card once answered: the outcome, no buttons left to press."""
    return adaptive_card([paragraph(text)], fallback_text=text)


def _bars(rows: tuple[ResultRow, ...], lang: Lang) -> dict[str, Any]:
    # A fact-set-like table: label left, bar and figures right, monospace so bars line up.
    return {
        "type": "Container",
        "items": [
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": 2, "items": [paragraph(literal(row.label))]},
                    {
                        "type": "Column",
                        "width": 3,
                        "items": [
                            paragraph(
                                _figures(row, lang),
                                fontType="Monospace",
                            )
                        ],
                    },
                ],
            }
            for row in rows
        ],
    }


def _figures(row: ResultRow, lang: Lang) -> str:
    return f"{text_bar(row.percent)} {format_percent(row.percent, lang)} ({row.count})"


def _subtitle(poll: Poll, lang: Lang, is_open: bool, zone: ZoneInfo) -> str:
    settings = poll.spec.settings
    parts = [say("card.anonymous" if settings.anonymous else "card.named", lang)]
    if poll.spec.kind is PollKind.MULTIPLE:
        parts.append(say("card.multiple", lang))
    if not is_open:
        parts.append(say("card.closed", lang))
    elif settings.closes_at is not None:
        parts.append(say("card.closes", lang, when=when(settings.closes_at, lang, zone)))
    if is_open and settings.results == "hidden":
        parts.append(say("card.hidden", lang))
    elif is_open and settings.results == "creator":
        parts.append(say("card.creator_only", lang))
    return " · ".join(parts)


def when(moment: datetime, lang: Lang, zone: ZoneInfo = COPENHAGEN) -> str:
    """`kl. 14.30` today, otherwise `fredag den 4. december 2026 kl. 14.30`."""
    local = to_zone(moment, zone)
    clock = f"kl. {format_time(local, lang)}" if lang == "da" else f"at {format_time(local, lang)}"
    return f"{format_date(local.date(), lang, weekday=True)} {clock}"


def _inputs(poll: Poll, lang: Lang) -> list[dict[str, Any]]:
    spec = poll.spec
    if spec.kind.has_options:
        choices = [{"title": o.label, "value": o.id} for o in spec.options]
        multi = spec.kind is PollKind.MULTIPLE
        return [_choice_set(CHOICES if multi else CHOICE, choices, multi=multi)]
    if spec.kind is PollKind.SCALE:
        choices = [{"title": str(n), "value": str(n)} for n in range(1, 11)]
        hint = f"{say('card.scale_low', lang)} · {say('card.scale_high', lang)}"
        return [paragraph(hint, isSubtle=True), _choice_set(VALUE, choices, compact=True)]
    if spec.kind is PollKind.LIKERT:
        labels = LIKERT_LABELS[lang]
        levels = [{"title": labels[level], "value": str(level)} for level in LIKERT_LEVELS]
        out: list[dict[str, Any]] = [paragraph(say("card.optional", lang), isSubtle=True)]
        for statement in spec.statements:
            out.append(paragraph(literal(statement.text), weight="Bolder", spacing="Medium"))
            out.append(_choice_set(RATING_PREFIX + statement.id, levels, compact=True))
        return out
    return [
        {
            "type": "Input.Text",
            "id": TEXT,
            "isMultiline": True,
            "maxLength": 1000,
            "placeholder": say("card.open_placeholder", lang),
        }
    ]


def _choice_set(
    input_id: str, choices: list[dict[str, str]], *, multi: bool = False, compact: bool = False
) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "style": "compact" if compact else "expanded",
        "isMultiSelect": multi,
        "choices": choices,
    }


def _execute(
    title: str, verb: str, poll_id: str, *, style: str | None = None, **data: str
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": {"pollId": poll_id, **data},
    }
    if style:
        action["style"] = style
    return action
