"""Reads of rectification: the ledgers' rows and the reconciliation (对账) per unit, all through
`visible_to`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jiandu.calendar import days as workdays
from jiandu.ledger.models import Ledger
from jiandu.rectification.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Rectification,
    RectificationStatus,
    TimeLimit,
    Verification,
)

REMINDER_LEAD = "rectification-reminder-lead"
VERIFICATION_WAIT = "verification-reminder-wait"


@dataclass(frozen=True)
class Horizon:
    """Today and the last deadline that counts as "due soon" (None when the calendar of the coming days is
    not installed: then nothing is called due soon, and the page says why)."""

    today: datetime.date
    due_soon_until: datetime.date | None
    calendar_missing: int | None = None


def horizon(today: datetime.date | None = None) -> Horizon:
    today = today or timezone.localdate()
    limit = TimeLimit.objects.filter(key=REMINDER_LEAD).first()
    lead = limit.amount if limit else 0
    try:
        return Horizon(today, workdays.add_workdays(today, lead))
    except workdays.CalendarNotCovered as error:
        return Horizon(today, None, error.year)


def rectifications_for(user: Any) -> QuerySet:
    """The rectifications the user may see, with what a ledger row shows."""
    return (
        Rectification.objects.visible_to(user)
        .select_related(
            "problem__responsible_region",
            "problem__responsible_department",
            "problem__region",
            "problem__category",
            "supervisor",
            "unit_body",
        )
        .annotate(n_reports=Count("reports", distinct=True))
    )


def is_overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def is_due_soon_q(h: Horizon) -> Q:
    if h.due_soon_until is None:
        return Q(pk__in=[])
    return Q(status__in=OPEN_STATUSES, deadline__gte=h.today, deadline__lte=h.due_soon_until)


@dataclass
class UnitRow:
    """One unit of a ledger in the reconciliation: what it reported against what was verified."""

    unit_id: int
    unit_name: str
    unit_code: str = ""  # a township's region code (the ledger list filters by it)
    total: int = 0
    reports: int = 0  # progress reports received
    claimed: int = 0  # rectifications the unit has said are done (at least once)
    verified: int = 0  # passed verification (closed included)
    closed: int = 0
    sent_back: int = 0  # sent back at least once
    awaiting: int = 0  # said done, not yet verified
    overdue: int = 0
    due_soon: int = 0

    @property
    def gap(self) -> int:
        """Said done by the unit but not (yet) verified by the supervisor."""
        return max(self.claimed - self.verified, 0)

    @property
    def flagged(self) -> bool:
        return bool(self.overdue or self.gap)


@dataclass
class Reconciliation:
    ledger: str
    rows: list[UnitRow] = field(default_factory=list)

    @property
    def totals(self) -> UnitRow:
        total = UnitRow(0, "", "")
        for row in self.rows:
            for name in (
                "total",
                "reports",
                "claimed",
                "verified",
                "closed",
                "sent_back",
                "awaiting",
                "overdue",
                "due_soon",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def reconciliation(queryset: QuerySet, ledger: str, h: Horizon) -> Reconciliation:
    """Per unit of `ledger`, from the (already scoped and filtered) rectifications in `queryset`."""
    if ledger == Ledger.TOWNSHIP:
        unit_id, unit_name = "problem__responsible_region", "problem__responsible_region__name"
        unit_code = "problem__responsible_region__code"
    else:
        unit_id, unit_name = "problem__responsible_department", "problem__responsible_department__name"
        unit_code = "problem__responsible_department__short_name"
    sent_back = Verification.objects.filter(rectification=OuterRef("pk"), passed=False)
    base = (
        queryset.filter(problem__ledger=ledger)
        .annotate(was_sent_back=Exists(sent_back))
        .order_by()
        .values(unit_id, unit_name, unit_code)
    )
    S = RectificationStatus
    rows = base.annotate(
        total=Count("pk", distinct=True),
        reports=Count("reports", distinct=True),
        claimed=Count("pk", filter=Q(claimed_done_on__isnull=False), distinct=True),
        verified=Count("pk", filter=Q(status__in=DONE_STATUSES), distinct=True),
        closed=Count("pk", filter=Q(status=S.CLOSED), distinct=True),
        sent_back=Count("pk", filter=Q(was_sent_back=True), distinct=True),
        awaiting=Count("pk", filter=Q(status=S.CLAIMED), distinct=True),
        overdue=Count("pk", filter=is_overdue_q(h.today), distinct=True),
        due_soon=Count("pk", filter=is_due_soon_q(h), distinct=True),
    ).order_by(unit_name)
    result = Reconciliation(ledger)
    for row in rows:
        values = {k: row[k] for k in row if k not in (unit_id, unit_name, unit_code)}
        code = row[unit_code] if ledger == Ledger.TOWNSHIP else ""
        result.rows.append(UnitRow(row[unit_id], row[unit_name], code, **values))
    return result
