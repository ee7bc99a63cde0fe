"""A poll being made: what is known so far, what is missing, and the checks a spec must pass."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from bot.domain.polls.limits import (
    MAX_OPTION_CHARS,
    MAX_OPTIONS,
    MAX_QUESTION_CHARS,
    MAX_STATEMENT_CHARS,
    MAX_STATEMENTS,
    MIN_OPTIONS,
)
from bot.domain.polls.model import (
    Lang,
    Option,
    PollKind,
    PollSettings,
    PollSpec,
    Statement,
    yes_no_options,
)
from bot.domain.polls.text import clean, same_text_key

MissingPart = Literal["question", "options", "statements"]


class PollCommandReason(StrEnum):
    """Why a poll cannot be made as written; the Teams layer words each in Danish and English."""

    NO_QUESTION = "no_question"
    EMPTY_QUESTION = "empty_question"
    QUESTION_TOO_LONG = "question_too_long"  # limit: MAX_QUESTION_CHARS
    ONE_OPTION = "one_option"
    TOO_MANY_OPTIONS = "too_many_options"  # limit: MAX_OPTIONS
    EMPTY_OPTION = "empty_option"
    OPTION_TOO_LONG = "option_too_long"  # limit: MAX_OPTION_CHARS
    DUPLICATE_OPTIONS = "duplicate_options"  # detail: the repeated option
    TOO_MANY_STATEMENTS = "too_many_statements"  # limit: MAX_STATEMENTS
    STATEMENT_TOO_LONG = "statement_too_long"  # limit: MAX_STATEMENT_CHARS
    DUPLICATE_STATEMENTS = "duplicate_statements"
    UNEXPECTED_OPTIONS = "unexpected_options"  # options given to a scale, yes/no or open poll
    OPTION_NOT_APPLICABLE = "option_not_applicable"  # `flere` on a poll that is not a choice
    UNQUOTED_TEXT = "unquoted_text"  # detail: the first word that is neither option nor quoted
    UNBALANCED_QUOTES = "unbalanced_quotes"  # detail: the quote that was never closed
    CLOSE_TIME_INVALID = "close_time_invalid"
    CLOSE_TIME_IN_PAST = "close_time_in_past"
    CLOSE_TIME_TOO_FAR = "close_time_too_far"  # limit: MAX_CLOSE_MINUTES
    UNKNOWN_TEMPLATE = "unknown_template"  # detail: the name asked for


@dataclass(frozen=True)
class PollCommandError:
    reason: PollCommandReason
    detail: str = ""
    limit: int | None = None


@dataclass(frozen=True)
class PollDraft:
    """A poll as far as it is known. `question` None means not given yet (the dialog asks)."""

    kind: PollKind
    question: str | None = None
    options: tuple[str, ...] = ()
    statements: tuple[Statement, ...] = ()
    settings: PollSettings = field(default_factory=PollSettings)
    lang: Lang = "da"
    template_id: str | None = None

    @property
    def missing_parts(self) -> tuple[MissingPart, ...]:
        missing: list[MissingPart] = []
        if self.question is None:
            missing.append("question")
        if self.kind.takes_options and not self.options:
            missing.append("options")
        if self.kind is PollKind.LIKERT and not self.statements:
            missing.append("statements")
        return tuple(missing)

    def to_spec(self) -> PollSpec:
        """The spec of a complete, checked draft (run `check_draft` first)."""
        if self.missing_parts or self.question is None:
            raise ValueError(f"draft is missing {self.missing_parts}")
        if self.kind is PollKind.YES_NO:
            options: tuple[Option, ...] = yes_no_options(self.lang)
        else:
            options = tuple(Option(str(i), label) for i, label in enumerate(self.options, 1))
        return PollSpec(
            self.kind,
            self.question,
            options,
            self.statements,
            self.settings,
            self.lang,
            self.template_id,
        )


def check_draft(draft: PollDraft) -> PollDraft | PollCommandError:
    """The draft with its texts cleaned, or the first problem; missing parts are no problem."""
    question = None if draft.question is None else clean(draft.question)
    if question is not None:
        if not question:
            return PollCommandError(PollCommandReason.EMPTY_QUESTION)
        if len(question) > MAX_QUESTION_CHARS:
            return PollCommandError(PollCommandReason.QUESTION_TOO_LONG, limit=MAX_QUESTION_CHARS)
    options = tuple(clean(o) for o in draft.options)
    if options and not draft.kind.takes_options:
        return PollCommandError(PollCommandReason.UNEXPECTED_OPTIONS, options[0])
    problem = _check_options(options) if options else None
    statements = tuple(Statement(s.id, clean(s.text)) for s in draft.statements)
    problem = problem or (_check_statements(statements) if statements else None)
    if problem is not None:
        return problem
    return replace(draft, question=question, options=options, statements=statements)


def _check_options(options: tuple[str, ...]) -> PollCommandError | None:
    if len(options) < MIN_OPTIONS:
        return PollCommandError(PollCommandReason.ONE_OPTION, options[0], limit=MIN_OPTIONS)
    if len(options) > MAX_OPTIONS:
        return PollCommandError(PollCommandReason.TOO_MANY_OPTIONS, limit=MAX_OPTIONS)
    return _check_texts(
        options,
        MAX_OPTION_CHARS,
        PollCommandReason.EMPTY_OPTION,
        PollCommandReason.OPTION_TOO_LONG,
        PollCommandReason.DUPLICATE_OPTIONS,
    )


def _check_statements(statements: tuple[Statement, ...]) -> PollCommandError | None:
    if len(statements) > MAX_STATEMENTS:
        return PollCommandError(PollCommandReason.TOO_MANY_STATEMENTS, limit=MAX_STATEMENTS)
    return _check_texts(
        tuple(s.text for s in statements),
        MAX_STATEMENT_CHARS,
        PollCommandReason.EMPTY_OPTION,
        PollCommandReason.STATEMENT_TOO_LONG,
        PollCommandReason.DUPLICATE_STATEMENTS,
    )


def _check_texts(
    texts: tuple[str, ...],
    limit: int,
    empty: PollCommandReason,
    too_long: PollCommandReason,
    duplicate: PollCommandReason,
) -> PollCommandError | None:
    seen: set[str] = set()
    for text in texts:
        if not text:
            return PollCommandError(empty)
        if len(text) > limit:
            return PollCommandError(too_long, text[:40], limit=limit)
        key = same_text_key(text)
        if key in seen:
            return PollCommandError(duplicate, text)
        seen.add(key)
    return None
