"""Demo rectifications: every demo problem the ledger shows as "being rectified" or "closed" gets its
rectification, supervised by its county's commission and reported for by the township office or the
department's dispatched group. Open ones are spread around today (some overdue, some due soon, some
reported done and waiting, some sent back); closed ones went through a claim, a verification (a few sent
back first) and closure.

Called by `jiandu demo` after the ledger's demo. Deterministic (one seed) and idempotent: the demo's
rectifications carry DEMO_RULE as their deadline rule, and a database that has them is left alone. Written
in bulk, with one summary entry in the audit trail. Works on whatever problems exist.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.calendar import days as workdays
from jiandu.core import audit
from jiandu.ledger.models import Ledger, Problem, ProblemStatus
from jiandu.org.models import Body, BodyKind, Region
from jiandu.rectification.models import ProgressReport, Rectification, RectificationStatus, Verification

SEED = 20240610
DEMO_RULE = "演示数据：30个工作日"
S = RectificationStatus
MEASURES = (
    "限期补发到位，建立发放台账，逐户公示",
    "清退违规资金，对相关责任人批评教育，完善审批流程",
    "全面排查同类问题，建立整改清单，逐项销号",
    "召开专题会议，修订管理制度，开展警示教育",
    "追回资金入账，规范财务审批，定期向群众公开",
)
PROGRESS = (
    "已召开专题会议，制定整改方案，明确责任人",
    "已完成入户核实，正在追缴相关资金",
    "已修订管理制度并组织学习",
)
DONE = "整改措施已全部落实，资金已追回入账，相关制度已建立，附凭证"
SENT_BACK = "抽查发现仍有两户未落实，台账不完整，退回继续整改"
PASSED = "经实地核查、入户走访，整改到位"


def _deadline(opened_on: datetime.date, days: int = 30) -> datetime.date:
    try:
        return workdays.add_workdays(opened_on, days)
    except workdays.CalendarNotCovered:
        # The demo gives such a deadline as a date, as a person must when the calendar is not out yet.
        return datetime.date(workdays.covered_years()[1], 12, 31)


def demo_build(stdout: Any = None) -> int:
    """Add the demo rectifications unless they are there; returns how many were created."""
    if Rectification.objects.filter(deadline_rule=DEMO_RULE).exists():
        if stdout is not None:
            stdout.write(_("The demo rectifications are already there; nothing changed."))
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    problems = list(
        Problem.objects.filter(
            status__in=[ProblemStatus.RECTIFYING, ProblemStatus.CLOSED], rectification__isnull=True
        )
        .select_related("responsible_region", "responsible_department")
        .order_by("pk")
    )
    commissions = {
        b.region_id: b
        for b in Body.objects.filter(
            kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION], is_active=True
        ).order_by("-pk")
    }
    offices = {
        b.region_id: b
        for b in Body.objects.filter(kind=BodyKind.TOWNSHIP_OFFICE, is_active=True).order_by("-pk")
    }
    groups: dict[int, Body] = {}
    for body in Body.objects.filter(kind=BodyKind.DISPATCHED_GROUP, is_active=True).prefetch_related(
        "supervised_departments"
    ):
        for department in body.supervised_departments.all():
            groups.setdefault(department.pk, body)
    townships = {r.pk: r for r in Region.objects.filter(pk__in={p.responsible_region_id for p in problems})}

    rectifications: list[Rectification] = []
    plans: list[tuple[str, int]] = []  # (story, number of progress reports)
    for problem in problems:
        if problem.ledger == Ledger.TOWNSHIP:
            township = townships[problem.responsible_region_id]
            county_id = township.functional_zone_id or township.parent_id
            unit_body = offices.get(township.pk)
        else:
            county_id = problem.responsible_department.region_id
            unit_body = groups.get(problem.responsible_department_id)
        supervisor = commissions.get(county_id) or commissions.get(
            Region.objects.filter(pk=county_id).values_list("parent_id", flat=True).first()
        )
        if supervisor is None or supervisor == unit_body:
            continue
        opened_on = min(problem.found_on + datetime.timedelta(days=rng.randint(2, 20)), today)
        if problem.status == ProblemStatus.CLOSED:
            story = "closed_after_sending_back" if rng.random() < 0.2 else "closed"
            deadline = _deadline(opened_on)
        else:
            # Open ones: deadlines around today, about a third of them already past.
            deadline = max(opened_on, today + datetime.timedelta(days=rng.randint(-40, 70)))
            story = rng.choice(["rectifying"] * 5 + ["claimed"] * 2 + ["sent_back"])
        rectifications.append(
            Rectification(
                problem=problem,
                supervisor=supervisor,
                unit_body=unit_body,
                measures=rng.choice(MEASURES),
                opened_on=opened_on,
                deadline=deadline,
                deadline_rule=DEMO_RULE,
            )
        )
        plans.append((story, rng.randint(0, 2)))

    with transaction.atomic(), audit.suspended():
        created = Rectification.objects.bulk_create(rectifications, batch_size=1000)
        reports: list[ProgressReport] = []
        verifications: list[Verification] = []
        for r, (story, n_progress) in zip(created, plans, strict=True):
            reporter = r.unit_body or r.problem.found_by
            day = r.opened_on
            for text in PROGRESS[:n_progress]:
                day = min(day + datetime.timedelta(days=rng.randint(3, 12)), today)
                reports.append(ProgressReport(rectification=r, reported_on=day, text=text, body=reporter))
            if story == "rectifying":
                continue
            day = min(day + datetime.timedelta(days=rng.randint(3, 20)), today)
            reports.append(
                ProgressReport(rectification=r, reported_on=day, text=DONE, claims_done=True, body=reporter)
            )
            r.claimed_done_on = day
            r.status = S.CLAIMED
            if story in ("sent_back", "closed_after_sending_back"):
                day = min(day + datetime.timedelta(days=rng.randint(1, 8)), today)
                verifications.append(
                    Verification(
                        rectification=r, passed=False, reasons=SENT_BACK, verified_on=day, body=r.supervisor
                    )
                )
                r.status = S.SENT_BACK
                if story == "sent_back":
                    continue
                day = min(day + datetime.timedelta(days=rng.randint(3, 15)), today)
                reports.append(
                    ProgressReport(
                        rectification=r, reported_on=day, text=DONE, claims_done=True, body=reporter
                    )
                )
                r.claimed_done_on = day
            if story == "claimed":
                continue
            day = min(day + datetime.timedelta(days=rng.randint(1, 10)), today)
            verifications.append(
                Verification(rectification=r, passed=True, reasons=PASSED, verified_on=day, body=r.supervisor)
            )
            r.verified_on = day
            r.closed_on = min(day + datetime.timedelta(days=rng.randint(0, 5)), today)
            r.status = S.CLOSED
        ProgressReport.objects.bulk_create(reports, batch_size=1000)
        Verification.objects.bulk_create(verifications, batch_size=1000)
        Rectification.objects.bulk_update(
            created, ["status", "claimed_done_on", "verified_on", "closed_on"], batch_size=1000
        )
        audit.audit_import(
            Rectification,
            detail={
                "created": len(created),
                "progress_reports": len(reports),
                "verifications": len(verifications),
                "seed": SEED,
            },
            object_repr=_("Demo rectifications"),
        )
        _grant_roles()
    if stdout is not None:
        stdout.write(_("Added %(count)s demo rectifications.") % {"count": len(created)})
    return len(created)


def _grant_roles() -> None:
    """Commission accounts supervise rectification; township-office and group accounts report for units."""
    from jiandu.access.models import User
    from jiandu.access.roles import RECTIFICATION_REPORTERS, RECTIFICATION_SUPERVISORS, role_group
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames

    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    supervisors, reporters = role_group(RECTIFICATION_SUPERVISORS), role_group(RECTIFICATION_REPORTERS)
    for user in User.objects.filter(
        username__in=names, body__kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION]
    ):
        user.groups.add(supervisors)
    for user in User.objects.filter(
        username__in=names, body__kind__in=[BodyKind.TOWNSHIP_OFFICE, BodyKind.DISPATCHED_GROUP]
    ):
        user.groups.add(reporters)
