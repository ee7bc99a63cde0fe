"""Time windows in questions, relative to a given now (Europe/Copenhagen)."""

from datetime import date, datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge.timewindow import parse_window

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
        ("i januar", date(2021, 1, 1), date(2021, 1, 31)),  # nearest: two months back
        ("i 2. kvartal", date(2021, 4, 1), date(2021, 6, 30)),
        ("Q4 2021", date(2021, 10, 1), date(2021, 12, 31)),
        ("uge 15", date(2021, 4, 12), date(2021, 4, 18)),
        ("på fredag", date(2021, 3, 26), date(2021, 3, 26)),
        ("den 12. april", date(2021, 4, 12), date(2021, 4, 12)),
        ("19/3-2021", date(2021, 3, 19), date(2021, 3, 19)),
        ("12/4", date(2021, 4, 12), date(2021, 4, 12)),
        ("om 3 dage", date(2021, 3, 27), date(2021, 3, 27)),
    ],
)
def test_windows(text, start, end):
    window = parse_window(text, NOW)
    assert window is not None, text
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["Hvornår er webinaret?", "May I ask about KY?", "hvor mange dage til jul", "KP"]
)
def test_no_window(text):
    assert parse_window(text, NOW) is None


def test_now_is_taken_in_copenhagen_time():
    # 23:30 UTC on 24 March is already 25 March in Copenhagen.
    late = datetime(2021, 3, 24, 23, 30, tzinfo=COPENHAGEN).replace(
        tzinfo=None
    ).replace(tzinfo=COPENHAGEN)
    utc_late = datetime.fromisoformat("2021-03-24T23:30:00+00:00")
    assert parse_window("i dag", utc_late).start == date(2021, 3, 25)
    assert parse_window("i dag", late).start == date(2021, 3, 24)


def test_labels():
    window = parse_window("i april", NOW)
    assert window.label("da") == "april 2021"
    assert window.label("en") == "April 2021"
    assert parse_window("næste uge", NOW).label("da") == "næste uge (29. marts–4. april 2021)"
