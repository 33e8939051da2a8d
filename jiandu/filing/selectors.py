"""Reads of periodic filing: who should file a period in a region, and how far they got."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, DateField, F, FilteredRelation, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from jiandu.filing.models import Filing
from jiandu.filing.reminders import county_of
from jiandu.filing.rules import active_rules, due_date
from jiandu.lib.periods import Period, ended_periods
from jiandu.org.models import Body, Level, Region, RegionKind

ON_TIME = "filed"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
STATUS_CHOICES = [
    (ON_TIME, _("filed on time")),  # zh: 按时报备
    (LATE, _("filed late")),  # zh: 逾期报备
    (MISSING, _("missing")),  # zh: 未报备
    (PENDING, _("not yet due")),  # zh: 未到报备期限
]
STATUS_LABELS = dict(STATUS_CHOICES)


def annotated_bodies(
    bodies: QuerySet[Body], region: Region, period: Period, today: datetime.date
) -> QuerySet[Body]:
    """Of `bodies`, those in `region`'s subtree that must file `period`, each annotated with its filing of
    the period (`filing_id`, `filed_at` …), its due date (`due_on`) and its status (`status`)."""
    rules = active_rules(period.frequency)
    if not rules:
        return bodies.none()
    due = Case(
        *[When(kind=kind, then=Value(due_date(rule, period))) for kind, rule in rules.items()],
        output_field=DateField(),
    )
    status = Case(
        When(f__id__isnull=False, f__is_late=True, then=Value(LATE)),
        When(f__id__isnull=False, then=Value(ON_TIME)),
        When(due_on__lt=today, then=Value(MISSING)),
        default=Value(PENDING),
        output_field=CharField(),
    )
    return (
        bodies.filter(region.subtree_q("region"), is_active=True, kind__in=list(rules))
        .annotate(f=FilteredRelation("filings", condition=Q(filings__period=str(period))))
        .annotate(
            filing_id=F("f__id"),
            filed_at=F("f__filed_at"),
            problem_count=F("f__problem_count"),
            nothing_to_report=F("f__nothing_to_report"),
            revision=F("f__revision"),
            due_on=due,
        )
        .annotate(status=status)
        .select_related("region", "region__functional_zone")
    )


def status_queryset(user: Any, region: Region, period: Period, today: datetime.date) -> QuerySet[Body]:
    """`annotated_bodies` of the bodies in `user`'s scope."""
    return annotated_bodies(Body.objects.visible_to(user), region, period, today)


@dataclass(frozen=True)
class OwnPeriod:
    period: Period
    due_on: datetime.date
    filing: Filing | None
    status: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def own_filings(user: Any, today: datetime.date, count: int = 6, body: Body | None = None) -> list[OwnPeriod]:
    """The last ended periods of the user's own body (or of `body`, filed for by the user), when it files:
    due date, filing and status."""
    if body is None and user.body_id:
        body = Body.objects.filter(pk=user.body_id).first()
    rule = active_rules().get(body.kind) if body is not None and body.is_active else None
    if body is None or rule is None:
        return []
    periods = ended_periods(today, rule.frequency, count)
    filings = {
        filing.period: filing
        for filing in Filing.objects.visible_to(user).filter(body=body, period__in=[str(p) for p in periods])
    }
    rows = []
    for period in periods:
        filing = filings.get(str(period))
        due_on = due_date(rule, period)
        if filing is not None:
            status = LATE if filing.is_late else ON_TIME
        else:
            status = MISSING if today > due_on else PENDING
        rows.append(OwnPeriod(period, due_on, filing, status))
    return rows


@dataclass
class Figures:
    """Counts of one group of bodies (a county, or all)."""

    label: str = ""
    region: Region | None = None
    expected: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_LABELS, 0))

    @property
    def filed(self) -> int:
        return self.counts[ON_TIME] + self.counts[LATE]

    @property
    def late(self) -> int:
        return self.counts[LATE]

    @property
    def missing(self) -> int:
        return self.counts[MISSING]

    @property
    def pending(self) -> int:
        return self.counts[PENDING]

    @property
    def completeness(self) -> int | None:
        """Filed as a whole percentage of those expected (None when nobody is expected)."""
        return round(100 * self.filed / self.expected) if self.expected else None

    def add(self, status: str) -> None:
        self.expected += 1
        self.counts[status] += 1


@dataclass
class Overview:
    total: Figures
    groups: list[Figures]  # per county-level region, when the region is a city or a province


def overview(user: Any, region: Region, period: Period, today: datetime.date) -> Overview:
    """Totals, and per county (and functional zone) when `region` is above county level."""
    total = Figures(label=region.name, region=region)
    groups: dict[int, Figures] = {}
    by_group = region.level in (Level.CITY, Level.PROVINCE)
    counties: dict[str, Region] = {}
    if by_group:
        for county in (
            Region.objects.visible_to(user)
            .filter(region.subtree_q(), kind__in=[RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE])
            .order_by("code")
        ):
            groups[county.pk] = Figures(label=county.name, region=county)
            if county.kind == RegionKind.COUNTY:
                counties[county.code[:6]] = county
    for body in status_queryset(user, region, period, today).order_by():
        total.add(body.status)
        if by_group:
            county = county_of(body.region, counties)
            if county is not None and county.pk in groups:
                groups[county.pk].add(body.status)
    shown = [figures for figures in groups.values() if figures.expected]
    return Overview(total=total, groups=shown)


def overview_of_last_period(user: Any) -> tuple[Period, Region, Figures, dict[str, Any]] | None:
    """For the dashboard: the figures of the last ended period (monthly first) in the user's scope region,
    or None when no rule is active or the user has no region."""
    from django.utils import timezone

    from jiandu.access.scoping import scope_for
    from jiandu.lib.periods import FREQUENCIES

    today = timezone.localdate()
    scope = scope_for(user)
    region = (
        scope.region or Region.objects.visible_to(user).filter(parent__isnull=True).order_by("code").first()
    )
    frequencies = {rule.frequency for rule in active_rules().values()}
    frequency = next((f for f in FREQUENCIES if f in frequencies), None)
    if region is None or frequency is None:
        return None
    period = ended_periods(today, frequency, 1)[0]
    return period, region, overview(user, region, period, today).total, STATUS_LABELS
