"""Demo filings: the last 12 months of filings of every body that files, most on time, some late, some
missing, and the reminders a nightly run would have sent by today.

Idempotent and deterministic: whether a body filed a period, and when, follows from its name and the
period alone, so a second run creates nothing and a run next month adds only the new month. The demo
township (马官镇, account `maguan`) leaves its last month unfiled, so that its user can file it.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.access.roles import LEDGER_EDITORS, role_group
from jiandu.core import audit
from jiandu.filing.models import Filing
from jiandu.filing.reminders import send_filing_reminders
from jiandu.filing.rules import active_rules, due_date, filing_bodies
from jiandu.filing.services import period_problems, record_revision
from jiandu.lib.periods import MONTHLY, Period, ended_periods
from jiandu.org.models import Body

MONTHS = 12
PERIODS = {MONTHLY: MONTHS, "quarterly": MONTHS // 3}
# Demo accounts that file or file for others: the township, and the county commission above it.
FILERS = ("maguan", "puding")
KEEP_OPEN = ("520422101000",)  # 马官镇: its last month is left for the demo user to file


def _rng(body: Body, period: Period) -> random.Random:
    seed = hashlib.sha256(f"{body.region.code}:{body.name}:{period}".encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def _filed_at(rng: random.Random, period: Period, due_on: datetime.date, late: bool) -> datetime.datetime:
    if late:
        day = due_on + datetime.timedelta(days=rng.randint(1, 12))
    else:
        day = period.end + datetime.timedelta(days=rng.randint(1, max((due_on - period.end).days, 1)))
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def demo_build(stdout: Any) -> None:
    today = timezone.localdate()
    editors = role_group(LEDGER_EDITORS)
    for user in User.objects.filter(username__in=FILERS):
        user.groups.add(editors)
    users = {user.body_id: user for user in User.objects.filter(body__isnull=False).order_by("pk")}
    created = 0
    with transaction.atomic(), audit.suspended():
        for frequency, count in PERIODS.items():
            rules = active_rules(frequency)
            if not rules:
                continue
            periods = ended_periods(today, frequency, count)
            bodies = list(filing_bodies(rules).select_related("region"))
            existing = set(
                Filing.objects.filter(period__in=[str(p) for p in periods]).values_list("body_id", "period")
            )
            for period in periods:
                for body in bodies:
                    if (body.pk, str(period)) in existing:
                        continue
                    filing = _demo_filing(
                        body, period, rules[body.kind], today, users.get(body.pk), periods[0]
                    )
                    if filing is not None:
                        created += 1
        if created:
            audit.audit_import(Filing, object_repr="demo", detail={"created": created})
    run = send_filing_reminders(today=today)
    stdout.write(
        _("Filing demo: %(created)d filings created, %(reminders)d reminders sent.")
        % {"created": created, "reminders": run.total}
    )


def _demo_filing(
    body: Body, period: Period, rule: Any, today: datetime.date, user: User | None, latest: Period
) -> Filing | None:
    rng = _rng(body, period)
    due_on = due_date(rule, period)
    draw = rng.random()
    if period == latest and body.region.code in KEEP_OPEN:
        return None
    if draw < 0.08:
        return None  # missing
    late = draw < 0.2
    filed_at = _filed_at(rng, period, due_on, late)
    if filed_at.date() > today:
        if period == latest:
            return None  # not filed yet: due later, or filed late in a day still to come
        filed_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    ids = period_problems(body, period)
    filing = Filing.objects.create(
        body=body,
        period=str(period),
        period_start=period.start,
        period_end=period.end,
        due_on=due_on,
        filed_at=filed_at,
        filed_by=user,
        is_late=filed_at.date() > due_on,
        problem_count=len(ids),
        problem_ids=ids,
        nothing_to_report=not ids,
    )
    record_revision(filing, filed_at=filed_at, filed_by=user, ids=ids)
    return filing
