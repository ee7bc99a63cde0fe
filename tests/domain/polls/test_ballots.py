"""Ballot validation: a card's data is untrusted; every forged or stale submission is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.polls import (
    Answer,
    BallotRefusal,
    Option,
    Poll,
    PollKind,
    PollSettings,
    PollSpec,
    RefusalReason,
    Statement,
    validate_ballot,
)
from bot.domain.polls.limits import MAX_OPEN_ANSWER_CHARS

NOW = datetime(2021, 3, 24, 9, 0, tzinfo=UTC)
R = RefusalReason
OPTIONS = (Option("1", "Ja"), Option("2", "Nej"), Option("3", "Ved ikke"))
STATEMENTS = (Statement("relevant", "Relevant"), Statement("vaerdi", "Værdi"))


def poll(kind: PollKind, **settings) -> Poll:
    spec = PollSpec(
        kind,
        "Q?",
        OPTIONS if kind.has_options else (),
        STATEMENTS if kind is PollKind.LIKERT else (),
        PollSettings(**settings),
    )
    return Poll("p1", spec, "conv", "tenant", "29:c", NOW - timedelta(minutes=5))


def refused(kind: PollKind, data, **settings) -> RefusalReason:
    result = validate_ballot(poll(kind, **settings), data, NOW)
    assert isinstance(result, BallotRefusal), result
    return result.reason


@pytest.mark.parametrize(
    ("kind", "data", "answer"),
    [
        (PollKind.SINGLE, {"choice": "2", "verb": "poll.vote"}, Answer(choices=("2",))),
        (PollKind.YES_NO, {"choice": "1"}, Answer(choices=("1",))),
        (PollKind.MULTIPLE, {"choices": "3,1"}, Answer(choices=("1", "3"))),
        (PollKind.MULTIPLE, {"choices": ["2", "2", " 3 "]}, Answer(choices=("2", "3"))),
        (PollKind.SCALE, {"value": "7"}, Answer(value=7)),
        (PollKind.SCALE, {"value": 10}, Answer(value=10)),
        (
            PollKind.LIKERT,
            {"rating.vaerdi": "1", "rating.relevant": "5"},
            Answer(ratings=(("relevant", 5), ("vaerdi", 1))),
        ),
        (
            PollKind.LIKERT,
            {"rating.vaerdi": "4", "rating.relevant": ""},
            Answer(ratings=(("vaerdi", 4),)),
        ),
        (PollKind.OPEN, {"text": "  Vi bogfører\n  i  KMD  "}, Answer(text="Vi bogfører\ni KMD")),
    ],
)
def test_valid_ballots(kind, data, answer):
    assert validate_ballot(poll(kind), data, NOW) == answer


@pytest.mark.parametrize(
    ("kind", "data", "reason"),
    [
        (PollKind.SINGLE, {"choice": "4"}, R.UNKNOWN_OPTION),
        (PollKind.SINGLE, {"choice": "1,2"}, R.UNKNOWN_OPTION),
        (PollKind.SINGLE, {"choice": "Ja"}, R.UNKNOWN_OPTION),
        (PollKind.YES_NO, {"choice": "maybe"}, R.UNKNOWN_OPTION),
        (PollKind.MULTIPLE, {"choices": "1,9"}, R.UNKNOWN_OPTION),
        (PollKind.SINGLE, {"choice": 1}, R.WRONG_TYPE),
        (PollKind.SINGLE, {"choice": ["1"]}, R.WRONG_TYPE),
        (PollKind.MULTIPLE, {"choices": {"1": True}}, R.WRONG_TYPE),
        (PollKind.MULTIPLE, {"choices": [1, 2]}, R.WRONG_TYPE),
        (PollKind.SCALE, {"value": True}, R.WRONG_TYPE),
        (PollKind.SCALE, {"value": 7.5}, R.WRONG_TYPE),
        (PollKind.SCALE, {"value": "7.5"}, R.WRONG_TYPE),
        (PollKind.SCALE, {"value": "٧"}, R.WRONG_TYPE),  # an Arabic-Indic seven
        (PollKind.OPEN, {"text": 42}, R.WRONG_TYPE),
        (PollKind.SINGLE, ["1"], R.WRONG_TYPE),
        (PollKind.SINGLE, None, R.WRONG_TYPE),
        (PollKind.SINGLE, {}, R.EMPTY_VOTE),
        (PollKind.SINGLE, {"choice": "  "}, R.EMPTY_VOTE),
        (PollKind.MULTIPLE, {"choices": ""}, R.EMPTY_VOTE),
        (PollKind.MULTIPLE, {"choices": ",,"}, R.EMPTY_VOTE),
        (PollKind.SCALE, {"value": ""}, R.EMPTY_VOTE),
        (PollKind.LIKERT, {"rating.relevant": ""}, R.EMPTY_VOTE),
        (PollKind.LIKERT, {"verb": "poll.vote"}, R.EMPTY_VOTE),
        (PollKind.OPEN, {"text": " \n "}, R.EMPTY_VOTE),
        (PollKind.OPEN, {"text": "\ud800\udfff"}, R.EMPTY_VOTE),  # nothing left once cleaned
        (PollKind.SCALE, {"value": "0"}, R.OUT_OF_RANGE),
        (PollKind.SCALE, {"value": 11}, R.OUT_OF_RANGE),
        (PollKind.SCALE, {"value": -3}, R.OUT_OF_RANGE),
        (PollKind.SCALE, {"value": "9" * 5000}, R.OUT_OF_RANGE),
        (PollKind.LIKERT, {"rating.relevant": "6"}, R.OUT_OF_RANGE),
        (PollKind.LIKERT, {"rating.relevant": 0}, R.OUT_OF_RANGE),
        (PollKind.LIKERT, {"rating.relevant": "5", "rating.forged": "5"}, R.UNKNOWN_STATEMENT),
        (PollKind.OPEN, {"text": "x" * (MAX_OPEN_ANSWER_CHARS + 1)}, R.TEXT_TOO_LONG),
    ],
)
def test_refused_ballots(kind, data, reason):
    assert refused(kind, data) is reason


def test_a_closed_poll_refuses_everything():
    closed = Poll("p1", poll(PollKind.SINGLE).spec, "c", "t", "29:c", NOW, state="closed")
    assert validate_ballot(closed, {"choice": "1"}, NOW) == BallotRefusal(R.POLL_CLOSED)


def test_a_poll_past_its_closing_time_refuses_before_the_close_job_ran():
    assert refused(PollKind.SINGLE, {"choice": "1"}, closes_at=NOW) is R.POLL_CLOSED
    soon = NOW + timedelta(seconds=1)
    assert validate_ballot(poll(PollKind.SINGLE, closes_at=soon), {"choice": "1"}, NOW)


def test_lone_surrogates_and_control_characters_are_cleaned():
    answer = validate_ballot(poll(PollKind.OPEN), {"text": "Godt\ud83d møde\x00\x07!"}, NOW)
    assert answer == Answer(text="Godt møde!")
    answer.text.encode("utf-8")  # storable


def test_the_open_answer_bound_is_on_the_cleaned_text():
    text = "x" * MAX_OPEN_ANSWER_CHARS + "   " + "\x00" * 10
    assert validate_ballot(poll(PollKind.OPEN), {"text": text}, NOW) == Answer(text=text[:1000])
