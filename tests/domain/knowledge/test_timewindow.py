"""Time windows in questions, relative to a given now, in the service's time zone."""

import warnings
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge import timewindow
from bot.domain.knowledge.timewindow import month_year, parse_window

REYKJAVIK = ZoneInfo("Atlantic/Reykjavik")  # UTC+0 all year

NOW = datetime(2021, 3, 24, 10, 0, tzinfo=COPENHAGEN)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Hvad sker der i dag?", date(2021, 3, 24), date(2021, 3, 24)),
        ("Hvad sker der i morgen?", date(2021, 3, 25), date(2021, 3, 25)),
        ("what is happening tomorrow", date(2021, 3, 25), date(2021, 3, 25)),
        ("Hvad sker der næste uge?", date(2021, 3, 29), date(2021, 4, 4)),
        ("naeste uge", date(2021, 3, 29), date(2021, 4, 4)),
        ("anything next week?", date(2021, 3, 29), date(2021, 4, 4)),
        ("denne uge", date(2021, 3, 22), date(2021, 3, 28)),
        ("Hvad sker der denne måned?", date(2021, 3, 1), date(2021, 3, 31)),
        ("næste måned", date(2021, 4, 1), date(2021, 4, 30)),
        ("Hvad sker der i april?", date(2021, 4, 1), date(2021, 4, 30)),
        ("What happens in April?", date(2021, 4, 1), date(2021, 4, 30)),
        ("in May", date(2021, 5, 1), date(2021, 5, 31)),
        ("i februar 2022", date(2022, 2, 1), date(2022, 2, 28)),
        ("i oktober", date(2021, 10, 1), date(2021, 10, 31)),
        # Short names after "i"/"in" ("jul" alone is Christmas, tested below).
        ("noget i nov?", date(2021, 11, 1), date(2021, 11, 30)),
        ("anything in sept. 2022", date(2022, 9, 1), date(2022, 9, 30)),
        ("i okt", date(2021, 10, 1), date(2021, 10, 31)),
        # A bare month is its next occurrence (planning looks ahead) ...
        ("i januar", date(2022, 1, 1), date(2022, 1, 31)),
        ("i marts", date(2021, 3, 1), date(2021, 3, 31)),  # ... this month included
        # ... unless the question is in the past tense: then the latest one.
        ("Hvad skete der i januar?", date(2021, 1, 1), date(2021, 1, 31)),
        ("Hvad blev der talt om i februar?", date(2021, 2, 1), date(2021, 2, 28)),
        ("What happened in January?", date(2021, 1, 1), date(2021, 1, 31)),
        ("i 2. kvartal", date(2021, 4, 1), date(2021, 6, 30)),
        ("Q4 2021", date(2021, 10, 1), date(2021, 12, 31)),
        ("uge 15", date(2021, 4, 12), date(2021, 4, 18)),
        ("på fredag", date(2021, 3, 26), date(2021, 3, 26)),
        ("den 12. april", date(2021, 4, 12), date(2021, 4, 12)),
        ("19/3-2021", date(2021, 3, 19), date(2021, 3, 19)),
        ("12/4", date(2021, 4, 12), date(2021, 4, 12)),
        ("om 3 dage", date(2021, 3, 27), date(2021, 3, 27)),
        # Two months together: from the first to the second, a year after them for both.
        ("noget i maj eller juni?", date(2021, 5, 1), date(2021, 6, 30)),
        ("anything in May or June 2022?", date(2022, 5, 1), date(2022, 6, 30)),
        ("fra marts til maj", date(2021, 3, 1), date(2021, 5, 31)),
        ("møderne i jan og feb", date(2022, 1, 1), date(2022, 2, 28)),
        ("okt-nov 2021", date(2021, 10, 1), date(2021, 11, 30)),
        ("i december og januar", date(2021, 12, 1), date(2022, 1, 31)),  # into the next year
        ("december og januar 2022", date(2021, 12, 1), date(2022, 1, 31)),
    ],
)
def test_windows(text, start, end):
    window = parse_window(text, NOW)
    assert window is not None, text
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Hvornår er webinaret?",
        "May I ask about KY?",
        "hvor mange dage til jul",
        "KP",
        "we may or may not attend",
    ],
)
def test_no_window(text):
    assert parse_window(text, NOW) is None


