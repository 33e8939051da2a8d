"""Zones locked by hand and re-planning the rest, the map's move panel, and the chief reviewers of
case-review zones: services (scope, candidates, audit) and pages (English, htmx partials)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from factories import BodyFactory, PostFactory, UserFactory

from jiandu.core.models import AuditEntry
from jiandu.org.models import BodyKind, PostKind
from jiandu.zones import selectors, services
from jiandu.zones.models import PlanStatus, Zone, ZonePlan
from jiandu.zones.tests.helpers import PLANNER_PERMISSIONS, planner, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_planner(county):
    commission = BodyFactory(name="安顺市纪委监委", region=county.registry.city, establishment=6)
    return UserFactory(username="city", body=commission, permissions=PLANNER_PERMISSIONS)


@pytest.fixture
def review_plan(county, city_planner):
    return services.zone_plan_draft(
        acting_user=city_planner, kind="case_review", region=county.registry.city,
        min_size=2, max_size=4, min_staff=0,
    )  # fmt: skip


def maguan_zone(plan, county) -> Zone:
    return Zone.objects.get(plan=plan, members__region=county.registry.maguan)


# Locking and re-planning


def test_lock_and_unlock_a_zone_is_audited(plan, county):
    user = planner(county.registry)
    zone = Zone.objects.filter(plan=plan).first()
    before = AuditEntry.objects.count()
    services.zone_lock(acting_user=user, zone=zone, locked=True)
    assert Zone.objects.get(pk=zone.pk).locked
    assert AuditEntry.objects.count() > before
    services.zone_lock(acting_user=user, zone=zone, locked=False)
    assert not Zone.objects.get(pk=zone.pk).locked


def test_lock_is_refused_on_an_approved_plan_and_out_of_scope(plan, county):
    zone = Zone.objects.filter(plan=plan).first()
    services.zone_plan_approve(acting_user=planner(county.registry), plan=plan)
    with pytest.raises(ValidationError):
        services.zone_lock(acting_user=planner(county.registry, "p2"), zone=zone, locked=True)
    outsider = UserFactory(body=county.registry.xixiu_commission, permissions=PLANNER_PERMISSIONS)
    with pytest.raises(ValidationError):
        services.zone_lock(acting_user=outsider, zone=zone, locked=True)


def test_replan_keeps_locked_zones_exactly_as_a_new_draft_version(plan, county):
    user = planner(county.registry)
    zones = selectors.zones_with_members(plan)
    kept = zones[0]
    services.zone_lock(acting_user=user, zone=kept, locked=True)
    new = services.zone_plan_replan(acting_user=user, plan=plan)
    assert new.pk != plan.pk and new.version == plan.version + 1 and new.status == PlanStatus.DRAFT
    locked = [z for z in selectors.zones_with_members(new) if z.locked]
    assert [sorted(z.codes) for z in locked] == [sorted(kept.codes)]
    assert ZonePlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT  # the old draft stays


def test_replan_names_a_locked_zone_that_breaks_the_rules(plan, county):
    user = planner(county.registry)
    plan.min_staff = 1000
    plan.save(update_fields=["min_staff"])
    zone = Zone.objects.filter(plan=plan).first()
    services.zone_lock(acting_user=user, zone=zone, locked=True)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.zone_plan_replan(acting_user=user, plan=plan)
    assert "The locked zone" in " ".join(exc.value.messages)
    assert ZonePlan.objects.filter(region=plan.region, kind=plan.kind).count() == 1


def test_lock_toggle_and_replan_pages(plan, county):
    client = signed_in(planner(county.registry))
    zone = Zone.objects.filter(plan=plan).first()
    page = client.get(f"/zones/{plan.pk}/")
    html = page.content.decode()
    assert f"/zones/zone/{zone.pk}/lock/" in html and "Re-plan the rest" in html
    response = client.post(
        f"/zones/zone/{zone.pk}/lock/", {"locked": "1"}, HTTP_HX_REQUEST="true", follow=True
    )
    assert response.status_code == 200
    assert Zone.objects.get(pk=zone.pk).locked
    assert "Unlock" in response.content.decode()
    response = client.post(f"/zones/{plan.pk}/replan/")
    new = ZonePlan.objects.exclude(pk=plan.pk).get(region=plan.region, kind=plan.kind)
    assert response.status_code == 302 and response["Location"] == f"/zones/{new.pk}/"
    assert client.get(f"/zones/zone/{zone.pk}/lock/").status_code == 405


def test_lock_and_replan_need_the_permission_and_scope(plan, county):
    zone = Zone.objects.filter(plan=plan).first()
    reader = signed_in(UserFactory(body=county.registry.commission))
    assert reader.post(f"/zones/zone/{zone.pk}/lock/", {"locked": "1"}).status_code == 403
    outsider = signed_in(UserFactory(body=county.registry.xixiu_commission, permissions=PLANNER_PERMISSIONS))
    assert outsider.post(f"/zones/zone/{zone.pk}/lock/", {"locked": "1"}).status_code == 404
    assert outsider.post(f"/zones/{plan.pk}/replan/").status_code == 404
    assert not Zone.objects.get(pk=zone.pk).locked


# The map's move panel


def with_shapes(county):
    from shapely.geometry import box

    from jiandu.geo.tests.helpers import give_shapes

    give_shapes(
        *(
            (t, box(105.70 + 0.01 * i, 26.30, 105.71 + 0.01 * i, 26.31))
            for i, t in enumerate(county.townships)
        )
    )


def test_the_map_panel_reuses_the_live_check(plan, county):
    with_shapes(county)
    client = signed_in(planner(county.registry))
    html = client.get(f"/zones/{plan.pk}/").content.decode()
    assert 'id="map-panel"' in html and 'id="map-move-check"' in html and "geo/jdmap.js" in html
    shapes = client.get(f"/zones/{plan.pk}/shapes.json").json()
    assert all("zone_name" in f["properties"] for f in shapes["features"])
    west, east = sorted(selectors.zones_with_members(plan), key=lambda z: min(z.codes))
    check = client.get(
        f"/zones/{plan.pk}/move/",
        {"unit": west.codes[0], "zone": east.pk, "panel": "map"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="map-move-check"' in check and "cannot be saved" in check and "disabled" in check


def test_an_approved_plan_has_a_panel_without_a_form(plan, county):
    with_shapes(county)
    services.zone_plan_approve(acting_user=planner(county.registry), plan=plan)
    html = signed_in(planner(county.registry, "p2")).get(f"/zones/{plan.pk}/").content.decode()
    assert 'id="map-panel"' in html and 'id="map-move-form"' not in html and "Re-plan the rest" not in html


# Chief reviewers


def test_candidates_are_cadres_of_the_township_offices_and_the_county_commission(review_plan, county):
    zone = maguan_zone(review_plan, county)
    names = set(selectors.chief_reviewer_candidates(zone).values_list("name", flat=True))
    assert {"王芳", "刘洋", "张伟"} <= names  # 马官镇纪委 and 普定县纪委监委
    assert "吴敏" not in names  # post ended
    assert "李娜" not in names  # another office of the commission
    assert "周强" not in names  # 西秀区, not this zone's county


def test_the_case_review_office_is_preferred_to_the_commission(review_plan, county):
    r = county.registry
    office = BodyFactory(
        name="普定县纪委监委案件审理室", kind=BodyKind.OFFICE, region=r.puding, parent=r.commission
    )
    reviewer = PostFactory(person__name="审理员甲", kind=PostKind.DIRECTOR, body=office).person
    names = set(
        selectors.chief_reviewer_candidates(maguan_zone(review_plan, county)).values_list("name", flat=True)
    )
    assert reviewer.name in names and "张伟" not in names and "王芳" in names


def test_set_chief_reviewer_checks_candidates_kind_and_scope(review_plan, plan, county, city_planner):
    r = county.registry
    zone = maguan_zone(review_plan, county)
    wang = selectors.chief_reviewer_candidates(zone).get(name="王芳")
    before = AuditEntry.objects.count()
    services.zone_set_chief_reviewer(acting_user=city_planner, zone=zone, person=wang)
    assert Zone.objects.get(pk=zone.pk).chief_reviewer == wang
    assert AuditEntry.objects.count() > before
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.zone_set_chief_reviewer(acting_user=city_planner, zone=zone, person=r.zhou)
    assert "周强 cannot be the chief reviewer" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.zone_set_chief_reviewer(
            acting_user=city_planner, zone=Zone.objects.filter(plan=plan).first(), person=wang
        )
    county_user = planner(r)  # 普定县 cannot change a city plan
    with pytest.raises(ValidationError):
        services.zone_set_chief_reviewer(acting_user=county_user, zone=zone, person=wang)
    services.zone_set_chief_reviewer(acting_user=city_planner, zone=zone, person=None)
    assert Zone.objects.get(pk=zone.pk).chief_reviewer is None


def test_choose_chief_reviewer_page_table_and_api(review_plan, county, city_planner):
    client = signed_in(city_planner)
    zone = maguan_zone(review_plan, county)
    html = client.get(f"/zones/{review_plan.pk}/").content.decode()
    assert f"/zones/zone/{zone.pk}/chief-reviewer/" in html and "Choose chief reviewer" in html
    page = client.get(f"/zones/zone/{zone.pk}/chief-reviewer/").content.decode()
    assert "王芳" in page and "周强" not in page
    wang = selectors.chief_reviewer_candidates(zone).get(name="王芳")
    response = client.post(f"/zones/zone/{zone.pk}/chief-reviewer/", {"person": county.registry.zhou.pk})
    assert response.status_code == 200 and "cannot be the chief reviewer" in response.content.decode()
    response = client.post(f"/zones/zone/{zone.pk}/chief-reviewer/", {"person": wang.pk})
    assert response.status_code == 302
    assert "Chief reviewer" in client.get(f"/zones/{review_plan.pk}/").content.decode()
    data = client.get(f"/api/zones/{zone.pk}/").json()
    assert data["chief_reviewer"] == wang.pk and data["chief_reviewer_name"] == "王芳"
    outsider = signed_in(UserFactory(body=county.registry.xixiu_commission, permissions=PLANNER_PERMISSIONS))
    assert outsider.get(f"/zones/zone/{zone.pk}/chief-reviewer/").status_code == 404


def test_a_township_plan_has_no_chief_reviewer_page(plan, county):
    zone = Zone.objects.filter(plan=plan).first()
    assert (
        signed_in(planner(county.registry)).get(f"/zones/zone/{zone.pk}/chief-reviewer/").status_code == 404
    )


def test_a_refused_replan_names_the_locked_zone_on_the_page(plan, county):
    plan.min_staff = 1000
    plan.save(update_fields=["min_staff"])
    zone = Zone.objects.filter(plan=plan).first()
    client = signed_in(planner(county.registry))
    client.post(f"/zones/zone/{zone.pk}/lock/", {"locked": "1"})
    response = client.post(f"/zones/{plan.pk}/replan/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/zones/{plan.pk}/"
    assert "The plan could not be re-planned" in html and "The locked zone" in html
    assert ZonePlan.objects.filter(region=plan.region, kind=plan.kind).count() == 1
