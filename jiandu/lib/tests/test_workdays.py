"""Working days on the Chinese calendar: properties over the covered years, and the 2025 examples."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.workdays import (
    CalendarNotCovered,
    ExtraDays,
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


# --- days entered by administrators (ExtraDays) ----------------------------------------------------------

# Entered arrangements for 2027 and 2028 (beyond the package), with some days overriding 2026's too: any
# days may be off or worked. At most 60 of them, so 40 working days from mid-2028 stay inside 2028.
extra_days = st.builds(
    lambda days, names: ExtraDays(
        days=days, names={d: names for d, off in days.items() if not off}, years=frozenset({2027, 2028})
    ),
    st.dictionaries(st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 12, 31)), st.booleans(), max_size=60),
    st.sampled_from(["春节", "国庆节", ""]),
)
extended_starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 6, 30))


@given(extra_days, extended_starts, counts)
def test_with_extra_days_adding_then_counting_back_gives_n(
    extra: ExtraDays, start: datetime.date, n: int
) -> None:
    assert workdays_between(start, add_workdays(start, n, extra), extra) == n


@given(extra_days, extended_starts, st.integers(min_value=1, max_value=40))
def test_with_extra_days_the_result_is_a_working_day(extra: ExtraDays, start: datetime.date, n: int) -> None:
    end = add_workdays(start, n, extra)
    assert end > start and is_workday(end, extra) and is_holiday_name(end, extra) is None


@given(extra_days, extended_starts, counts, counts)
def test_with_extra_days_adding_is_additive(extra: ExtraDays, start: datetime.date, m: int, n: int) -> None:
    assert add_workdays(add_workdays(start, m, extra), n, extra) == add_workdays(start, m + n, extra)


@given(extra_days, extended_starts, extended_starts)
def test_with_extra_days_counting_is_antisymmetric(
    extra: ExtraDays, a: datetime.date, b: datetime.date
) -> None:
    assert workdays_between(a, b, extra) == -workdays_between(b, a, extra)


@given(extra_days, st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 12, 31)))
def test_an_entered_day_wins_and_other_days_keep_the_package_or_the_week(
    extra: ExtraDays, day: datetime.date
) -> None:
    if day in extra.days:
        assert is_workday(day, extra) is extra.days[day]
    elif day.year == 2026:
        assert is_workday(day, extra) == is_workday(day)
    else:
        assert is_workday(day, extra) == (day.weekday() < 5)


@given(starts, counts)
def test_entering_the_package_s_own_days_changes_nothing(start: datetime.date, n: int) -> None:
    same = {
        start + datetime.timedelta(days=i): is_workday(start + datetime.timedelta(days=i)) for i in range(90)
    }
    assert add_workdays(start, n, ExtraDays(days=same)) == add_workdays(start, n)


def test_2027_counts_once_its_arrangement_is_entered_complete() -> None:
    # A plausible 2027 Spring Festival: 6–12 February off (Saturday 6 to Friday 12), Sunday 14 worked.
    off = {D(2027, 2, 6) + datetime.timedelta(days=i): False for i in range(7)}
    arrangement = {**off, D(2027, 2, 14): True}
    names = dict.fromkeys(off, "春节")
    partial = ExtraDays(days=arrangement, names=names)
    with pytest.raises(CalendarNotCovered, match="2027"):
        add_workdays(D(2027, 2, 5), 1, partial)  # entered, but not marked complete: still refused
    complete = ExtraDays(days=arrangement, names=names, years=frozenset({2027}))
    assert add_workdays(D(2027, 2, 5), 1, complete) == D(2027, 2, 14)
    assert add_workdays(D(2027, 2, 5), 2, complete) == D(2027, 2, 15)
    assert is_holiday_name(D(2027, 2, 8), complete) == "春节"
    assert add_workdays(D(2026, 12, 30), 3, complete) == D(2027, 1, 4)  # 1 January is not entered: worked
    with pytest.raises(CalendarNotCovered, match="2028"):
        add_workdays(D(2027, 12, 20), 30, complete)


def test_an_entered_day_overrides_a_covered_year() -> None:
    # A correction to a year the package knows: a Monday made a day off.
    fix = ExtraDays(days={D(2026, 3, 9): False}, names={D(2026, 3, 9): "更正"})
    assert is_workday(D(2026, 3, 9)) and not is_workday(D(2026, 3, 9), fix)
    assert add_workdays(D(2026, 3, 6), 1, fix) == D(2026, 3, 10)
