"""Working days on the Chinese calendar: statutory holidays off, the adjusted weekends (调休) on.

Pure code, no Django. The calendar of each year comes from the `chinese-calendar` package, which follows the
State Council's yearly notice (published each November for the next year). A year the installed package
does not know is refused with `CalendarNotCovered` naming the year: a deadline is never guessed from the
plain weekly pattern, since a wrong deadline is worse than none. Upgrade the package when the notice is out.

Counting convention (the usual one for 工作日 limits): the start day itself is not counted; "within n working
days of D" ends on the n-th working day after D.
"""

from __future__ import annotations

import calendar
import datetime
from functools import lru_cache

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(ValueError):
    """The working-day calendar of a year is not known (not yet published, or the package is too old)."""

    def __init__(self, year: int) -> None:
        first, last = covered_years()
        self.year = year
        super().__init__(
            f"no working-day calendar for {year}: the installed chinese-calendar covers {first}–{last}; "
            "upgrade it once the State Council has published that year's holidays"
        )


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    known = set(chinese_calendar.constants.holidays) | set(chinese_calendar.constants.workdays)
    return min(known).year, max(known).year


def _check(day: datetime.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarNotCovered(day.year)


def is_workday(day: datetime.date) -> bool:
    """True on a working day: Monday to Friday outside holidays, and an adjusted weekend working day."""
    _check(day)
    return bool(chinese_calendar.is_workday(day))


def is_holiday_name(day: datetime.date) -> str | None:
    """The name of the statutory holiday on `day` (e.g. "National Day"), or None."""
    _check(day)
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return str(name) if on_holiday and name else None


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (n ≥ 0; n = 0 gives `start` itself, even if not a working day)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    _check(day)
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    `workdays_between(d, add_workdays(d, n)) == n` for every n.
    """
    if end < start:
        return -workdays_between(end, start)
    _check(start)
    _check(end)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_workday(day):
            count += 1
    return count


def next_workday(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += ONE_DAY
    return day


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 month = 28/29 Feb),
    moved on to the next working day when it falls on a day off, as a period that ends on a holiday does."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return next_workday(datetime.date(year, month, day))
