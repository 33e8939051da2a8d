"""Working days on the Chinese calendar: statutory holidays off, the adjusted weekends (调休) on.

Pure code, no Django. The calendar of each year comes from the `chinese-calendar` package, which follows the
State Council's yearly notice (放假安排, published each autumn for the next year). Administrators enter a
notice the package does not know yet as `ExtraDays` (the Django side, jiandu/calendar, loads its table once
and passes it in): its days override the package's, and a year it marks complete is covered, its other
days following the weekly pattern (Monday to Friday worked). A year neither knows is refused with
`CalendarNotCovered` naming the year: a deadline is never guessed from the plain weekly pattern, since a
wrong deadline is worse than none.

Counting convention (the usual one for 工作日 limits): the start day itself is not counted; "within n working
days of D" ends on the n-th working day after D.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(ValueError):
    """The working-day calendar of a year is not known (not yet published, or not yet entered)."""

    def __init__(self, year: int) -> None:
        first, last = covered_years()
        self.year = year
        super().__init__(
            f"no working-day calendar for {year}: the installed chinese-calendar covers {first}–{last} and "
            f"no complete arrangement for {year} has been entered; enter the State Council's notice once it "
            "is published"
        )


@dataclass(frozen=True)
class ExtraDays:
    """Days entered by administrators on top of the package.

    `days`: date → worked (True: an adjusted working day, 调休上班; False: a day off, e.g. 春节), overriding
    the package where both speak. `names`: the name of such a day (春节, 国庆节 …). `years`: the years whose
    arrangement is entered completely, and so covered even where the package is not; a year with some days
    but not marked complete stays refused where the package does not know it.
    """

    days: Mapping[datetime.date, bool] = field(default_factory=dict)
    names: Mapping[datetime.date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()


NO_EXTRA = ExtraDays()


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    known = set(chinese_calendar.constants.holidays) | set(chinese_calendar.constants.workdays)
    return min(known).year, max(known).year


def package_covers(year: int) -> bool:
    first, last = covered_years()
    return first <= year <= last


def is_covered(year: int, extra: ExtraDays | None = None) -> bool:
    """True when the working days of `year` can be counted: the package knows it, or its arrangement has
    been entered completely."""
    return package_covers(year) or (extra is not None and year in extra.years)


def _check(day: datetime.date, extra: ExtraDays | None) -> None:
    if not is_covered(day.year, extra):
        raise CalendarNotCovered(day.year)


def is_workday(day: datetime.date, extra: ExtraDays | None = None) -> bool:
    """True on a working day: Monday to Friday outside holidays, and an adjusted weekend working day."""
    _check(day, extra)
    if extra is not None and day in extra.days:
        return extra.days[day]
    if package_covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def is_holiday_name(day: datetime.date, extra: ExtraDays | None = None) -> str | None:
    """The name of the statutory holiday on `day` (e.g. "National Day", or an entered 春节), or None."""
    _check(day, extra)
    if extra is not None and day in extra.days:
        return None if extra.days[day] else (extra.names.get(day) or None)
    if not package_covers(day.year):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return str(name) if on_holiday and name else None


def add_workdays(start: datetime.date, n: int, extra: ExtraDays | None = None) -> datetime.date:
    """The n-th working day after `start` (n ≥ 0; n = 0 gives `start` itself, even if not a working day)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    _check(day, extra)
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_workday(day, extra):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date, extra: ExtraDays | None = None) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    `workdays_between(d, add_workdays(d, n)) == n` for every n.
    """
    if end < start:
        return -workdays_between(end, start, extra)
    _check(start, extra)
    _check(end, extra)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_workday(day, extra):
            count += 1
    return count


def next_workday(day: datetime.date, extra: ExtraDays | None = None) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_workday(day, extra):
        day += ONE_DAY
    return day


def add_months(start: datetime.date, months: int, extra: ExtraDays | None = None) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 month = 28/29 Feb),
    moved on to the next working day when it falls on a day off, as a period that ends on a holiday does."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return next_workday(datetime.date(year, month, day), extra)
