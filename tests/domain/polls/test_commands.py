"""One-line poll commands: every form, every setting, every error with its reason code."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.polls import (
    PollCommandError,
    PollCommandReason,
    PollDraft,
    PollKind,
    check_draft,
    load_templates,
    parse_poll_command,
)
from bot.domain.polls.limits import MAX_OPTION_CHARS, MAX_OPTIONS, MAX_QUESTION_CHARS
from bot.domain.polls.quotes import tokenize

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"
NOW = datetime(2021, 3, 24, 9, 0, tzinfo=UTC)  # 10.00 in Copenhagen
R = PollCommandReason


@pytest.fixture(scope="module")
def templates():
    return load_templates(KNOWLEDGE / "poll_templates.yaml")


def parse(text: str, templates=None, lang="da") -> PollDraft:
    result = parse_poll_command(text, NOW, templates, lang)
    assert isinstance(result, PollDraft), result
    return result


def error(text: str, templates=None) -> PollCommandError:
    result = parse_poll_command(text, NOW, templates)
    assert isinstance(result, PollCommandError), result
    return result


def test_the_meeting_poll_as_written_in_danish():
    draft = parse('afstemning "Har din kommune svaret KMD?" "Ja" "Nej" "Ved ikke"')
    assert (draft.kind, draft.question, draft.lang) == (
        PollKind.SINGLE,
        "Har din kommune svaret KMD?",
        "da",
    )
    assert draft.options == ("Ja", "Nej", "Ved ikke")
    assert draft.missing_parts == ()
    spec = draft.to_spec()
    assert [(o.id, o.label) for o in spec.options] == [("1", "Ja"), ("2", "Nej"), ("3", "Ved ikke")]
    assert spec.settings.anonymous and spec.settings.results == "live"


@pytest.mark.parametrize(
    ("text", "kind", "lang"),
    [
        ('poll "Q?" "a" "b"', PollKind.SINGLE, "en"),
        ('afstemning "Q?" "a" "b" flere', PollKind.MULTIPLE, "da"),
        ('poll multiple "Q?" "a" "b"', PollKind.MULTIPLE, "en"),
        ('ja/nej "Q?"', PollKind.YES_NO, "da"),
        ('yes/no "Q?"', PollKind.YES_NO, "en"),
        ('skala "Q?"', PollKind.SCALE, "da"),
        ('scale "Q?"', PollKind.SCALE, "en"),
        ('åbent "Q?"', PollKind.OPEN, "da"),
        ('open "Q?"', PollKind.OPEN, "en"),
        ('udsagn "Q?" "s1" "s2"', PollKind.LIKERT, "da"),
        ('statements "Q?" "s1"', PollKind.LIKERT, "en"),
        ('Afstemning: "Q?" "a" "b"', PollKind.SINGLE, "da"),
    ],
)
def test_every_kind_in_both_languages(text, kind, lang):
    draft = parse(text)
    assert (draft.kind, draft.question, draft.lang, draft.missing_parts) == (kind, "Q?", lang, ())


def test_yes_no_options_are_the_languages_yes_and_no():
    assert [o.label for o in parse('ja/nej "Q?"').to_spec().options] == ["Ja", "Nej"]
    assert [o.id for o in parse('yes/no "Q?"').to_spec().options] == ["yes", "no"]


def test_likert_statements_get_ids_and_likert_takes_the_callers_language():
    draft = parse('likert "Hvor enig?" "Oplæg var gode" "Tid nok"', lang="en")
    assert [(s.id, s.text) for s in draft.statements] == [
        ("s1", "Oplæg var gode"),
        ("s2", "Tid nok"),
    ]
    assert draft.lang == "en"


@pytest.mark.parametrize(
    "text",
    [
        'afstemning "Q?" "Ja" "Nej"',
        "afstemning “Q?” “Ja” “Nej”",
        "afstemning „Q?“ „Ja“ „Nej“",
        "afstemning «Q?» «Ja» «Nej»",
        "afstemning »Q?« »Ja« »Nej«",
        "afstemning 'Q?' 'Ja' 'Nej'",
        "afstemning ‘Q?’ ‘Ja’ ‘Nej’",
        'afstemning “Q?" „Ja” "Nej“',  # autocorrect mixes them
    ],
)
def test_straight_and_typographic_quotes(text):
    draft = parse(text)
    assert (draft.question, draft.options) == ("Q?", ("Ja", "Nej"))


def test_apostrophes_inside_quoted_text_stay_text():
    draft = parse("poll 'Don't we know KMD's plan?' 'Yes' 'No'")
    assert draft.question == "Don't we know KMD's plan?"
    assert parse('poll "It\'s «ok»?" "a" "b"').question == "It's «ok»?"


def test_settings_anywhere_after_the_keyword():
    draft = parse('afstemning navngivet "Q?" skjult "a" "b" luk om 10 min flere')
    assert draft.kind is PollKind.MULTIPLE
    settings = draft.settings
    assert (settings.anonymous, settings.results) == (False, "hidden")
    assert settings.closes_at == NOW + timedelta(minutes=10)
    english = parse('poll named hidden "Q?" "a" "b" close in 2 hours').settings
    assert (english.anonymous, english.results) == (False, "hidden")
    assert english.closes_at == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("luk om 10 min", timedelta(minutes=10)),
        ("luk om 10min", timedelta(minutes=10)),
        ("luk om 2 timer", timedelta(hours=2)),
        ("luk om en time", timedelta(hours=1)),
        ("close in 10 minutes", timedelta(minutes=10)),
        ("close in an hour", timedelta(hours=1)),
        ("luk kl. 14.30", timedelta(hours=4, minutes=30)),
        ("luk kl 14:30", timedelta(hours=4, minutes=30)),
        ("luk kl.14.30", timedelta(hours=4, minutes=30)),
        ("luk klokken 14", timedelta(hours=4)),
        ("close at 14:30", timedelta(hours=4, minutes=30)),
    ],
)
def test_close_phrases(words, expected):
    assert parse(f'skala "Q?" {words}').settings.closes_at == NOW + expected


def test_missing_parts_for_the_guided_dialog():
    assert parse("afstemning").missing_parts == ("question", "options")
    assert parse('afstemning "Q?"').missing_parts == ("options",)
    assert parse("skala").missing_parts == ("question",)
    assert parse("likert").missing_parts == ("question", "statements")
    assert parse('likert "Q?"').missing_parts == ("statements",)
    with pytest.raises(ValueError):
        parse("afstemning").to_spec()


def test_the_dialog_completes_a_draft_and_checks_it_again():
    from dataclasses import replace

    draft = parse('afstemning "Q?" skjult')
    completed = check_draft(replace(draft, options=(" Ja ", "Nej")))
    assert isinstance(completed, PollDraft) and completed.options == ("Ja", "Nej")
    assert completed.settings.results == "hidden"
    again = check_draft(replace(draft, options=("Ja", "ja")))
    assert isinstance(again, PollCommandError) and again.reason is R.DUPLICATE_OPTIONS


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('afstemning ""', R.EMPTY_QUESTION),
        ('afstemning "   "', R.EMPTY_QUESTION),
        ('afstemning "Q?" "Ja"', R.ONE_OPTION),
        ('afstemning "Q?" "Ja" "ja "', R.DUPLICATE_OPTIONS),
        ('afstemning "Q?" "Ved  ikke" "ved ikke"', R.DUPLICATE_OPTIONS),
        ('afstemning "Q?" "Ja" ""', R.EMPTY_OPTION),
        ('afstemning "Q?" "Ja" "Nej', R.UNBALANCED_QUOTES),
        ("afstemning «Q?", R.UNBALANCED_QUOTES),
        ('afstemning Q? "Ja" "Nej"', R.UNQUOTED_TEXT),
        ('skala "Q?" "1" "10"', R.UNEXPECTED_OPTIONS),
        ('ja/nej "Q?" "Måske" "Nej"', R.UNEXPECTED_OPTIONS),
        ('skala "Q?" flere', R.OPTION_NOT_APPLICABLE),
        ('skala "Q?" luk kl. 9.30', R.CLOSE_TIME_IN_PAST),
        ('skala "Q?" luk kl. 10.00', R.CLOSE_TIME_IN_PAST),
        ('skala "Q?" luk om 0 min', R.CLOSE_TIME_IN_PAST),
        ('skala "Q?" luk kl. 25.00', R.CLOSE_TIME_INVALID),
        ('skala "Q?" luk om lidt', R.CLOSE_TIME_INVALID),
        ('skala "Q?" luk', R.CLOSE_TIME_INVALID),
        ('skala "Q?" luk om 8 dage', R.CLOSE_TIME_INVALID),
        ('skala "Q?" luk om 200 timer', R.CLOSE_TIME_TOO_FAR),
    ],
)
def test_errors_have_reason_codes(text, reason):
    assert error(text).reason is reason


def test_bounds_for_a_card():
    assert error(f'skala "{"x" * (MAX_QUESTION_CHARS + 1)}"').reason is R.QUESTION_TOO_LONG
    assert parse(f'skala "{"x" * MAX_QUESTION_CHARS}"').question
    long_option = "y" * (MAX_OPTION_CHARS + 1)
    too_long = error(f'afstemning "Q?" "a" "{long_option}"')
    assert (too_long.reason, too_long.limit) == (R.OPTION_TOO_LONG, MAX_OPTION_CHARS)
    options = " ".join(f'"{i}"' for i in range(MAX_OPTIONS))
    assert len(parse(f'afstemning "Q?" {options}').options) == MAX_OPTIONS
    many = error(f'afstemning "Q?" {options} "one more"')
    assert (many.reason, many.limit) == (R.TOO_MANY_OPTIONS, MAX_OPTIONS)


def test_templates(templates):
    draft = parse("evaluering", templates)
    assert (draft.kind, draft.template_id, draft.lang) == (PollKind.LIKERT, "moedeevaluering", "da")
    assert len(draft.statements) == 5 and draft.settings.results == "hidden"
    english = parse("evaluation meeting", templates)
    assert english.lang == "en" and english.question.startswith("How much")
    scale = parse('evaluering "temperaturmåling" luk om 5 min live navngivet', templates)
    assert (scale.kind, scale.template_id) == (PollKind.SCALE, "temperaturmaaling")
    assert scale.settings.results == "live" and not scale.settings.anonymous
    unknown = error("evaluering julefrokost", templates)
    assert (unknown.reason, unknown.detail) == (R.UNKNOWN_TEMPLATE, "julefrokost")
    assert error("evaluering").reason is R.UNKNOWN_TEMPLATE  # no templates loaded


@pytest.mark.parametrize(
    "text", ["", "   ", "hej", "afstemninger", "luk afstemning", '"afstemning"', "pollen er høj"]
)
def test_other_text_is_no_poll_command(text):
    assert parse_poll_command(text, NOW) is None


def test_unbalanced_quotes_in_other_text_are_no_poll_command():
    assert parse_poll_command('hvad betyder "KMD', NOW) is None


class CountingText(str):
    """A str that counts how often the tokenizer reads a character of it."""

    reads = 0

    def __getitem__(self, key):
        CountingText.reads += 1
        return str.__getitem__(self, key)


@pytest.mark.parametrize(
    "hostile",
    [
        "'a" * 50_000,  # openers whose every candidate closer is followed by a letter
        '"' + "x'" * 50_000,  # never closed
        "“a” " * 25_000,
        "a " * 50_000,
        "'" * 100_000,
    ],
)
def test_tokenizing_reads_each_character_a_bounded_number_of_times(hostile):
    CountingText.reads = 0
    with contextlib.suppress(ValueError):
        tokenize(CountingText(hostile))
    assert CountingText.reads <= 4 * len(hostile)


def test_a_long_message_is_cut_before_parsing():
    # The unbalanced quote lies beyond what is parsed, so it cannot matter.
    text = 'skala "Q?" ' + " " * 100_000 + '"'
    assert parse(text).question == "Q?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('afstemning "Q?" "a" "b" privat', "creator"),
        ('poll "Q?" "a" "b" private', "creator"),
        ('skala "Q?" Privat', "creator"),
        ('afstemning "Q?" "a" "b" privat skjult', "hidden"),  # the last word wins
        ('afstemning "Q?" "a" "b" skjult privat', "creator"),
        ('afstemning "Q?" "a" "b" privat synlig', "live"),
    ],
)
def test_results_for_the_creator_only(text, expected):
    assert parse(text).settings.results == expected


def test_creator_only_results_override_a_templates_setting(templates):
    assert parse("evaluering privat", templates).settings.results == "creator"
    assert parse("evaluation private", templates).settings.results == "creator"


def test_the_creator_only_words_clash_with_no_other_word():
    from bot.domain.polls.close_times import CLOSE_WORDS
    from bot.domain.polls.commands import (
        ANONYMOUS_WORDS,
        CREATOR_WORDS,
        HIDDEN_WORDS,
        KEYWORDS,
        LIVE_WORDS,
        MULTIPLE_WORDS,
        NAMED_WORDS,
    )

    others = (KEYWORDS, MULTIPLE_WORDS, NAMED_WORDS, ANONYMOUS_WORDS, HIDDEN_WORDS, LIVE_WORDS)
    assert not CREATOR_WORDS & set(CLOSE_WORDS).union(*others)
