"""The demo's zone plans: 普定县's township zones approved with their zone groups, 西秀区's village zones a
draft, 安顺市's 23 case-review zones with a chief reviewer each; every zone within the rules; idempotent."""

from __future__ import annotations

import io

import pytest

from jiandu.geo.demo import demo_build as geo_demo_build
from jiandu.org.demo import demo_build as org_demo_build
from jiandu.zones import demo, selectors
from jiandu.zones.models import PlanStatus, Zone, ZonePlan

pytestmark = pytest.mark.django_db


def test_demo_plans_follow_the_study_and_are_idempotent():
    org_demo_build()
    geo_demo_build()
    assert demo.demo_build(io.StringIO()) == 3
    puding = ZonePlan.objects.get(region__code=demo.PUDING)
    assert puding.status == PlanStatus.APPROVED and puding.figures["feasible"]
    zones = selectors.zones_with_members(puding)
    assert len(zones) == 4  # as in the study (with at least 6 cadres each: see the module's docstring)
    staff = selectors.unit_staff("township", [r.pk for z in zones for r in z.regions])
    for zone in zones:
        assert 3 <= len(zone.regions) <= 5
        assert sum(staff[r.pk] for r in zone.regions) >= 6
    groups = Zone.objects.filter(plan=puding).values_list("group__is_active", flat=True)
    assert list(groups) == [True] * 4
    xixiu = ZonePlan.objects.get(region__code=demo.XIXIU)
    assert xixiu.status == PlanStatus.DRAFT and xixiu.unit_level == "village" and xixiu.min_staff == 3
    assert xixiu.figures["objective"]["zone_count"] > 50
    review = ZonePlan.objects.get(region__code=demo.ANSHUN, kind="case_review")
    assert review.status == PlanStatus.APPROVED
    review_zones = selectors.zones_with_members(review)
    assert len(review_zones) == 23  # as in the study
    assert sum(len(z.regions) for z in review_zones) == 92
    for zone in review_zones:
        assert zone.chief_reviewer is not None
        assert selectors.chief_reviewer_candidates(zone).filter(pk=zone.chief_reviewer_id).exists()
    assert demo.demo_build(io.StringIO()) == 0
    assert ZonePlan.objects.count() == 3