def test_now_is_taken_in_copenhagen_time():
    # 23:30 UTC on 24 March is already 25 March in Copenhagen.
    late = (
        datetime(2021, 3, 24, 23, 30, tzinfo=COPENHAGEN)
        .replace(tzinfo=None)
        .replace(tzinfo=COPENHAGEN)
    )
    utc_late = datetime.fromisoformat("2021-03-24T23:30:00+00:00")
    assert parse_window("i dag", utc_late).start == date(2021, 3, 25)
    assert parse_window("i dag", late).start == date(2021, 3, 24)


def test_labels():
    window = parse_window("i april", NOW)
    assert window.label("da") == "april 2021"
    assert window.label("en") == "April 2021"
    assert parse_window("næste uge", NOW).label("da") == "næste uge (29. marts–4. april 2021)"


ASKED_25_MARCH = datetime(2021, 3, 25, 10, 0, tzinfo=COPENHAGEN)  # a Thursday


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Hvad sker der i december?", date(2021, 12, 1)),  # not December 2020
        ("What is happening in December?", date(2021, 12, 1)),
        ("i marts", date(2021, 3, 1)),
        ("i februar", date(2022, 2, 1)),
        ("i november", date(2021, 11, 1)),
        ("i december 2020", date(2020, 12, 1)),  # a year in the text wins
        ("Hvad skete der i december?", date(2020, 12, 1)),
    ],
)
def test_bare_month_is_the_next_occurrence(text, start):
    window = parse_window(text, ASKED_25_MARCH)
    assert window is not None and window.start == start


def test_month_year_rule():
    today = date(2021, 3, 25)
    assert [month_year(today, m) for m in (2, 3, 4, 12)] == [2022, 2021, 2021, 2021]
    assert [month_year(today, m, past=True) for m in (1, 3, 4, 12)] == [2021, 2021, 2020, 2020]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # Asked on Wednesday 24 March 2021.
        ("Hvad sker der i dag?", date(2021, 3, 24), date(2021, 3, 24)),
        ("What is on today?", date(2021, 3, 24), date(2021, 3, 24)),
        ("Er der noget i morgen?", date(2021, 3, 25), date(2021, 3, 25)),
        ("imorgen", date(2021, 3, 25), date(2021, 3, 25)),
        ("Anything tomorrow?", date(2021, 3, 25), date(2021, 3, 25)),
        ("Hvad skete der i går?", date(2021, 3, 23), date(2021, 3, 23)),
        ("What happened yesterday?", date(2021, 3, 23), date(2021, 3, 23)),
        ("i overmorgen", date(2021, 3, 26), date(2021, 3, 26)),
        ("the day after tomorrow", date(2021, 3, 26), date(2021, 3, 26)),
        ("Hvad sker der næste uge?", date(2021, 3, 29), date(2021, 4, 4)),
        ("kommende uge", date(2021, 3, 29), date(2021, 4, 4)),
        ("What happens next week?", date(2021, 3, 29), date(2021, 4, 4)),
        ("Hvad sker der denne uge?", date(2021, 3, 22), date(2021, 3, 28)),
        ("this week", date(2021, 3, 22), date(2021, 3, 28)),
        ("sidste uge", date(2021, 3, 15), date(2021, 3, 21)),
        ("last week", date(2021, 3, 15), date(2021, 3, 21)),
        ("Hvad sker der om to uger?", date(2021, 4, 5), date(2021, 4, 11)),
        ("om 2 uger", date(2021, 4, 5), date(2021, 4, 11)),
        ("What is on in two weeks?", date(2021, 4, 5), date(2021, 4, 11)),
        ("om en uge", date(2021, 3, 29), date(2021, 4, 4)),
        ("om tre dage", date(2021, 3, 27), date(2021, 3, 27)),
        ("in 3 days", date(2021, 3, 27), date(2021, 3, 27)),
        ("Hvad sker der på fredag?", date(2021, 3, 26), date(2021, 3, 26)),
        ("pa fredag", date(2021, 3, 26), date(2021, 3, 26)),
        ("What is on on Friday?", date(2021, 3, 26), date(2021, 3, 26)),
        ("på lørdag", date(2021, 3, 27), date(2021, 3, 27)),
        ("on Monday", date(2021, 3, 29), date(2021, 3, 29)),
        # Asked on a Wednesday, "på onsdag" is next week's: today would be "i dag".
        ("på onsdag", date(2021, 3, 31), date(2021, 3, 31)),
        ("next month", date(2021, 4, 1), date(2021, 4, 30)),
        ("sidste måned", date(2021, 2, 1), date(2021, 2, 28)),
        ("this month", date(2021, 3, 1), date(2021, 3, 31)),
    ],
)
def test_relative_phrases_da_and_en(text, start, end):
    window = parse_window(text, NOW)
    assert window is not None, text
    assert (window.start, window.end) == (start, end)


