"""Periods: months and quarters written as 2026-10 and 2026-Q3; they tile the calendar without gaps."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.periods import (
    MONTHLY,
    QUARTERLY,
    Period,
    PeriodError,
    ended_periods,
    parse_period,
    period_of,
)

days = st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(9990, 12, 31))
frequencies = st.sampled_from([MONTHLY, QUARTERLY])


@given(days, frequencies)
def test_a_day_lies_in_its_period_and_periods_follow_each_other(day, frequency):
    period = period_of(day, frequency)
    assert period.contains(day)
    assert period.frequency == frequency
    assert period.next().start == period.end + datetime.timedelta(days=1)
    assert period.next().previous() == period
    assert parse_period(str(period)) == period


# Thirty quarters back from any of these days stay in the years a period may have (1900 on).
recent_days = st.dates(min_value=datetime.date(1910, 1, 1), max_value=datetime.date(9990, 12, 31))


@given(recent_days, frequencies, st.integers(min_value=1, max_value=30))
def test_ended_periods_are_consecutive_and_before_today(today, frequency, count):
    periods = ended_periods(today, frequency, count)
    assert len(periods) == count
    assert periods[0].end < today and periods[0].next().contains(today)
    for newer, older in zip(periods, periods[1:], strict=False):
        assert older.next() == newer


def test_written_forms():
    assert str(Period(2026, month=3)) == "2026-03"
    assert str(Period(2026, quarter=3)) == "2026-Q3"
    assert parse_period(" 2026-q4 ") == Period(2026, quarter=4)
    assert Period(2026, quarter=3).start == datetime.date(2026, 7, 1)
    assert Period(2026, quarter=3).end == datetime.date(2026, 9, 30)
    assert Period(2024, month=2).end == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026/10", "26-10", "2026-1", "", "十月"]
)
def test_malformed_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)
