"""The zone plan services: draft, move (violations refused), compare, approve (zone groups and their
scope), supersede; rules that contradict each other named per field, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from factories import UserFactory

from jiandu.core.models import AuditEntry
from jiandu.org.models import Body, BodyKind, Region
from jiandu.zones import selectors, services
from jiandu.zones.models import PlanStatus, Zone, ZoneMember, ZonePlan
from jiandu.zones.tests.helpers import planner

pytestmark = pytest.mark.django_db


def draft(user, region, **rules):
    rules.setdefault("kind", "township")
    rules.setdefault("min_staff", 10)
    rules.setdefault("min_size", 2)
    rules.setdefault("max_size", 3)
    return services.zone_plan_draft(acting_user=user, region=region, **rules)


def test_staff_are_counted_from_the_registry(county):
    r = county.registry
    staff = selectors.unit_staff("township", [t.pk for t in county.townships])
    assert staff[r.maguan.pk] == 2  # director and supervisor of 马官镇纪委
    assert staff[county.townships[1].pk] == 5
    villages = selectors.unit_staff("village", [v.pk for v in county.villages])
    assert villages[r.tianxing.pk] == 1  # 陈静 holds both village posts: one person
    assert villages[r.machang.pk] == 2


def test_a_draft_saves_valid_zones_covering_every_unit(county):
    user = planner(county.registry)
    plan = draft(user, county.registry.puding)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1 and plan.unit_level == "township"
    zones = selectors.zones_with_members(plan)
    codes = sorted(c for z in zones for c in z.codes)
    placed = set(codes) | {u["code"] for u in plan.figures["unplaced"]}
    assert placed == {t.code for t in county.townships}
    assert len(codes) == len(set(codes))
    staff = selectors.unit_staff("township", [t.pk for t in county.townships])
    by_code = {t.code: staff[t.pk] for t in county.townships}
    for zone in zones:
        assert 2 <= len(zone.codes) <= 3
        assert sum(by_code[c] for c in zone.codes) >= 10
    assert plan.figures["feasible"] is True
    assert (
        AuditEntry.objects.filter(model="zones.zoneplan", object_id=str(plan.pk), action="create").count()
        == 1
    )
    assert draft(user, county.registry.puding).version == 2


def test_an_infeasible_draft_names_the_unplaced_units_and_the_nearest_plan(county):
    user = planner(county.registry)
    plan = draft(user, county.registry.puding, min_staff=30, max_size=3)
    assert not plan.figures["feasible"]
    assert plan.figures["unplaced"], "some township cannot be placed"
    first = plan.figures["unplaced"][0]
    assert first["reason_code"] and first["message"]
    assert plan.figures["nearest"]["relaxed"]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"min_size": 5, "max_size": 3}, "min_size"),
        ({"target_zones": 0}, "target_zones"),
        (
            {"together": [["520422110000", "520422111000"]], "apart": [["520422110000", "520422111000"]]},
            "apart",
        ),
    ],
)
def test_contradictory_rules_are_named_per_field_and_nothing_is_saved(county, rules, field):
    user = planner(county.registry)
    with pytest.raises(ValidationError) as caught:
        draft(user, county.registry.puding, **rules)
    assert field in caught.value.message_dict
    assert not ZonePlan.objects.exists()


def test_min_above_max_message_is_translated(county):
    from django.utils import translation

    user = planner(county.registry)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        draft(user, county.registry.puding, min_size=6, max_size=4)
    assert caught.value.message_dict["min_size"] == ["The minimum zone size 6 is above the maximum 4."]


def test_a_kind_that_does_not_fit_the_region_is_refused(county):
    user = planner(county.registry)
    with pytest.raises(ValidationError) as caught:
        draft(user, county.registry.maguan)  # township zones are planned per county
    assert "region" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        draft(user, county.registry.xixiu)  # out of scope, as if it did not exist
    assert "region" in caught.value.message_dict
    assert not ZonePlan.objects.exists()


def test_drafting_needs_the_permission(county):
    user = UserFactory(username="reader", body=county.registry.commission)
    with pytest.raises(PermissionDenied):
        draft(user, county.registry.puding)


def test_village_zones_per_township(county):
    user = planner(county.registry)
    plan = services.zone_plan_draft(
        acting_user=user, kind="village", region=county.registry.maguan, min_size=2, max_size=3, min_staff=3
    )
    assert plan.unit_level == "village" and plan.min_staff == 3
    assert ZoneMember.objects.filter(plan=plan).count() + len(plan.figures["unplaced"]) == 6


def _plan_in_row(county):
    """A plan whose zones are consecutive townships, for predictable moves."""
    user = planner(county.registry)
    plan = draft(user, county.registry.puding, min_staff=0, min_size=2, max_size=4, target_zones=2)
    return user, plan


def test_a_move_that_breaks_a_rule_is_refused_with_every_violation(county):
    user, plan = _plan_in_row(county)
    zones = selectors.zones_with_members(plan)
    assert len(zones) == 2
    west, east = sorted(zones, key=lambda z: min(z.codes))
    far = Region.objects.get(code=west.codes[0])  # the west end: not adjacent to the east zone
    from django.utils import translation

    with translation.override("en"):
        violations = services.zone_plan_check_move(plan=plan, region=far, to_zone=east)
    assert f"{east.name} is not contiguous." in " ".join(violations)
    with pytest.raises(ValidationError):
        services.zone_plan_move_unit(acting_user=user, plan=plan, region=far, to_zone=east)
    assert ZoneMember.objects.get(plan=plan, region=far).zone_id == west.pk


def test_a_valid_move_is_saved(county):
    user, plan = _plan_in_row(county)
    west, east = sorted(selectors.zones_with_members(plan), key=lambda z: min(z.codes))
    if len(west.codes) < len(east.codes):
        unit, source, target = min(east.codes), east, west
    else:
        unit, source, target = max(west.codes), west, east
    if len(source.codes) <= 2:
        pytest.skip("the planner made zones at the minimum size")
    region = Region.objects.get(code=unit)
    assert services.zone_plan_check_move(plan=plan, region=region, to_zone=target) == []
    services.zone_plan_move_unit(acting_user=user, plan=plan, region=region, to_zone=target)
    assert ZoneMember.objects.get(plan=plan, region=region).zone_id == target.pk


def test_check_move_names_size_and_staff(county):
    from django.utils import translation

    user = planner(county.registry)
    plan = draft(user, county.registry.puding, min_staff=10, min_size=2, max_size=3)
    zones = selectors.zones_with_members(plan)
    source = next(z for z in zones if len(z.codes) == 2)
    target = next(z for z in zones if z.pk != source.pk)
    region = Region.objects.get(code=source.codes[0])
    with translation.override("en"):
        violations = services.zone_plan_check_move(plan=plan, region=region, to_zone=target)
    text = " ".join(violations)
    assert f"{source.name} has 1 units, outside 2–3." in text
    assert "staff, fewer than 10" in text


def test_approve_creates_zone_groups_whose_members_see_the_zone(county):
    from jiandu.access.scoping import forget

    user = planner(county.registry)
    plan = draft(user, county.registry.puding)
    services.zone_plan_approve(acting_user=user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == user and plan.approved_at
    zone = Zone.objects.filter(plan=plan).select_related("group").first()
    group = zone.group
    assert group.kind == BodyKind.ZONE_GROUP and group.parent == county.registry.commission
    codes = set(ZoneMember.objects.filter(zone=zone).values_list("region__code", flat=True))
    assert set(group.covered_regions.values_list("code", flat=True)) == codes
    member = UserFactory(username="zone-member", body=group)
    seen = set(Region.objects.visible_to(member).filter(level="township").values_list("code", flat=True))
    assert seen == codes
    forget(member)
    with pytest.raises(ValidationError):
        services.zone_plan_move_unit(
            acting_user=user, plan=plan, region=Region.objects.get(code=min(codes)), to_zone=zone
        )


def test_a_second_approval_supersedes_the_first_and_deactivates_its_groups(county):
    user = planner(county.registry)
    first = draft(user, county.registry.puding)
    services.zone_plan_approve(acting_user=user, plan=first)
    second = draft(user, county.registry.puding, seed=3)
    comparison = selectors.zone_plan_compare(plan=second)
    assert comparison.base == first
    services.zone_plan_approve(acting_user=user, plan=second)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    old_groups = Body.objects.filter(pk__in=Zone.objects.filter(plan=first).values("group"))
    assert old_groups.exists() and not old_groups.filter(is_active=True).exists()
    assert (
        Body.objects.filter(kind=BodyKind.ZONE_GROUP, is_active=True).count()
        == Zone.objects.filter(plan=second).count()
    )


def test_compare_names_moves_added_and_removed_zones(county):
    user = planner(county.registry)
    first = draft(user, county.registry.puding, min_staff=0, min_size=2, max_size=4, target_zones=2)
    services.zone_plan_approve(acting_user=user, plan=first)
    second = draft(user, county.registry.puding, min_staff=0, min_size=2, max_size=2, target_zones=3)
    comparison = selectors.zone_plan_compare(plan=second)
    assert len(comparison.added) == 1 and not comparison.removed
    added = next(z for z in selectors.zones_with_members(second) if z.name == comparison.added[0])
    moved = {m["region"].code for m in comparison.moves}
    assert set(added.codes) <= moved  # the new zone's units all come from the old zones
    assert all(m["to"] == added.name for m in comparison.moves if m["region"].code in added.codes)


def test_the_planners_reasons_are_marked_for_translation():
    from jiandu.lib.zoning import REASON_MESSAGES
    from jiandu.zones.messages import PLANNER_MESSAGES

    assert set(REASON_MESSAGES.values()) <= set(PLANNER_MESSAGES)
