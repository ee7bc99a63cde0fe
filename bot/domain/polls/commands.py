"""One-line poll commands: `afstemning "Spørgsmål?" "Ja" "Nej" flere skjult luk om 10 min`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain.polls.close_times import CLOSE_WORDS, CloseTimeError, read_close_time
from bot.domain.polls.drafts import PollCommandError, PollCommandReason, PollDraft, check_draft
from bot.domain.polls.model import Lang, PollKind, PollSettings, ResultsVisibility, Statement
from bot.domain.polls.quotes import Token, UnbalancedQuotes, tokenize
from bot.domain.polls.templates import PollTemplates
from bot.domain.text_limits import for_parsing

# Keyword -> (kind, language it implies; None: the caller's language). `evaluering` is None.
KEYWORDS: dict[str, tuple[PollKind | None, Lang | None]] = {
    "afstemning": (PollKind.SINGLE, "da"),
    "poll": (PollKind.SINGLE, "en"),
    "ja/nej": (PollKind.YES_NO, "da"),
    "ja-nej": (PollKind.YES_NO, "da"),
    "yes/no": (PollKind.YES_NO, "en"),
    "yes-no": (PollKind.YES_NO, "en"),
    "skala": (PollKind.SCALE, "da"),
    "temperaturmåling": (PollKind.SCALE, "da"),
    "scale": (PollKind.SCALE, "en"),
    "åbent": (PollKind.OPEN, "da"),
    "åben": (PollKind.OPEN, "da"),
    "open": (PollKind.OPEN, "en"),
    "udsagn": (PollKind.LIKERT, "da"),
    "statements": (PollKind.LIKERT, "en"),
    "likert": (PollKind.LIKERT, None),
    "evaluering": (None, "da"),
    "evaluation": (None, "en"),
}
MULTIPLE_WORDS = frozenset({"flere", "flervalg", "multiple"})
NAMED_WORDS = frozenset({"navngivet", "named"})
ANONYMOUS_WORDS = frozenset({"anonym", "anonymous"})
HIDDEN_WORDS = frozenset({"skjult", "hidden"})
LIVE_WORDS = frozenset({"synlig", "live"})
# Results only for the creator (and administrators): never shown in the conversation.
CREATOR_WORDS = frozenset({"privat", "private"})
RESULTS_WORDS: dict[str, ResultsVisibility] = {
    **dict.fromkeys(HIDDEN_WORDS, "hidden"),
    **dict.fromkeys(LIVE_WORDS, "live"),
    **dict.fromkeys(CREATOR_WORDS, "creator"),
}


def parse_poll_command(
    text: str, now: datetime, templates: PollTemplates | None = None, lang: Lang = "da"
) -> PollDraft | PollCommandError | None:
    """The draft a poll command describes, an error, or None when it is no poll command.

    A draft may still have `missing_parts` (`afstemning` alone, or only a question): the
    guided dialog asks for them and calls `check_draft` again. Quoted texts are the question
    and then the options (Likert: the statements); words outside quotes are settings.
    """
    try:
        tokens = tokenize(for_parsing(text))
    except UnbalancedQuotes as error:
        words = text[:100].split(maxsplit=1)
        if not words or words[0].lower().rstrip(":") not in KEYWORDS:
            return None
        return PollCommandError(PollCommandReason.UNBALANCED_QUOTES, error.quote)
    if not tokens or tokens[0].quoted or tokens[0].text.lower().rstrip(":") not in KEYWORDS:
        return None
    kind, keyword_lang = KEYWORDS[tokens[0].text.lower().rstrip(":")]
    lang = keyword_lang or lang
    read = _read_words(tokens[1:], now, kind)
    if isinstance(read, PollCommandError):
        return read
    texts, overrides, multiple = read
    if kind is None:
        return _from_template(texts, overrides, templates, lang)
    if multiple:
        kind = PollKind.MULTIPLE
    question = texts[0] if texts else None
    rest = tuple(texts[1:])
    draft = PollDraft(kind, question, settings=PollSettings(**overrides), lang=lang)
    if kind is PollKind.LIKERT:
        statements = tuple(Statement(f"s{i}", t) for i, t in enumerate(rest, 1))
        draft = replace(draft, statements=statements)
    else:
        draft = replace(draft, options=rest)
    return check_draft(draft)


def _read_words(
    tokens: list[Token], now: datetime, kind: PollKind | None
) -> tuple[list[str], dict[str, Any], bool] | PollCommandError:
    """Quoted texts in order, and the settings the words between them set (by field name)."""
    texts: list[str] = []
    settings: dict[str, Any] = {}
    multiple = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        word = token.text.lower().rstrip(",")
        if token.quoted:
            texts.append(token.text)
        elif word in MULTIPLE_WORDS:
            if kind is not PollKind.SINGLE:
                return PollCommandError(PollCommandReason.OPTION_NOT_APPLICABLE, token.text)
            multiple = True
        elif word in NAMED_WORDS or word in ANONYMOUS_WORDS:
            settings["anonymous"] = word in ANONYMOUS_WORDS
        elif word in RESULTS_WORDS:
            settings["results"] = RESULTS_WORDS[word]
        elif word in CLOSE_WORDS:
            words = [t.text for t in tokens[i : i + 3] if not t.quoted]
            try:
                closes_at, used = read_close_time(words, now)
            except CloseTimeError as error:
                return PollCommandError(PollCommandReason(error.reason), token.text)
            settings["closes_at"] = closes_at
            i += used
        elif kind is None and not texts:
            texts.append(token.text)  # `evaluering møde`: a template name needs no quotes
        else:
            return PollCommandError(PollCommandReason.UNQUOTED_TEXT, token.text)
    return texts, settings, multiple


def _from_template(
    texts: list[str], overrides: dict[str, Any], templates: PollTemplates | None, lang: Lang
) -> PollDraft | PollCommandError:
    name = " ".join(texts)
    template = (templates.find(name) if name else templates.default) if templates else None
    if template is None:
        return PollCommandError(PollCommandReason.UNKNOWN_TEMPLATE, name)
    draft = template.draft(lang)
    # Words given on the command line win over the template's settings.
    return check_draft(replace(draft, settings=replace(draft.settings, **overrides)))
