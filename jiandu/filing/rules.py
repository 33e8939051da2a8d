"""Applying the filing rules: which bodies file which period, and by when."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from jiandu.calendar import days
from jiandu.filing.models import DayCount, FilingRule
from jiandu.lib.periods import Period
from jiandu.org.models import Body, Region


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` on the Chinese calendar (holidays off, 调休 weekends on), with the
    days administrators entered (jiandu/calendar).

    Like rectification deadlines, a year whose holiday arrangement is neither installed nor entered raises
    `CalendarNotCovered`: a due date is never guessed from Monday to Friday, which would call a filing late
    on the day after New Year's Day. The pages say so and name the year (calendar.views
    .refuse_without_calendar), a filing is refused with the same words, and the reminders command fails.
    """
    return days.add_workdays(day, n)


def due_date(rule: FilingRule, period: Period) -> datetime.date:
    """The last day on which a filing of `period` is on time (`CalendarNotCovered` when it cannot be
    counted)."""
    if rule.day_count == DayCount.CALENDAR:
        return period.end + datetime.timedelta(days=rule.due_days)
    return add_working_days(period.end, rule.due_days)


def active_rules(frequency: str | None = None) -> dict[str, FilingRule]:
    """Active rules by kind of body, optionally only those of one frequency."""
    rules = FilingRule.objects.filter(is_active=True)
    if frequency is not None:
        rules = rules.filter(frequency=frequency)
    return {rule.body_kind: rule for rule in rules}


def filing_bodies(rules: dict[str, FilingRule], region: Region | None = None) -> QuerySet[Body]:
    """Active bodies of the kinds the rules name, inside `region`'s subtree when given (unscoped: callers
    that show the result to a user cut it with `visible_to`)."""
    bodies = Body.objects.filter(is_active=True, kind__in=list(rules))
    if region is not None:
        bodies = bodies.filter(region.subtree_q("region"))
    return bodies


def must_file(body: Body, period: Period) -> FilingRule | None:
    """The rule under which `body` files `period`, or None when it does not file that kind of period."""
    if not body.is_active:
        return None
    rule = FilingRule.objects.filter(body_kind=body.kind, is_active=True).first()
    if rule is None or rule.frequency != period.frequency:
        return None
    return rule
