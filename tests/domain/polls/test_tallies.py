"""Tallies from stored answers: exact counts, percentages, means, medians, top words."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.polls import (
    Answer,
    Option,
    Poll,
    PollKind,
    PollSettings,
    PollSpec,
    Statement,
    count_votes,
    format_mean,
    format_percent,
    percent_of,
    text_bar,
)
from bot.domain.polls.open_text import top_words

NOW = datetime(2021, 3, 24, 9, 0, tzinfo=UTC)


def poll(kind: PollKind, *, anonymous: bool = True, lang="da", **parts) -> Poll:
    spec = PollSpec(kind, "Q?", settings=PollSettings(anonymous=anonymous), lang=lang, **parts)
    return Poll("p1", spec, "conv", "tenant", "29:c", NOW)


CHOICES = (Option("1", "Ja"), Option("2", "Nej"), Option("3", "Ved ikke"))


def test_choice_counts_and_percentages_of_respondents():
    answers = [Answer(choices=(c,)) for c in "1112223"]
    tally = count_votes(poll(PollKind.SINGLE, options=CHOICES), answers)
    assert (tally.respondents, tally.withheld) == (7, False)
    assert [(s.label, s.count, s.percent) for s in tally.shares] == [
        ("Ja", 3, 43),
        ("Nej", 3, 43),
        ("Ved ikke", 1, 14),
    ]


def test_multiple_choice_percentages_may_add_up_to_more_than_100():
    answers = [Answer(choices=("1", "2")), Answer(choices=("1",)), Answer(choices=("3",))]
    tally = count_votes(poll(PollKind.MULTIPLE, options=CHOICES), answers)
    assert [(s.count, s.percent) for s in tally.shares] == [(2, 67), (1, 33), (1, 33)]


def test_percentages_round_halves_up_exactly():
    assert [percent_of(c, 8) for c in (1, 3, 5)] == [13, 38, 63]  # 12.5, 37.5, 62.5
    assert percent_of(1, 3) == 33 and percent_of(2, 3) == 67
    assert percent_of(0, 0) == 0 and percent_of(1, 200) == 1 and percent_of(1, 201) == 0


def test_scale_distribution_mean_and_median():
    values = [7, 8, 8, 3, 10, 6]
    tally = count_votes(poll(PollKind.SCALE), [Answer(value=v) for v in values])
    assert tally.scale is not None
    assert [s.count for s in tally.scale.shares] == [0, 0, 1, 0, 0, 1, 1, 2, 0, 1]
    assert tally.scale.mean == 7.0
    assert tally.scale.median == 7.5  # the mean of the middle two
    odd = count_votes(poll(PollKind.SCALE), [Answer(value=v) for v in (2, 9, 4)])
    assert odd.scale is not None and (odd.scale.mean, odd.scale.median) == (5.0, 4.0)


def test_likert_distribution_and_mean_per_statement_each_optional():
    statements = (Statement("a", "Relevant"), Statement("b", "Værdi"), Statement("c", "Tid"))
    answers = [
        Answer(ratings=(("a", 5), ("b", 4))),
        Answer(ratings=(("a", 4), ("b", 2))),
        Answer(ratings=(("a", 4),)),
    ]
    tally = count_votes(poll(PollKind.LIKERT, statements=statements), answers)
    a, b, c = tally.statements
    assert [(s.label, s.count) for s in a.shares] == [
        ("Helt enig", 1),
        ("Enig", 2),
        ("Hverken enig eller uenig", 0),
        ("Uenig", 0),
        ("Helt uenig", 0),
    ]
    assert (a.respondents, round(a.mean, 4)) == (3, 4.3333)
    assert [s.percent for s in a.shares] == [33, 67, 0, 0, 0]
    assert (b.respondents, b.mean) == (2, 3.0)
    assert (c.respondents, c.mean, sum(s.count for s in c.shares)) == (0, None, 0)


def test_likert_labels_in_english():
    tally = count_votes(
        poll(PollKind.LIKERT, lang="en", statements=(Statement("a", "A"),)),
        [Answer(ratings=(("a", 1),))] * 3,
    )
    assert tally.statements[0].shares[-1].label == "Strongly disagree"


def test_open_text_answers_and_top_words_without_stop_words():
    answers = [
        Answer(text="Vi bogfører boligydelser i KMD"),
        Answer(text="Boligydelser bogføres manuelt, og det er bøvlet"),
        Answer(text="We book the housing benefits in KMD"),
    ]
    tally = count_votes(poll(PollKind.OPEN), answers)
    assert tally.answers == tuple(a.text for a in answers)
    assert tally.top_words[:2] == (("boligydelser", 2), ("kmd", 2))
    words = dict(tally.top_words)
    assert not {"vi", "i", "og", "det", "er", "we", "the", "in"} & set(words)


def test_top_words_count_once_per_answer_and_break_ties_alphabetically():
    assert top_words(["kmd kmd kmd", "zebra", "abe"]) == (("abe", 1), ("kmd", 1), ("zebra", 1))
    assert top_words(["It-fællesskab's plan", "it-fællesskab"]) == (
        ("it-fællesskab", 1),
        ("it-fællesskab's", 1),
        ("plan", 1),
    )
    many = " ".join(f"ord{a}{b}" for a in "abcdefg" for b in "abcdefg")
    assert len(top_words([many], limit=10)) == 10


def test_anonymous_distribution_is_withheld_below_the_threshold():
    p = poll(PollKind.SINGLE, options=CHOICES)
    two = count_votes(p, [Answer(choices=("1",)), Answer(choices=("2",))])
    assert (two.respondents, two.withheld, two.shares) == (2, True, ())
    three = count_votes(p, [Answer(choices=("1",))] * 3)
    assert not three.withheld and three.shares[0].count == 3
    assert count_votes(p, [Answer(choices=("1",))] * 3, threshold=5).withheld
    assert count_votes(p, [], threshold=0).shares[0].count == 0


def test_named_polls_show_every_distribution():
    named = poll(PollKind.OPEN, anonymous=False)
    tally = count_votes(named, [Answer(text="Hej")])
    assert (tally.withheld, tally.answers) == (False, ("Hej",))


def test_figures_in_danish_and_english():
    assert format_percent(43) == "43\u00a0%" and format_percent(43, "en") == "43%"
    assert format_mean(4.3333) == "4,3" and format_mean(4.3333, "en") == "4.3"
    assert text_bar(0) == "░" * 10 and text_bar(100) == "█" * 10
    assert text_bar(43) == "████░░░░░░" and text_bar(45) == "█████░░░░░"
