"""Reminders of periodic filing, sent through `jiandu.notices.services.notify` (idempotent by key):

- before the due date (from `reminder_lead_days` before it until the day itself), to a body that has not
  filed yet;
- once the due date has passed, to the body that has not filed, and one summary to the commission (or
  working commission) of its county: "n bodies of the county have not filed".

Only the last two ended periods of each frequency are looked at: a nightly run reminds of what is
current, not of every month a body missed since the platform started.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from jiandu.calendar.days import CalendarNotCovered
from jiandu.filing.models import Filing, FilingRule
from jiandu.filing.rules import active_rules, due_date, filing_bodies
from jiandu.lib.periods import FREQUENCIES, Period, ended_periods
from jiandu.notices.models import NoticeKind
from jiandu.notices.services import notify
from jiandu.org.models import Body, BodyKind, Region, RegionKind

LOOK_BACK_PERIODS = 2


def reminder_keys(body: Body, period: Period | str) -> list[str]:
    return [f"filing-due:{body.pk}:{period}", f"filing-missing:{body.pk}:{period}"]


def summary_key(commission: Body, period: Period | str) -> str:
    return f"filing-missing-summary:{commission.pk}:{period}"


@dataclass
class ReminderRun:
    """What one run sent (new reminders only: those sent before are not counted again)."""

    due: int = 0
    missing: int = 0
    summaries: int = 0
    periods: list[str] = field(default_factory=list)
    # A year whose holiday arrangement is missing: the due dates counted into it were not known, so the
    # reminders of those periods were not sent (the command fails naming it).
    calendar_missing: int | None = None

    @property
    def total(self) -> int:
        return self.due + self.missing + self.summaries


def status_url(period: Period, region: Region | None = None, status: str = "") -> str:
    params = {"period": str(period)}
    if region is not None:
        params["region"] = region.code
    if status:
        params["status"] = status
    return reverse("filing:status") + "?" + urlencode(params)


def submit_url(period: Period) -> str:
    return reverse("filing:submit") + "?" + urlencode({"period": str(period)})


def county_of(region: Region, counties_by_code: dict[str, Region]) -> Region | None:
    """The county-level region (a county or a functional zone) a region lies in, or None above it."""
    if region.kind == RegionKind.FUNCTIONAL_ZONE:
        return region
    if region.functional_zone_id is not None:
        return region.functional_zone
    return counties_by_code.get(region.code[:6])


@transaction.atomic
def send_filing_reminders(*, today: datetime.date) -> ReminderRun:
    run = ReminderRun()
    counties = {region.code[:6]: region for region in Region.objects.filter(kind=RegionKind.COUNTY)}
    commissions = {
        body.region_id: body
        for body in Body.objects.filter(
            kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION],
            is_active=True,
            region__kind__in=[RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE],
        ).order_by("-pk")
    }
    for frequency in FREQUENCIES:
        rules = active_rules(frequency)
        if not rules:
            continue
        for period in ended_periods(today, frequency, LOOK_BACK_PERIODS):
            run.periods.append(str(period))
            missing_by_county: dict[Region, list[Body]] = defaultdict(list)
            for kind, rule in rules.items():
                try:
                    _remind_kind(run, rule, kind, period, today, counties, missing_by_county)
                except CalendarNotCovered as missing:
                    run.calendar_missing = run.calendar_missing or missing.year
            for county, bodies in missing_by_county.items():
                commission = commissions.get(county.pk)
                if commission is None:
                    continue
                message = gettext_noop(
                    "Bodies of %(region)s that have not filed the ledger of %(period)s: %(count)d."
                )
                args = {"count": len(bodies), "region": county.name, "period": str(period)}
                _notice, created = notify(
                    key=summary_key(commission, period),
                    kind=NoticeKind.FILING_MISSING,
                    message=message,
                    args=args,
                    body=commission,
                    url=status_url(period, county, "missing"),
                )
                run.summaries += created
    return run


def _remind_kind(
    run: ReminderRun,
    rule: FilingRule,
    kind: str,
    period: Period,
    today: datetime.date,
    counties: dict[str, Region],
    missing_by_county: dict[Region, list[Body]],
) -> None:
    due_on = due_date(rule, period)
    if today < due_on - datetime.timedelta(days=rule.reminder_lead_days):
        return
    bodies = filing_bodies({kind: rule}).select_related("region__functional_zone")
    filed = set(Filing.objects.filter(period=str(period), body__kind=kind).values_list("body_id", flat=True))
    for body in bodies:
        if body.pk in filed:
            continue
        due_key, missing_key = reminder_keys(body, period)
        values = {"body": body.name, "period": str(period), "due": due_on.isoformat()}
        if today <= due_on:
            key, notice_kind = due_key, NoticeKind.FILING_DUE
            message = gettext_noop("%(body)s: the ledger of %(period)s is due on %(due)s.")
        else:
            key, notice_kind = missing_key, NoticeKind.FILING_MISSING
            message = gettext_noop(
                "%(body)s: the ledger of %(period)s was due on %(due)s and has not been filed."
            )
        _notice, created = notify(
            key=key,
            kind=notice_kind,
            message=message,
            args=values,
            body=body,
            url=submit_url(period),
            due_on=due_on,
        )
        if notice_kind == NoticeKind.FILING_DUE:
            run.due += created
            continue
        run.missing += created
        county = county_of(body.region, counties)
        if county is not None:
            missing_by_county[county].append(body)
