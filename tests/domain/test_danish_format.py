"""Danish and English formatting of dates, ranges, months, quarters and numbers."""

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.danish_format import (
    format_amount_dkk,
    format_date,
    format_date_range,
    format_datetime_range,
    format_day_and_times,
    format_month,
    format_month_range,
    format_number,
    format_quarter,
    format_time,
)


def test_date_da_and_en():
    assert format_date(date(2021, 4, 12)) == "12. april 2021"
    assert format_date(date(2021, 4, 12), "en") == "12 April 2021"
    assert format_date(date(2021, 4, 12), weekday=True) == "mandag den 12. april 2021"


def test_day_with_time_range():
    day, start, end = date(2021, 4, 12), time(13), time(15)
    assert format_day_and_times(day, start, end) == "12. april 2021 kl. 13.00–15.00"
    assert format_day_and_times(day, start, end, "en") == "12 April 2021, 13:00–15:00"
    assert format_day_and_times(day, None) == "12. april 2021"


def test_aware_datetimes_are_shown_in_copenhagen_time():
    # 11:00 UTC is 13:00 in Copenhagen in April (summer time) ...
    start = datetime(2021, 4, 12, 11, 0, tzinfo=UTC)
    end = datetime(2021, 4, 12, 13, 0, tzinfo=UTC)
    assert format_datetime_range(start, end) == "12. april 2021 kl. 13.00–15.00"
    # ... and 12:00 UTC is 13:00 in January (standard time).
    assert format_time(datetime(2021, 1, 5, 12, 0, tzinfo=UTC)) == "13.00"


def test_datetime_range_across_midnight_names_both_days():
    start = datetime(2021, 4, 12, 20, 0, tzinfo=UTC)
    end = datetime(2021, 4, 13, 8, 0, tzinfo=UTC)
    assert format_datetime_range(start, end) == (
        "12. april 2021 kl. 22.00 – 13. april 2021 kl. 10.00"
    )


def test_date_ranges():
    assert format_date_range(date(2021, 10, 13), date(2021, 10, 14)) == "13.–14. oktober 2021"
    assert format_date_range(date(2021, 10, 30), date(2021, 11, 2)) == (
        "30. oktober–2. november 2021"
    )
    assert format_date_range(date(2021, 12, 30), date(2022, 1, 2), "en") == (
        "30 December 2021–2 January 2022"
    )
    assert format_date_range(date(2021, 10, 13), date(2021, 10, 14), "en") == "13–14 October 2021"


def test_months_and_quarters():
    assert format_month(2022, 2) == "februar 2022"
    assert format_month(2022, 2, "en") == "February 2022"
    assert format_month_range((2021, 10), (2022, 1)) == "oktober 2021–januar 2022"
    assert format_month_range((2021, 4), (2021, 6), "en") == "April–June 2021"
    assert format_quarter(2021, 2) == "2. kvartal 2021"
    assert format_quarter(2021, 2, "en") == "Q2 2021"
    with pytest.raises(ValueError):
        format_quarter(2021, 5)


def test_numbers_and_amounts():
    assert format_number(1234567.5, 1) == "1.234.567,5"
    assert format_number(1234567.5, 1, "en") == "1,234,567.5"
    assert format_amount_dkk(2_900_000) == "2,9 mio. kr."
    assert format_amount_dkk(2_900_000, "en") == "DKK 2.9 million"
    assert format_amount_dkk(3_000_000) == "3 mio. kr."
    assert format_amount_dkk(12_500) == "12.500 kr."


def test_times_in_another_zone():
    from zoneinfo import ZoneInfo

    from bot.domain.danish_format import to_copenhagen, to_zone

    reykjavik = ZoneInfo("Atlantic/Reykjavik")
    start = datetime(2021, 4, 12, 11, 0, tzinfo=UTC)
    end = datetime(2021, 4, 12, 13, 0, tzinfo=UTC)
    assert format_datetime_range(start, end, zone=reykjavik) == "12. april 2021 kl. 11.00–13.00"
    assert format_time(start, "en", zone=reykjavik) == "11:00"
    late = datetime(2021, 4, 11, 23, 30, tzinfo=UTC)
    assert format_date(late, zone=reykjavik) == "11. april 2021"
    assert format_date(late) == "12. april 2021"  # Copenhagen by default
    assert to_zone(late, reykjavik).hour == 23
    assert to_copenhagen(late) == to_zone(late)
    assert to_zone(datetime(2021, 4, 12, 9, 0), reykjavik).tzinfo is reykjavik  # naive: as given
