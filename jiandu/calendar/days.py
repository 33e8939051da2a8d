"""Working days for the Django side: the pure jiandu/lib/workdays.py with the entered days passed in.

Pages, services and jobs import this module where they would import jiandu.lib.workdays; it offers the
same functions without the `extra` argument. The table is read once and kept:

- in the process, keyed by a one-row stamp (how many years and days, and when they last changed), so a
  change made by another process (another gunicorn worker, a command) is seen at the next check;
- during a request (or a `held()` block of a job), the first check is reused for every date counted, so a
  page of a hundred deadlines costs one small query;
- a save or delete of a year or a day in this process drops both at once.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from jiandu.lib import workdays
from jiandu.lib.workdays import CalendarNotCovered, ExtraDays, covered_years, package_covers

__all__ = [
    "CalendarNotCovered",
    "ExtraDays",
    "add_months",
    "add_workdays",
    "covered_years",
    "current",
    "held",
    "is_covered",
    "is_holiday_name",
    "is_workday",
    "next_workday",
    "package_covers",
    "workdays_between",
]

Stamp = tuple[Any, ...]

_process: tuple[Stamp, ExtraDays] | None = None
_held: ContextVar[ExtraDays | None] = ContextVar("jiandu_calendar_held", default=None)
_holding: ContextVar[bool] = ContextVar("jiandu_calendar_holding", default=False)


def _stamp() -> Stamp:
    from jiandu.calendar.models import CalendarYear

    row = CalendarYear.objects.aggregate(
        n_years=Count("pk", distinct=True),
        n_days=Count("days"),
        year_changed=Max("updated_at"),
        day_changed=Max("days__updated_at"),
    )
    return (row["n_years"], row["n_days"], row["year_changed"], row["day_changed"])


def _load() -> ExtraDays:
    from jiandu.calendar.models import CalendarDay, CalendarYear

    days: dict[datetime.date, bool] = {}
    names: dict[datetime.date, str] = {}
    for date, worked, name in CalendarDay.objects.values_list("date", "is_workday", "name"):
        days[date] = worked
        if name:
            names[date] = name
    years = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    return ExtraDays(days=days, names=names, years=years)


def current() -> ExtraDays:
    """The entered days as they are now (see the module's docstring for what is cached)."""
    global _process
    held = _held.get()
    if held is not None:
        return held
    stamp = _stamp()
    if _process is not None and _process[0] == stamp:
        extra = _process[1]
    else:
        extra = _load()
        _process = (stamp, extra)
    if _holding.get():
        _held.set(extra)
    return extra


def forget() -> None:
    """Drop what is kept, in this process and this request."""
    global _process
    _process = None
    _held.set(None)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Within the block, read the table at most once (for a job counting many deadlines)."""
    holding = _holding.set(True)
    kept = _held.set(None)
    try:
        yield
    finally:
        _held.reset(kept)
        _holding.reset(holding)


def _request_started(**kwargs: Any) -> None:
    _holding.set(True)
    _held.set(None)


def _request_finished(**kwargs: Any) -> None:
    _holding.set(False)
    _held.set(None)


def _changed(**kwargs: Any) -> None:
    forget()


def connect_signals() -> None:
    from jiandu.calendar.models import CalendarDay, CalendarYear

    request_started.connect(_request_started, dispatch_uid="jiandu.calendar.request_started")
    request_finished.connect(_request_finished, dispatch_uid="jiandu.calendar.request_finished")
    for model in (CalendarYear, CalendarDay):
        post_save.connect(_changed, sender=model, dispatch_uid=f"jiandu.calendar.saved.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"jiandu.calendar.deleted.{model.__name__}")


# --- the pure functions with the entered days ----------------------------------------------------------


def is_covered(year: int) -> bool:
    """True when the working days of `year` can be counted (package, or a complete entered year)."""
    return package_covers(year) or workdays.is_covered(year, current())


def is_workday(day: datetime.date) -> bool:
    return workdays.is_workday(day, current())


def is_holiday_name(day: datetime.date) -> str | None:
    return workdays.is_holiday_name(day, current())


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    return workdays.add_workdays(start, n, current())


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    return workdays.workdays_between(start, end, current())


def next_workday(day: datetime.date) -> datetime.date:
    return workdays.next_workday(day, current())


def add_months(start: datetime.date, months: int) -> datetime.date:
    return workdays.add_months(start, months, current())


def missing_message(year: int) -> str:
    """The refusal shown wherever working days of a year without a known arrangement are needed."""
    from django.utils.translation import gettext as _

    # zh: %(year)s年的放假安排尚未录入，无法按工作日计算期限。请管理员在“工作日历”中录入国务院公布的%(year)s年放假安排。
    return _(
        "The holiday arrangement of %(year)s has not been entered, so working days of %(year)s cannot be "
        "counted. Ask the administrator to enter the State Council's arrangement for %(year)s on the "
        "working-day calendar page."
    ) % {"year": year}
