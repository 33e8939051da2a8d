"""The nightly reminders of rectification, through `notify` (idempotent by key): due soon and overdue to
the unit's reporting body (overdue to the supervisor too), and claims waiting for verification to the
supervisor. A key holds the deadline or the claim date, so a changed deadline or a new claim reminds
again, and a second run the same night sends nothing new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_noop

from jiandu.calendar import days as workdays
from jiandu.notices.models import NoticeKind
from jiandu.notices.services import notify
from jiandu.rectification.models import Rectification, RectificationStatus, TimeLimit
from jiandu.rectification.selectors import VERIFICATION_WAIT, horizon, is_due_soon_q, is_overdue_q


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0
    verification: int = 0
    already_sent: int = 0
    # A year whose working-day calendar is not installed: reminders that need it were not sent.
    calendar_missing: int | None = None


def _send(run: ReminderRun, field: str, **kwargs: object) -> None:
    _notice, created = notify(**kwargs)  # type: ignore[arg-type]
    if created:
        setattr(run, field, getattr(run, field) + 1)
    else:
        run.already_sent += 1


def _label(r: Rectification) -> str:
    unit = r.problem.responsible_unit
    return f"{unit.name if unit else ''}：{r.problem.facts[:60]}"


def send_rectification_reminders(*, today: datetime.date) -> ReminderRun:
    run = ReminderRun()
    h = horizon(today)
    run.calendar_missing = h.calendar_missing
    base = Rectification.objects.select_related(
        "problem__responsible_region", "problem__responsible_department", "supervisor", "unit_body"
    ).order_by("pk")
    for r in base.filter(is_due_soon_q(h)):
        url = reverse("rectification:detail", args=[r.pk])
        _send(
            run,
            "due_soon",
            key=f"rectification-due-{r.pk}-{r.deadline:%Y%m%d}",
            kind=NoticeKind.RECTIFICATION_DUE,
            body=r.unit_body or r.supervisor,
            message=gettext_noop("Rectification due on %(date)s: %(what)s"),
            args={"date": r.deadline, "what": _label(r)},
            url=url,
            due_on=r.deadline,
        )
    for r in base.filter(is_overdue_q(today)):
        url = reverse("rectification:detail", args=[r.pk])
        args = {"date": r.deadline, "what": _label(r)}
        for body in {r.unit_body, r.supervisor} - {None}:
            _send(
                run,
                "overdue",
                key=f"rectification-overdue-{r.pk}-{r.deadline:%Y%m%d}-{body.pk}",
                kind=NoticeKind.RECTIFICATION_OVERDUE,
                body=body,
                message=gettext_noop("Rectification overdue since %(date)s: %(what)s"),
                args=args,
                url=url,
                due_on=r.deadline,
            )
    wait = TimeLimit.objects.filter(key=VERIFICATION_WAIT).first()
    for r in base.filter(status=RectificationStatus.CLAIMED, claimed_done_on__isnull=False):
        try:
            waiting_since = workdays.add_workdays(r.claimed_done_on, wait.amount if wait else 0)
        except workdays.CalendarNotCovered as error:
            run.calendar_missing = run.calendar_missing or error.year
            continue
        if waiting_since > today:
            continue
        _send(
            run,
            "verification",
            key=f"rectification-verify-{r.pk}-{r.claimed_done_on:%Y%m%d}",
            kind=NoticeKind.VERIFICATION_DUE,
            body=r.supervisor,
            message=gettext_noop("Reported done on %(date)s, waiting for your verification: %(what)s"),
            args={"date": r.claimed_done_on, "what": _label(r)},
            url=reverse("rectification:detail", args=[r.pk]),
            due_on=waiting_since,
        )
    return run
