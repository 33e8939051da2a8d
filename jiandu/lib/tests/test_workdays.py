"""Working days on the Chinese calendar: properties over the covered years, and the 2025 examples."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.workdays import (
    CalendarNotCovered,
    add_months,
    add_workdays,
    covered_years,
    is_holiday_name,
    is_workday,
    workdays_between,
)

D = datetime.date
# Start days whose counting stays inside the covered years (2024–2026 with chinese-calendar 1.11.0).
starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 6, 30))
counts = st.integers(min_value=0, max_value=40)


@given(starts, counts)
def test_adding_n_working_days_then_counting_back_gives_n(start: datetime.date, n: int) -> None:
    assert workdays_between(start, add_workdays(start, n)) == n


@given(starts, st.integers(min_value=1, max_value=40))
def test_the_result_is_a_working_day_never_a_holiday(start: datetime.date, n: int) -> None:
    end = add_workdays(start, n)
    assert is_workday(end)
    assert is_holiday_name(end) is None
    assert end > start


@given(starts, counts, counts)
def test_adding_is_additive(start: datetime.date, m: int, n: int) -> None:
    assert add_workdays(add_workdays(start, m), n) == add_workdays(start, m + n)


@given(starts, starts)
def test_counting_is_antisymmetric(a: datetime.date, b: datetime.date) -> None:
    assert workdays_between(a, b) == -workdays_between(b, a)


@given(starts, st.integers(min_value=0, max_value=2))
def test_adding_months_lands_on_a_working_day_not_before_the_calendar_date(
    start: datetime.date, months: int
) -> None:
    end = add_months(start, months)
    assert is_workday(end)
    assert (end.year - start.year) * 12 + end.month - start.month in (months, months + 1)


def test_2025_national_day_with_its_adjusted_working_weekends() -> None:
    # 1–8 October off; Sunday 28 September and Saturday 11 October worked (调休).
    assert is_workday(D(2025, 9, 28)) and is_workday(D(2025, 10, 11))
    assert not any(is_workday(D(2025, 10, day)) for day in range(1, 9))
    assert is_holiday_name(D(2025, 10, 1)) == "National Day"
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Friday → the Sunday worked
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)  # Thursday, Friday, the Saturday worked
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_2025_spring_festival_with_its_adjusted_working_weekends() -> None:
    # 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
    assert is_workday(D(2025, 1, 26)) and is_workday(D(2025, 2, 8))
    assert not any(is_workday(D(2025, 1, 28) + datetime.timedelta(days=i)) for i in range(8))
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_workdays(D(2025, 1, 27), 4) == D(2025, 2, 8)
    # 15 working days from the day before the holiday: three weeks later than a plain weekday count.
    assert add_workdays(D(2025, 1, 27), 15) == D(2025, 2, 24)


def test_a_period_in_months_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    assert add_months(D(2025, 8, 1), 2) == D(2025, 10, 9)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)


def test_a_year_without_a_published_calendar_is_refused_not_guessed() -> None:
    last = covered_years()[1]
    with pytest.raises(CalendarNotCovered, match=str(last + 1)):
        is_workday(D(last + 1, 3, 2))
    with pytest.raises(CalendarNotCovered):
        add_workdays(D(last, 12, 20), 30)
    with pytest.raises(CalendarNotCovered):
        workdays_between(D(last, 12, 1), D(last + 1, 1, 10))
