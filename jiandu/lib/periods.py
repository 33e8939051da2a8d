"""Filing periods: a month (`2026-10`) or a quarter (`2026-Q3`). Pure code, no Django.

A period is written the way people write it in a ledger's title; `parse_period` accepts exactly these two
forms (and a lower-case `q`), and refuses anything else with a message that says what was expected.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (MONTHLY, QUARTERLY)

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")


class PeriodError(ValueError):
    """A period string that is neither `YYYY-MM` nor `YYYY-Qn`."""


@dataclass(frozen=True, order=True)
class Period:
    """A month (`quarter` is None) or a quarter (`month` is None) of a year."""

    year: int
    month: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if (self.month is None) == (self.quarter is None):
            raise PeriodError("a period is a month or a quarter")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PeriodError(f"no month {self.month}")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise PeriodError(f"no quarter {self.quarter}")
        if not 1900 <= self.year <= 9998:
            raise PeriodError(f"year {self.year} is out of range")

    @property
    def frequency(self) -> str:
        return MONTHLY if self.month is not None else QUARTERLY

    @property
    def first_month(self) -> int:
        return self.month if self.month is not None else 3 * (self.quarter or 1) - 2

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Period:
        if self.month is not None:
            return Period(self.year + self.month // 12, month=self.month % 12 + 1)
        assert self.quarter is not None
        return Period(self.year + self.quarter // 4, quarter=self.quarter % 4 + 1)

    def previous(self) -> Period:
        if self.month is not None:
            return Period(self.year - (self.month == 1), month=(self.month - 2) % 12 + 1)
        assert self.quarter is not None
        return Period(self.year - (self.quarter == 1), quarter=(self.quarter - 2) % 4 + 1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-Q{self.quarter}"


def parse_period(text: str) -> Period:
    """`2026-10` or `2026-Q3` (surrounding spaces ignored); PeriodError for anything else."""
    value = text.strip()
    if match := _MONTH_RE.match(value):
        return Period(int(match[1]), month=int(match[2]))
    if match := _QUARTER_RE.match(value):
        return Period(int(match[1]), quarter=int(match[2]))
    raise PeriodError(f"{text!r} is not a period: write a month as 2026-10 or a quarter as 2026-Q3")


def period_of(day: datetime.date, frequency: str) -> Period:
    """The month or quarter that holds `day`."""
    if frequency == MONTHLY:
        return Period(day.year, month=day.month)
    if frequency == QUARTERLY:
        return Period(day.year, quarter=(day.month - 1) // 3 + 1)
    raise ValueError(f"unknown frequency {frequency!r}")


def ended_periods(today: datetime.date, frequency: str, count: int) -> list[Period]:
    """The last `count` periods that ended before `today`, newest first."""
    period = period_of(today, frequency).previous()
    periods = []
    for _ in range(count):
        periods.append(period)
        period = period.previous()
    return periods
