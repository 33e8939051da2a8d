"""Demo: a consultation session in each of two counties on their latest demo problems, with decisions, the
systemic problem Jiandu proposes there confirmed and a work prompt sent to the sector's department.

Idempotent (a county that has its demo session is left alone) and tolerant: without demo problems in the
ledger (jiandu/ledger/demo.py builds them) it says so and builds nothing. The commissions' accounts get the
consultation editors role, so that the demo accounts can hold sessions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.access.roles import CONSULTATION_EDITORS, role_group
from jiandu.consultation import services
from jiandu.consultation.models import Decision, FollowUpKind, FollowUpStatus, Session
from jiandu.consultation.selectors import systemic_proposals
from jiandu.ledger.models import ProblemStatus
from jiandu.lib.systemic import QUARTER
from jiandu.org.models import Body, BodyKind, Department, Level

DEMO_COUNTIES = ("520422000000", "520402000000")  # 普定县, 西秀区
PROBLEMS_PER_SESSION = 8
# The decisions of the demo session, in turn.
DECISIONS = (Decision.RECTIFY, Decision.RECTIFY, Decision.SYSTEMIC, Decision.TRANSFER)


def _grant_role() -> None:
    group = role_group(CONSULTATION_EDITORS)
    commissions = User.objects.filter(
        body__kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION], is_active=True
    ).exclude(groups=group)
    for user in commissions:
        user.groups.add(group)


def _county_session(commission: Body, user: User, stdout: Any) -> bool:
    from jiandu.consultation.selectors import problems_matching

    title = _("%(county)s: consultation on the problems found") % {"county": commission.region.name}
    if Session.objects.filter(convener=commission, title=title).exists():
        return False
    problems = list(
        problems_matching(user, region=commission.region)
        .filter(status=ProblemStatus.REGISTERED)
        .order_by("-found_on", "-pk")[:PROBLEMS_PER_SESSION]
    )
    if not problems:
        return False
    held_on = min(max(p.found_on for p in problems) + datetime.timedelta(days=7), timezone.localdate())
    bodies = list(
        Body.objects.filter(
            parent=commission, kind__in=[BodyKind.OFFICE, BodyKind.DISPATCHED_GROUP]
        ).order_by("sort_order", "pk")[:2]
    ) + list(
        Body.objects.filter(kind=BodyKind.TOWNSHIP_OFFICE, region__parent=commission.region).order_by("pk")[
            :1
        ]
    )
    session = services.session_create(
        acting_user=user,
        fields={
            "title": title,
            "held_on": held_on,
            "place": _("meeting room of the commission"),
            "analysis": _(
                "The problems cluster around benefits paid late or to the wrong people: checks at the "
                "township are a formality and the departments do not follow up."
            ),
        },
        problem_ids=[p.pk for p in problems],
        participants=services.Participants(
            bodies=bodies, guests=[services.Guest(_("an auditor"), _("county audit bureau"))]
        ),
    )
    services.session_decide(
        acting_user=user,
        session=session,
        decisions=[
            services.DecisionInput(p.pk, DECISIONS[i % len(DECISIONS)]) for i, p in enumerate(problems)
        ],
    )
    stdout.write(
        _("Consultation session: %(title)s (%(count)s problems).") % {"title": title, "count": len(problems)}
    )
    return True


def _county_systemic(commission: Body, user: User, stdout: Any) -> None:
    year = timezone.localdate().year
    for candidate_year in (year, year - 1):
        for view in systemic_proposals(user, period_kind=QUARTER, year=candidate_year):
            if view.dismissal:
                continue
            # The session's systemic decision may have made it already; else confirm the proposal.
            systemic = view.confirmed or services.systemic_confirm(
                acting_user=user,
                category=view.category,
                period_kind=QUARTER,
                period_start=view.proposal.period_start,
                analysis=_("Found at %(units)s units in one quarter.") % {"units": len(view.units)},
            )
            recipient = (
                Department.objects.filter(region=commission.region, sector=view.category.sector).first()
                if view.category.sector
                else None
            )
            if recipient is not None and not systemic.follow_ups.exists():
                follow_up = services.follow_up_save(
                    acting_user=user,
                    systemic=systemic,
                    follow_up=None,
                    fields={
                        "kind": FollowUpKind.WORK_PROMPT,
                        "number": f"{commission.region.short_name or commission.region.name}纪提〔{candidate_year}〕1号",
                        "issued_on": min(view.period_end + datetime.timedelta(days=10), timezone.localdate()),
                        "recipient": recipient,
                        "note": "",
                    },
                )
                services.follow_up_set_status(
                    acting_user=user, follow_up=follow_up, status=FollowUpStatus.SENT
                )
            stdout.write(_("Systemic problem confirmed: %(name)s.") % {"name": systemic})
            return


def demo_build(stdout: Any) -> None:
    """Idempotent: a county with its demo session is left as it is."""
    from jiandu.ledger.models import Problem

    with transaction.atomic():
        _grant_role()
        if not Problem.objects.exists():
            stdout.write(_("No problems in the ledger yet: no consultation demo."))
            return
        built = 0
        for code in DEMO_COUNTIES:
            commission = Body.objects.filter(
                kind=BodyKind.COMMISSION, level=Level.COUNTY, region__code=code
            ).first()
            user = (
                User.objects.filter(body=commission, is_active=True).order_by("pk").first()
                if commission
                else None
            )
            if commission is None or user is None:
                continue
            if _county_session(commission, user, stdout):
                _county_systemic(commission, user, stdout)
                built += 1
        if not built:
            stdout.write(_("The consultation demo is already in place; nothing changed."))
