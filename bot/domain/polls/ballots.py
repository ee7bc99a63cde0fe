"""Validate a submitted card's data (untrusted) into an Answer, or refuse it with a reason.

The card contract, per poll kind (other keys such as `verb` and `poll_id` are ignored):

- single choice, yes/no: ``{"choice": "<option id>"}``
- multiple choice: ``{"choices": "1,3"}`` (an Adaptive Card multi-select) or a list of ids
- scale: ``{"value": "7"}`` (or the number)
- Likert: ``{"rating.<statement id>": "5", ...}``, 5 = Helt enig ... 1 = Helt uenig; a
  statement left out or ``""`` is unanswered, but at least one must be answered
- open text: ``{"text": "..."}``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.polls.limits import MAX_OPEN_ANSWER_CHARS, SCALE_MAX, SCALE_MIN
from bot.domain.polls.model import LIKERT_LEVELS, Answer, Poll, PollKind
from bot.domain.polls.text import clean

RATING_PREFIX = "rating."


class RefusalReason(StrEnum):
    UNKNOWN_POLL = "unknown_poll"
    FOREIGN_POLL = "foreign_poll"  # a poll of another conversation or tenant
    POLL_CLOSED = "poll_closed"
    UNKNOWN_OPTION = "unknown_option"
    UNKNOWN_STATEMENT = "unknown_statement"
    WRONG_TYPE = "wrong_type"
    EMPTY_VOTE = "empty_vote"
    OUT_OF_RANGE = "out_of_range"
    TEXT_TOO_LONG = "text_too_long"  # limit: MAX_OPEN_ANSWER_CHARS


@dataclass(frozen=True)
class BallotRefusal:
    reason: RefusalReason
    field: str = ""  # which key of the data was wrong


class _Refused(Exception):
    def __init__(self, reason: RefusalReason, field: str) -> None:
        self.refusal = BallotRefusal(reason, field)


def validate_ballot(poll: Poll, data: Any, now: datetime) -> Answer | BallotRefusal:
    """The answer `data` gives to `poll`, or why it is refused; nothing in `data` is trusted."""
    if not poll.is_open(now):
        return BallotRefusal(RefusalReason.POLL_CLOSED)
    if not isinstance(data, dict):
        return BallotRefusal(RefusalReason.WRONG_TYPE)
    try:
        return _READERS[poll.spec.kind](poll, data)
    except _Refused as refused:
        return refused.refusal


def _choice(poll: Poll, data: dict[str, Any]) -> Answer:
    value = _text(data, "choice")
    if not value:
        raise _Refused(RefusalReason.EMPTY_VOTE, "choice")
    if value not in {o.id for o in poll.spec.options}:
        raise _Refused(RefusalReason.UNKNOWN_OPTION, "choice")
    return Answer(choices=(value,))


def _choices(poll: Poll, data: dict[str, Any]) -> Answer:
    raw = data.get("choices")
    if isinstance(raw, str):
        items: list[Any] = raw.split(",")
    elif isinstance(raw, list):
        items = raw
    elif raw is None:
        items = []
    else:
        raise _Refused(RefusalReason.WRONG_TYPE, "choices")
    if not all(isinstance(i, str) for i in items):
        raise _Refused(RefusalReason.WRONG_TYPE, "choices")
    chosen = {clean(i) for i in items} - {""}
    if not chosen:
        raise _Refused(RefusalReason.EMPTY_VOTE, "choices")
    known = [o.id for o in poll.spec.options]
    if not chosen <= set(known):
        raise _Refused(RefusalReason.UNKNOWN_OPTION, "choices")
    return Answer(choices=tuple(i for i in known if i in chosen))  # in the card's order


def _scale(poll: Poll, data: dict[str, Any]) -> Answer:
    value = _number(data, "value")
    if value is None:
        raise _Refused(RefusalReason.EMPTY_VOTE, "value")
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise _Refused(RefusalReason.OUT_OF_RANGE, "value")
    return Answer(value=value)


def _likert(poll: Poll, data: dict[str, Any]) -> Answer:
    known = [s.id for s in poll.spec.statements]
    ratings: dict[str, int] = {}
    for key in data:
        if not isinstance(key, str) or not key.startswith(RATING_PREFIX):
            continue
        statement = key[len(RATING_PREFIX) :]
        if statement not in known:
            raise _Refused(RefusalReason.UNKNOWN_STATEMENT, key[:100])
        level = _number(data, key)
        if level is None:
            continue  # each statement is optional
        if level not in LIKERT_LEVELS:
            raise _Refused(RefusalReason.OUT_OF_RANGE, key)
        ratings[statement] = level
    if not ratings:
        raise _Refused(RefusalReason.EMPTY_VOTE, RATING_PREFIX)
    return Answer(ratings=tuple((s, ratings[s]) for s in known if s in ratings))


def _open(poll: Poll, data: dict[str, Any]) -> Answer:
    text = _text(data, "text", keep_newlines=True)
    if not text:
        raise _Refused(RefusalReason.EMPTY_VOTE, "text")
    if len(text) > MAX_OPEN_ANSWER_CHARS:
        raise _Refused(RefusalReason.TEXT_TOO_LONG, "text")
    return Answer(text=text)


def _text(data: dict[str, Any], key: str, *, keep_newlines: bool = False) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Refused(RefusalReason.WRONG_TYPE, key)
    return clean(value, keep_newlines=keep_newlines)


def _number(data: dict[str, Any], key: str) -> int | None:
    """A whole number given as a number or as digits (a card's choice values are text)."""
    value = data.get(key)
    if isinstance(value, bool):  # True is an int to Python, not to us
        raise _Refused(RefusalReason.WRONG_TYPE, key)
    if isinstance(value, int):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip()
        return int(digits) if len(digits) <= 3 else SCALE_MAX + 1  # out of range, not huge
    raise _Refused(RefusalReason.WRONG_TYPE, key)


_READERS = {
    PollKind.SINGLE: _choice,
    PollKind.YES_NO: _choice,
    PollKind.MULTIPLE: _choices,
    PollKind.SCALE: _scale,
    PollKind.LIKERT: _likert,
    PollKind.OPEN: _open,
}
