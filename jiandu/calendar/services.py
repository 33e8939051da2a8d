"""Writes of the working-day calendar: pages, the import command and the API-less admin all call these.

Each is one transaction and refuses with a `ValidationError` naming the field (or the row and column of a
file). A change of any day touches its year, so every process sees the change at its next check
(jiandu/calendar/days.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.calendar.imports import RowError, read_arrangement
from jiandu.calendar.models import CalendarDay, CalendarYear


def _require(user: Any, *permissions: str) -> None:
    """`user` None is the server's operator at the command line (`jiandu calendar-import` without --as),
    who holds the database anyway; the audit trail names the command and the OS user."""
    if user is not None and not all(user.has_perm(p) for p in permissions):
        raise PermissionDenied


def _check_complete(calendar_year: CalendarYear) -> None:
    has_day_off = calendar_year.pk is not None and calendar_year.days.filter(is_workday=False).exists()
    if calendar_year.complete and not has_day_off:
        raise ValidationError(
            {
                "complete": _(
                    "%(year)s has no day off entered yet: enter the holidays of the notice before marking "
                    "the year complete."
                )
                % {"year": calendar_year.year}
            }
        )


@transaction.atomic
def calendar_year_save(
    *,
    acting_user: Any,
    calendar_year: CalendarYear | None = None,
    year: int | None = None,
    source: str,
    complete: bool,
) -> CalendarYear:
    """Enter a year (with `year`) or change one (`calendar_year`): the notice and whether it is complete."""
    if calendar_year is None:
        _require(acting_user, "calendar.add_calendaryear")
        if year is not None and CalendarYear.objects.filter(year=year).exists():
            raise ValidationError({"year": _("%(year)s is already entered.") % {"year": year}})
        calendar_year = CalendarYear(year=year, entered_by=acting_user)
    else:
        _require(acting_user, "calendar.change_calendaryear")
    calendar_year.source = source.strip()
    calendar_year.complete = complete
    calendar_year.full_clean()
    _check_complete(calendar_year)
    calendar_year.save()
    return calendar_year


def _touch(calendar_year: CalendarYear) -> None:
    calendar_year.save(update_fields=["updated_at"])


@transaction.atomic
def calendar_day_save(
    *,
    acting_user: Any,
    calendar_year: CalendarYear,
    day: CalendarDay | None = None,
    date: datetime.date,
    is_workday: bool,
    name: str = "",
) -> CalendarDay:
    """Enter or change one day of a year."""
    _require(acting_user, "calendar.change_calendarday" if day else "calendar.add_calendarday")
    clash = CalendarDay.objects.filter(date=date).exclude(pk=day.pk if day else None).first()
    if clash is not None:
        raise ValidationError({"date": _("%(date)s is already entered.") % {"date": date.isoformat()}})
    day = day or CalendarDay(calendar_year=calendar_year)
    day.date, day.is_workday, day.name = date, is_workday, name.strip()
    day.full_clean()
    day.save()
    _touch(calendar_year)
    return day


@transaction.atomic
def calendar_day_delete(*, acting_user: Any, day: CalendarDay) -> None:
    """Remove an entered day (the package's or the week's rule applies to it again)."""
    _require(acting_user, "calendar.delete_calendarday")
    calendar_year = day.calendar_year
    day.delete()
    if calendar_year.complete and not calendar_year.days.filter(is_workday=False).exists():
        raise ValidationError(
            _("%(year)s is marked complete: its last day off cannot be removed.")
            % {"year": calendar_year.year}
        )
    _touch(calendar_year)


class ArrangementRejected(ValidationError):
    """The file was refused; `errors` lists every row error (nothing was written)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__([str(e) for e in errors])
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    years: list[int] = field(default_factory=list)
    new_years: list[int] = field(default_factory=list)


@transaction.atomic
def calendar_import(
    *, acting_user: Any, data: bytes, source: str = "", complete: bool = False, dry_run: bool = False
) -> ImportResult:
    """Enter the days of an arrangement file, all or nothing.

    A day already entered takes the file's kind and name; days the file does not name stay as they are.
    A year not yet entered is created with `source` (required then). `complete` marks the file's years
    complete. `dry_run` checks everything and writes nothing.
    """
    _require(
        acting_user, "calendar.add_calendaryear", "calendar.add_calendarday", "calendar.change_calendarday"
    )
    if complete:
        _require(acting_user, "calendar.change_calendaryear")
    days, errors = read_arrangement(data)
    if errors:
        raise ArrangementRejected(errors)
    by_year: dict[int, list[Any]] = defaultdict(list)
    for day in days:
        by_year[day.date.year].append(day)
    existing = {y.year: y for y in CalendarYear.objects.select_for_update().filter(year__in=list(by_year))}
    new_years = sorted(set(by_year) - set(existing))
    if new_years and not source.strip():
        raise ArrangementRejected(
            [
                RowError(
                    None,
                    None,
                    _("%(years)s not entered yet: give the notice the arrangement comes from (source).")
                    % {"years": "、".join(str(y) for y in new_years)},
                )
            ]
        )
    result = ImportResult(years=sorted(by_year), new_years=new_years)
    entered = {d.date: d for d in CalendarDay.objects.filter(date__in=[d.date for d in days])}
    for year in sorted(by_year):
        calendar_year = existing.get(year) or CalendarYear.objects.create(
            year=year, source=source.strip(), entered_by=acting_user
        )
        for row in by_year[year]:
            day = entered.get(row.date)
            if day is None:
                CalendarDay.objects.create(
                    calendar_year=calendar_year, date=row.date, is_workday=row.is_workday, name=row.name
                )
                result.created += 1
            elif (day.is_workday, day.name) == (row.is_workday, row.name):
                result.unchanged += 1
            else:
                day.is_workday, day.name = row.is_workday, row.name
                day.save(update_fields=["is_workday", "name", "updated_at"])
                result.changed += 1
        changes = ["updated_at"]
        if complete and not calendar_year.complete:
            calendar_year.complete = True
            changes.append("complete")
            _check_complete(calendar_year)
        calendar_year.save(update_fields=changes)
    if dry_run:
        transaction.set_rollback(True)
    return result
