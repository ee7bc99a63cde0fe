"""Danish holidays as time windows: Easter and Whitsun move, the school holidays are weeks."""

from datetime import date, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.timewindow import parse_window

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=COPENHAGEN)  # a Thursday, three weeks before Christmas


@pytest.mark.parametrize(
    ("text", "start", "end", "label_da", "label_en"),
    [
        # Easter 2027 is 28 March: palmesøndag to 2. påskedag.
        (
            "Hvad sker der i påsken?",
            date(2027, 3, 21),
            date(2027, 3, 29),
            "i påsken 2027",
            "over Easter 2027",
        ),
        (
            "hvad sker der efter paaske?",
            date(2027, 3, 30),
            date(2027, 5, 10),
            "efter påske 2027",
            "after Easter 2027",
        ),
        (
            "anything before Easter?",
            date(2026, 12, 3),
            date(2027, 3, 20),
            "inden påske 2027",
            "before Easter 2027",
        ),
        # Easter 2021 was 4 April.
        (
            "hvad skete der i påsken 2021",
            date(2021, 3, 28),
            date(2021, 4, 5),
            "i påsken 2021",
            "over Easter 2021",
        ),
        (
            "skal vi nå det inden påske 2021?",
            date(2021, 1, 1),
            date(2021, 3, 27),
            "inden påske 2021",
            "before Easter 2021",
        ),
        ("i pinsen", date(2027, 5, 15), date(2027, 5, 17), "i pinsen 2027", "over Whitsun 2027"),
        (
            "Hvad skal vi nå inden jul?",
            date(2026, 12, 3),
            date(2026, 12, 23),
            "inden jul 2026",
            "before Christmas 2026",
        ),
        (
            "hvad skal være klar til jul",
            date(2026, 12, 3),
            date(2026, 12, 23),
            "inden jul 2026",
            "before Christmas 2026",
        ),
        (
            "noget før jul?",
            date(2026, 12, 3),
            date(2026, 12, 23),
            "inden jul 2026",
            "before Christmas 2026",
        ),
        (
            "anything over the Christmas holidays?",
            date(2026, 12, 23),
            date(2027, 1, 1),
            "i juleferien 2026",
            "over the Christmas holidays 2026",
        ),
        (
            "mellem jul og nytår",
            date(2026, 12, 27),
            date(2026, 12, 30),
            "i romjulen 2026",
            "over the days between Christmas and New Year 2026",
        ),
        (
            "hvad sker der efter nytår?",
            date(2027, 1, 2),
            date(2027, 2, 12),
            "efter nytår 2027",
            "after New Year 2027",
        ),
        # The school holidays: week 42 and week 7, from the Saturday before.
        (
            "i efterårsferien",
            date(2027, 10, 16),
            date(2027, 10, 24),
            "i efterårsferien 2027",
            "over the autumn school holidays 2027",
        ),
        (
            "efter vinterferien",
            date(2027, 2, 22),
            date(2027, 4, 4),
            "efter vinterferien 2027",
            "after the winter school holidays 2027",
        ),
    ],
)
def test_holiday_windows(text, start, end, label_da, label_en):
    window = parse_window(text, NOW)
    assert window is not None, text
    assert (window.start, window.end) == (start, end)
    # The label names the holiday and the dates it was taken to mean.
    assert window.label_da.startswith(label_da + " (")
    assert window.label_en.startswith(label_en + " (")


def test_the_holiday_we_are_in_is_this_one():
    christmas_eve = datetime(2026, 12, 25, 9, 0, tzinfo=COPENHAGEN)
    window = parse_window("hvad sker der i julen?", christmas_eve)
    assert (window.start, window.end) == (date(2026, 12, 24), date(2026, 12, 26))
    # Once it is over, the next one.
    window = parse_window("hvad sker der i julen?", datetime(2026, 12, 28, tzinfo=COPENHAGEN))
    assert window.start == date(2027, 12, 24)


def test_a_holiday_is_no_topic_word():
    window = parse_window("Hvad sker der efter påske med KP Basis?", NOW)
    assert {"efter", "paske"} <= window.words


@pytest.mark.parametrize(
    "text",
    ["hvor mange dage er der til jul", "how long until Christmas", "hvad med juli?"],
)
def test_counting_days_or_a_month_is_no_holiday(text):
    window = parse_window(text, NOW)
    assert window is None or window.label_da == "juli 2027"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Godt nytår! Hvad sker der i marts?", "marts 2027"),  # a greeting names no period
        ("Glædelig jul! Hvornår er webinaret om KY?", None),
        ("Happy new year! Anything in February?", "februar 2027"),
    ],
)
def test_a_greeting_is_no_holiday(text, label):
    window = parse_window(text, NOW)
    assert (window.label_da if window else None) == label


def test_a_given_year_is_the_holiday_of_that_year():
    window = parse_window("hvad sker der efter nytår 2027?", NOW)
    assert (window.start, window.end) == (date(2027, 1, 2), date(2027, 2, 12))
    assert window.label_da.startswith("efter nytår 2027 (")
    window = parse_window("efter juleferien 2026", NOW)
    assert window.start == date(2027, 1, 2)
    assert window.label_da.startswith("efter juleferien 2026 (")


def test_before_a_holiday_we_are_in_is_no_period_and_never_more_than_a_year():
    assert (
        parse_window("hvad skal vi nå inden jul?", datetime(2026, 12, 25, tzinfo=COPENHAGEN))
        is None
    )
    window = parse_window("hvad skal vi nå inden jul?", datetime(2026, 12, 27, tzinfo=COPENHAGEN))
    assert (window.end - window.start).days < 366


def test_the_past_tense_takes_the_latest_that_has_begun():
    new_years_day = datetime(2026, 1, 1, 12, 0, tzinfo=COPENHAGEN)
    window = parse_window("hvad skete der efter nytår?", new_years_day)
    assert window.start == date(2025, 1, 2)


def test_counting_people_is_no_countdown():
    window = parse_window("hvor mange deltog i webinaret inden jul?", NOW)
    assert window is not None and window.end == date(2026, 12, 23)
