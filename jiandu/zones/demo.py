"""The demo's zone plans: 普定县's township collaboration zones, approved (with their zone groups),
西秀区's village livelihood zones, a draft, and 安顺市's case-review zones over its 92 townships, approved,
each with a chief reviewer (the study has 23 such zones: the planner is asked for 23 of 3–5 townships).

The study's 普定县 has 4 zones of at least 13 cadres each. The demo's registry gives 普定's township offices
33 cadres in 13 townships (two 街道 have no office), so 13 per zone leaves only two zones and three
townships unplaced; the demo approves the plan the planner makes for 4 zones with at least 6 cadres each
(docs/architecture.md, zones). Called by `jiandu demo` after the geography; idempotent: a region that has a
plan of the kind already is left alone.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.org.models import BodyKind
from jiandu.zones.models import PlanKind, ZonePlan
from jiandu.zones.services import zone_plan_approve, zone_plan_draft

PUDING = "520422000000"
XIXIU = "520402000000"
PUDING_RULES = {"min_size": 3, "max_size": 5, "min_staff": 6, "target_zones": 4}
ANSHUN = "520400000000"
CASE_REVIEW_RULES = {"min_size": 3, "max_size": 5, "min_staff": 0, "target_zones": 23}


def _case_review_plan(city: Any) -> None:
    """The city's case-review zones, approved; each zone's chief reviewer is a cadre of its county's
    case-review office (审理) if one is left unused, else of its townships' offices."""
    from jiandu.zones.models import Zone
    from jiandu.zones.selectors import CASE_REVIEW_OFFICE, chief_reviewer_candidates
    from jiandu.zones.services import zone_set_chief_reviewer

    plan = zone_plan_draft(acting_user=city, kind=PlanKind.CASE_REVIEW, region=ANSHUN, **CASE_REVIEW_RULES)
    zone_plan_approve(acting_user=city, plan=plan)
    used: set[int] = set()
    for zone in Zone.objects.filter(plan=plan).order_by("number"):
        candidates = list(chief_reviewer_candidates(zone, city).prefetch_related("posts__body"))
        reviewers = [
            p
            for p in candidates
            if any(CASE_REVIEW_OFFICE in (post.body.name if post.body else "") for post in p.posts.all())
        ]
        person = next((p for p in reviewers + candidates if p.pk not in used), None)
        if person is not None:
            used.add(person.pk)
            zone_set_chief_reviewer(acting_user=city, zone=zone, person=person)


def demo_build(stdout: Any = None) -> int:
    """Add the demo plans that are missing; returns how many plans were written."""
    from jiandu.access.models import User
    from jiandu.access.roles import ZONE_PLANNERS, role_group
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames

    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    commissions = User.objects.filter(username__in=names, body__kind=BodyKind.COMMISSION)
    city = commissions.filter(body__region__code__endswith="00000000").first()
    if city is None:
        return 0
    written = 0
    with transaction.atomic():
        planners = role_group(ZONE_PLANNERS)
        for user in commissions:
            user.groups.add(planners)
        city = User.objects.get(pk=city.pk)  # its permissions afresh
        if not ZonePlan.objects.filter(region__code=PUDING, kind=PlanKind.TOWNSHIP).exists():
            plan = zone_plan_draft(acting_user=city, kind=PlanKind.TOWNSHIP, region=PUDING, **PUDING_RULES)
            zone_plan_approve(acting_user=city, plan=plan)
            written += 1
        if not ZonePlan.objects.filter(region__code=XIXIU, kind=PlanKind.VILLAGE).exists():
            zone_plan_draft(acting_user=city, kind=PlanKind.VILLAGE, region=XIXIU)
            written += 1
        if not ZonePlan.objects.filter(region__code=ANSHUN, kind=PlanKind.CASE_REVIEW).exists():
            _case_review_plan(city)
            written += 1
    if stdout is not None:
        if written:
            stdout.write(_("Added %(n)s demo zone plans.") % {"n": written})
        else:
            stdout.write(_("The demo zone plans are already in place; nothing changed."))
    return written
