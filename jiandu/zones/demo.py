"""The demo's zone plans: 普定县's township collaboration zones, approved (with their zone groups), and
西秀区's village livelihood zones, a draft.

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
    if stdout is not None:
        if written:
            stdout.write(_("Added %(n)s demo zone plans.") % {"n": written})
        else:
            stdout.write(_("The demo zone plans are already in place; nothing changed."))
    return written
