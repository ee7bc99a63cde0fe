"""Polls capability: one-line commands, templates, ballots, tallies and evaluation trends."""

from bot.domain.polls.ballots import BallotRefusal, RefusalReason, validate_ballot
from bot.domain.polls.codec import answer_from_json, answer_to_json, spec_from_json, spec_to_json
from bot.domain.polls.commands import parse_poll_command
from bot.domain.polls.drafts import (
    MissingPart,
    PollCommandError,
    PollCommandReason,
    PollDraft,
    check_draft,
)
from bot.domain.polls.figures import format_mean, format_percent, percent_of, text_bar
from bot.domain.polls.model import (
    LIKERT_LABELS,
    LIKERT_LEVELS,
    Answer,
    Option,
    Poll,
    PollKind,
    PollSettings,
    PollSpec,
    Statement,
    Voter,
)
from bot.domain.polls.ports import (
    MIN_CARD_INTERVAL,
    CardClaim,
    PollRepository,
    StoredVote,
    VoteResult,
)
from bot.domain.polls.service import CloseOutcome, DeleteOutcome, PollService, VoteOutcome
from bot.domain.polls.tallies import ScaleResult, Share, StatementResult, Tally, count_votes
from bot.domain.polls.template_loader import FILE_NAME, TemplateError, load_templates
from bot.domain.polls.templates import PollTemplate, PollTemplates
from bot.domain.polls.trends import EvaluationMeans, Trend, TrendRow, evaluation_trend
from bot.domain.polls.voters import voter_for

__all__ = [
    "FILE_NAME",
    "LIKERT_LABELS",
    "LIKERT_LEVELS",
    "MIN_CARD_INTERVAL",
    "Answer",
    "BallotRefusal",
    "CardClaim",
    "CloseOutcome",
    "DeleteOutcome",
    "EvaluationMeans",
    "MissingPart",
    "Option",
    "Poll",
    "PollCommandError",
    "PollCommandReason",
    "PollDraft",
    "PollKind",
    "PollRepository",
    "PollService",
    "PollSettings",
    "PollSpec",
    "PollTemplate",
    "PollTemplates",
    "RefusalReason",
    "ScaleResult",
    "Share",
    "Statement",
    "StatementResult",
    "StoredVote",
    "Tally",
    "TemplateError",
    "Trend",
    "TrendRow",
    "VoteOutcome",
    "VoteResult",
    "Voter",
    "answer_from_json",
    "answer_to_json",
    "check_draft",
    "count_votes",
    "evaluation_trend",
    "format_mean",
    "format_percent",
    "load_templates",
    "parse_poll_command",
    "percent_of",
    "spec_from_json",
    "spec_to_json",
    "text_bar",
    "validate_ballot",
    "voter_for",
]
