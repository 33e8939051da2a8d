"""The zone pages and API: list, new plan (contradictory rules named, nothing saved), a plan's map and
zones, moving a unit with the live check, compare, approve; out of scope is a 404."""

from __future__ import annotations

import pytest
from factories import UserFactory

from jiandu.zones import selectors, services
from jiandu.zones.models import PlanStatus, ZonePlan
from jiandu.zones.tests.helpers import planner, signed_in

pytestmark = pytest.mark.django_db


def test_the_zones_menu_opens_the_plan_list_with_the_maps_as_a_tab(plan, county):
    client = signed_in(planner(county.registry))
    page = client.get("/zones/")
    html = page.content.decode()
    assert page.status_code == 200
    assert plan.name in html and 'href="/geo/"' in html and 'href="/zones/new/"' in html
    assert client.get("/zones/?status=approved").content.decode().count(plan.name) == 0
    assert plan.name in client.get("/zones/?q=普定").content.decode()


def test_new_plan_with_contradictory_rules_names_the_field_and_saves_nothing(county):
    client = signed_in(planner(county.registry))
    data = {"kind": "township", "region": "520422000000", "min_size": 5, "max_size": 3, "seed": 0}
    page = client.post("/zones/new/", data)
    assert page.status_code == 200
    assert "The minimum zone size 5 is above the maximum 3." in page.content.decode()
    assert not ZonePlan.objects.exists()


def test_new_plan_is_drafted_and_shown(county):
    client = signed_in(planner(county.registry))
    data = {
        "kind": "township",
        "region": "520422000000",
        "min_size": 2,
        "max_size": 3,
        "min_staff": 10,
        "seed": 0,
    }
    page = client.post("/zones/new/", data)
    plan = ZonePlan.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/zones/{plan.pk}/"
    html = client.get(f"/zones/{plan.pk}/").content.decode()
    assert 'id="zone-table"' in html and "测试1镇" in html and 'id="move-form"' in html


def test_an_infeasible_plan_shows_the_unplaced_units_and_the_nearest_plan(county):
    user = planner(county.registry)
    plan = services.zone_plan_draft(
        acting_user=user, kind="township", region=county.registry.puding, min_staff=40
    )
    html = signed_in(user).get(f"/zones/{plan.pk}/").content.decode()
    assert 'id="unplaced"' in html and "cannot be placed" in html
    assert 'id="nearest"' in html or "No plan relaxing one rule" in html


def test_the_live_check_and_a_refused_move(plan, county):
    client = signed_in(planner(county.registry))
    west, east = sorted(selectors.zones_with_members(plan), key=lambda z: min(z.codes))
    unit = west.codes[0]
    check = client.get(f"/zones/{plan.pk}/move/", {"unit": unit, "zone": east.pk}, HTTP_HX_REQUEST="true")
    html = check.content.decode()
    assert 'id="move-check"' in html and "<html" not in html
    assert "is not contiguous" in html and "disabled" in html
    refused = client.post(f"/zones/{plan.pk}/move/", {"unit": unit, "zone": east.pk})
    assert refused.status_code == 200 and "cannot be saved" in refused.content.decode()
    assert unit in selectors.assignment(plan)[str(west.number)]


def test_compare_and_approve(plan, county):
    client = signed_in(planner(county.registry))
    confirm = client.get(f"/zones/{plan.pk}/approve/")
    assert confirm.status_code == 200 and "zone groups in the registry" in confirm.content.decode()
    assert client.post(f"/zones/{plan.pk}/approve/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    second = services.zone_plan_draft(
        acting_user=planner(county.registry, "again"), kind="township", region=county.registry.puding,
        min_size=2, max_size=2, min_staff=0, target_zones=3,
    )  # fmt: skip
    html = client.get(f"/zones/{second.pk}/compare/").content.decode()
    assert plan.name in html and 'id="moves-table"' in html


def test_pages_and_api_out_of_scope_answer_404(plan, county):
    r = county.registry
    outsider = UserFactory(username="xixiu", body=r.xixiu_commission, permissions=["zones.change_zoneplan",
                           "zones.approve_zoneplan"])  # fmt: skip
    client = signed_in(outsider)
    for suffix in ("", "shapes.json", "move/", "compare/", "approve/"):
        assert client.get(f"/zones/{plan.pk}/{suffix}").status_code == 404, suffix
    assert client.get(f"/api/zone-plans/{plan.pk}/").status_code == 404
    assert plan.name not in client.get("/zones/").content.decode()
    assert client.get("/api/zones/").json()["results"] == []


def test_api_lists_plans_and_zones_with_their_units(plan, county):
    client = signed_in(UserFactory(username="reader", body=county.registry.commission))
    plans = client.get("/api/zone-plans/").json()["results"]
    assert [p["id"] for p in plans] == [plan.pk] and plans[0]["region"] == "520422000000"
    zones = client.get(f"/api/zones/?plan={plan.pk}").json()["results"]
    assert sorted(c for z in zones for c in z["units"]) == sorted(t.code for t in county.townships)


def test_reading_needs_no_permission_but_changing_does(plan, county):
    client = signed_in(UserFactory(username="reader", body=county.registry.commission))
    assert client.get(f"/zones/{plan.pk}/").status_code == 200
    assert client.get("/zones/new/").status_code == 403
    assert client.post(f"/zones/{plan.pk}/approve/").status_code == 403


def test_the_map_gives_neighbouring_zones_different_colours(plan, county):
    from shapely.geometry import box

    from jiandu.geo.tests.helpers import give_shapes

    give_shapes(
        *(
            (t, box(105.70 + 0.01 * i, 26.30, 105.71 + 0.01 * i, 26.31))
            for i, t in enumerate(county.townships)
        )
    )
    client = signed_in(planner(county.registry))
    features = client.get(f"/zones/{plan.pk}/shapes.json").json()["features"]
    assert len(features) == len(county.townships)
    by_code = {f["id"]: f["properties"] for f in features}
    assert {p["label"] for p in by_code.values()} >= {"马官镇", "测试1镇"}
    for a, b in zip(county.townships, county.townships[1:], strict=False):
        pa, pb = by_code[a.code], by_code[b.code]
        if pa["zone"] != pb["zone"]:
            assert pa["colour"] != pb["colour"]