def test_relative_labels_name_the_phrase_and_the_dates():
    window = parse_window("Hvad sker der om to uger?", NOW)
    assert window.label("da") == "om 2 uger (5.–11. april 2021)"
    assert window.label("en") == "in 2 weeks (5–11 April 2021)"
    assert parse_window("on Friday", NOW).label("da") == "fredag den 26. marts 2021"
    assert parse_window("tomorrow", NOW).label("da") == "i morgen (25. marts 2021)"


def test_next_week_across_a_year_end():
    new_years_eve = datetime(2021, 12, 31, 12, 0, tzinfo=COPENHAGEN)  # a Friday
    window = parse_window("næste uge", new_years_eve)
    assert (window.start, window.end) == (date(2022, 1, 3), date(2022, 1, 9))
    window = parse_window("next month", new_years_eve)
    assert (window.start, window.end) == (date(2022, 1, 1), date(2022, 1, 31))


@pytest.fixture
def dateparser_calls(monkeypatch):
    """Counts dateparser.parse calls with an empty phrase cache."""
    import dateparser

    calls = []
    real = dateparser.parse

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", counting)
    monkeypatch.setattr(timewindow, "_PARSED", {})
    return calls


def test_relative_phrases_are_resolved_by_dateparser(dateparser_calls):
    assert parse_window("Hvad sker der naeste uge?", NOW).start == date(2021, 3, 29)
    assert parse_window("tomorrow", NOW).start == date(2021, 3, 25)
    assert parse_window("om to uger", NOW).start == date(2021, 4, 5)
    assert parse_window("på søndag", NOW).start == date(2021, 3, 28)
    assert dateparser_calls == ["næste uge", "tomorrow", "om 2 uger", "søndag"]


@pytest.mark.parametrize(
    "text",
    [
        "Hvad laver en superbruger?",
        "Hvornår er webinaret om KY?",
        "Hvad sker der i april?",
        "uge 15",
        "Q2",
        "hvor mange dage til jul",
    ],
)
def test_questions_without_a_relative_cue_skip_dateparser(dateparser_calls, text):
    parse_window(text, NOW)
    assert dateparser_calls == []


def test_a_phrase_is_parsed_once_per_day(dateparser_calls):
    parse_window("i morgen", NOW)
    parse_window("Er der noget i morgen?", NOW.replace(hour=18))
    assert dateparser_calls == ["i morgen"]
    parse_window("i morgen", datetime(2021, 3, 25, 9, 0, tzinfo=COPENHAGEN))
    assert dateparser_calls == ["i morgen", "i morgen"]


def test_no_warnings_escape(dateparser_calls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_window("i morgen", NOW) is not None


def test_relative_days_are_taken_in_the_given_zone():
    # 23:30 UTC on 24 March: still the 24th in Reykjavik, already the 25th in Copenhagen.
    late = datetime(2021, 3, 24, 23, 30, tzinfo=UTC)
    assert parse_window("i morgen", late, REYKJAVIK).start == date(2021, 3, 25)
    assert parse_window("i morgen", late).start == date(2021, 3, 26)
    assert parse_window("i dag", late, REYKJAVIK).start == date(2021, 3, 24)
    assert parse_window("næste uge", late, REYKJAVIK).start == date(2021, 3, 29)
    # Sunday 28 March 23:30 UTC: Monday in Copenhagen, so "next week" differs by a week.
    sunday = datetime(2021, 3, 28, 23, 30, tzinfo=UTC)
    assert parse_window("next week", sunday, REYKJAVIK).start == date(2021, 3, 29)
    assert parse_window("next week", sunday).start == date(2021, 4, 5)


DECEMBER = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)
JULY = datetime(2027, 7, 15, 10, 0, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("text", "now", "start", "end", "label"),
    [
        # A season is the coming one, or the one we are in ...
        ("hvad sker der i foråret", NOW, date(2021, 3, 1), date(2021, 5, 31), "i foråret 2021"),
        (
            "hvad sker der i foråret",
            DECEMBER,
            date(2027, 3, 1),
            date(2027, 5, 31),
            "i foråret 2027",
        ),
        (
            "anything in the spring?",
            DECEMBER,
            date(2027, 3, 1),
            date(2027, 5, 31),
            "in spring 2027",
        ),
        ("til sommer", NOW, date(2021, 6, 1), date(2021, 8, 31), "i sommeren 2021"),
        ("in the fall", NOW, date(2021, 9, 1), date(2021, 11, 30), "in autumn 2021"),
        ("i efteråret 2021", DECEMBER, date(2021, 9, 1), date(2021, 11, 30), "i efteråret 2021"),
        ("this winter", DECEMBER, date(2026, 12, 1), date(2027, 2, 28), "in winter 2026–27"),
        # ... or the latest one in the past tense.
        (
            "hvad skete der i foråret",
            DECEMBER,
            date(2026, 3, 1),
            date(2026, 5, 31),
            "i foråret 2026",
        ),
        # "Before": from today until the season begins (or the summer holidays end).
        ("er der noget vi skal nå inden sommer?", NOW, date(2021, 3, 24), date(2021, 5, 31), None),
        ("inden sommerferien", NOW, date(2021, 3, 24), date(2021, 6, 30), None),
        ("before the summer", DECEMBER, date(2026, 12, 2), date(2027, 5, 31), None),
        # ... and once it has begun, until the next one.
        ("inden sommerferien", JULY, date(2027, 7, 15), date(2028, 6, 30), None),
        ("inden sommer", JULY, date(2027, 7, 15), date(2028, 5, 31), None),
        # ... and of a year long past, that year until then.
        (
            "hvad skulle vi have nået inden sommerferien i 2021?",
            DECEMBER,
            date(2021, 1, 1),
            date(2021, 6, 30),
            "inden sommerferien 2021 (1. januar–30. juni 2021)",
        ),
        # Years.
        ("hvad skete der i 2021", DECEMBER, date(2021, 1, 1), date(2021, 12, 31), "i 2021"),
        ("hvad sker der i år", DECEMBER, date(2026, 1, 1), date(2026, 12, 31), "i 2026"),
        ("next year", DECEMBER, date(2027, 1, 1), date(2027, 12, 31), "in 2027"),
    ],
)
def test_seasons_and_years(text, now, start, end, label):
    window = parse_window(text, now, COPENHAGEN)
    assert window is not None and (window.start, window.end) == (start, end)
    if label is not None:
        english = label.startswith("in ")
        assert window.phrase("en" if english else "da") == label


@pytest.mark.parametrize(
    "text",
    ["I fall behind on KLIK", "sommerfest", "planer for vinterbadning", "hvad er en årsopgørelse"],
)
def test_season_words_that_are_no_window(text):
    assert parse_window(text, DECEMBER, COPENHAGEN) is None


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        # Quarters as words, in both languages, with or without a year.
        ("Er der noget i fjerde kvartal 2021?", date(2021, 10, 1), date(2021, 12, 31), None),
        ("hvad sker der i andet kvartal", date(2027, 4, 1), date(2027, 6, 30), None),
        ("What's on in the fourth quarter of 2021?", date(2021, 10, 1), date(2021, 12, 31), None),
        ("anything in the first quarter?", date(2027, 1, 1), date(2027, 3, 31), None),
        # The next few weeks or days: from today on (two weeks when no count is given).
        (
            "hvad sker der de næste par uger?",
            date(2026, 12, 2),
            date(2026, 12, 15),
            "de næste 2 uger (2.–15. december 2026)",
        ),
        (
            "anything scheduled for the next couple of weeks?",
            date(2026, 12, 2),
            date(2026, 12, 15),
            None,
        ),
        ("noget i de kommende uger?", date(2026, 12, 2), date(2026, 12, 15), None),
        ("the next three weeks", date(2026, 12, 2), date(2026, 12, 22), None),
        (
            "de næste 10 dage",
            date(2026, 12, 2),
            date(2026, 12, 11),
            "de næste 10 dage (2.–11. december 2026)",
        ),
    ],
)
def test_quarter_words_and_next_spans(text, start, end, label):
    window = parse_window(text, DECEMBER, COPENHAGEN)
    assert window is not None and (window.start, window.end) == (start, end)
    if label is not None:
        assert window.phrase("da") == label


def test_next_span_is_bounded():
    window = parse_window("de næste 999 uger", DECEMBER, COPENHAGEN)
    assert window is not None and (window.end - window.start).days == timewindow.MAX_SPAN_DAYS - 1
