"""Planning zones as a county planner does: draft a plan, see it on the map, try a move that breaks a rule
(the live check says why and the save stays disabled), make a valid one, approve."""

from __future__ import annotations

import pytest
from factories import UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry
from shapely.geometry import box

from jiandu.access.roles import ZONE_PLANNERS, role_group
from jiandu.geo.tests.helpers import give_shapes
from jiandu.zones import selectors
from jiandu.zones.models import PlanStatus, ZonePlan
from jiandu.zones.tests.helpers import build_county

from .support import Traffic
from .test_sign_in import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


def test_draft_move_and_approve(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    county = build_county(registry)
    give_shapes(
        *(
            (t, box(105.70 + 0.01 * i, 26.30, 105.71 + 0.01 * i, 26.31))
            for i, t in enumerate(county.townships)
        )
    )
    user = UserFactory(username="puding-zones", body=registry.commission)
    user.groups.add(role_group(ZONE_PLANNERS))
    page.goto("/accounts/login/?next=/zones/new/")
    sign_in(page, "puding-zones", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/zones/new/")

    page.locator("#id_kind").select_option("township")
    page.locator("#id_region").select_option(registry.puding.code)
    page.locator("#id_min_size").fill("2")
    page.locator("#id_max_size").fill("4")
    page.locator("#id_min_staff").fill("0")
    page.locator("#id_target_zones").fill("2")
    page.locator('form [type="submit"]').last.click()

    plan = ZonePlan.objects.get()
    expect(page).to_have_url(f"{live_server.url}/zones/{plan.pk}/")
    expect(page.locator("#zone-map canvas")).to_have_count(1)
    expect(page.locator("#generated-note")).to_be_visible()

    west, east = sorted(selectors.zones_with_members(plan), key=lambda z: min(z.codes))
    page.locator("#id_unit").select_option(west.codes[0])
    page.locator("#id_zone").select_option(str(east.pk))
    expect(page.locator("#move-check")).to_contain_text(east.name)  # "… is not contiguous", in Chinese or not
    expect(page.locator("#move-check .alert-danger")).to_be_visible()
    expect(page.locator("#move-check button[type=submit]")).to_be_disabled()

    bigger, smaller = (west, east) if len(west.codes) > len(east.codes) else (east, west)
    edge = max(bigger.codes) if bigger is west else min(bigger.codes)
    if len(bigger.codes) > 2:
        page.locator("#id_unit").select_option(edge)
        page.locator("#id_zone").select_option(str(smaller.pk))
        expect(page.locator("#move-check .alert-success")).to_be_visible()
        page.locator("#move-check button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/zones/{plan.pk}/")
        assert edge in selectors.assignment(plan)[str(smaller.number)]

    page.locator(f'a[href="/zones/{plan.pk}/approve/"]').click()
    page.locator('main form [type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/zones/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert not traffic.page_errors, traffic.page_errors
    assert not traffic.failed, traffic.failed


def _county_with_shapes(registry: Registry):
    county = build_county(registry)
    give_shapes(
        *(
            (t, box(105.70 + 0.01 * i, 26.30, 105.71 + 0.01 * i, 26.31))
            for i, t in enumerate(county.townships)
        )
    )
    return county


def _click_unit(page: Page, code: str, lon: float, lat: float) -> None:
    """Click a unit's shape on the canvas, at the pixel ECharts gives for its centre."""
    page.wait_for_function("document.getElementById('zone-map').dataset.ready === '1'")
    x, y = page.evaluate(
        "([lon, lat]) => echarts.getInstanceByDom(document.getElementById('zone-map'))"
        ".convertToPixel({seriesIndex: 0}, [lon, lat])",
        [lon, lat],
    )
    canvas = page.locator("#zone-map canvas")
    canvas.scroll_into_view_if_needed()
    box_ = canvas.bounding_box()
    assert box_ is not None
    page.mouse.click(box_["x"] + x, box_["y"] + y)


def test_move_on_the_map_lock_and_replan(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    from jiandu.zones import services

    county = _county_with_shapes(registry)
    user = UserFactory(username="puding-map", body=registry.commission)
    user.groups.add(role_group(ZONE_PLANNERS))
    plan = services.zone_plan_draft(
        acting_user=user, kind="township", region=registry.puding, min_size=2, max_size=4, min_staff=0,
        target_zones=2,
    )  # fmt: skip
    page.goto(f"/accounts/login/?next=/geo/{registry.puding.code}/")
    sign_in(page, "puding-map", PASSWORD)
    # The region map shares the map module (geo/jdmap.js) with the zone map: it still draws.
    expect(page.locator("#geo-map canvas").first).to_be_visible()
    page.wait_for_function(
        "echarts.getInstanceByDom(document.getElementById('geo-map')).getOption().geo[0].map === 'jiandu-region'"
    )
    page.goto(f"/zones/{plan.pk}/")

    west, east = sorted(selectors.zones_with_members(plan), key=lambda z: min(z.codes))
    bigger, smaller = (west, east) if len(west.codes) > len(east.codes) else (east, west)
    edge = max(bigger.codes) if bigger is west else min(bigger.codes)
    index = [t.code for t in county.townships].index(edge)
    _click_unit(page, edge, 105.705 + 0.01 * index, 26.305)
    panel = page.locator("#map-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(county.townships[index].name)
    expect(panel).to_contain_text(bigger.name)
    expect(page.locator("#map-zone")).to_be_focused()
    expect(page.locator("#map-move-check button[type=submit]")).to_be_disabled()
    if len(bigger.codes) > 2:
        page.locator("#map-zone").select_option(str(smaller.pk))
        expect(page.locator("#map-move-check .alert-success")).to_be_visible()
        page.locator("#map-move-check button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/zones/{plan.pk}/")
        expect(page.locator("#zone-table")).to_contain_text(county.townships[index].name)
        assert edge in selectors.assignment(plan)[str(smaller.number)]
    # The panel closes with Escape.
    _click_unit(page, west.codes[0], 105.705, 26.305)
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    zone = selectors.zones_with_members(plan)[0]
    page.locator(f'form[action="/zones/zone/{zone.pk}/lock/"] button').click()
    expect(
        page.locator(f'form[action="/zones/zone/{zone.pk}/lock/"] button[aria-pressed="true"]')
    ).to_be_visible()
    page.locator("#replan-form button").click()
    new = ZonePlan.objects.exclude(pk=plan.pk).get()
    expect(page).to_have_url(f"{live_server.url}/zones/{new.pk}/")
    kept = [sorted(z.codes) for z in selectors.zones_with_members(new) if z.locked]
    assert kept == [sorted(zone.codes)]
    assert not traffic.page_errors, traffic.page_errors
    assert not traffic.failed, traffic.failed


def test_choose_a_chief_reviewer(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    from factories import BodyFactory

    from jiandu.zones import services
    from jiandu.zones.models import Zone

    _county_with_shapes(registry)
    city = BodyFactory(name="安顺市纪委监委", region=registry.city, establishment=6)
    user = UserFactory(username="city-zones", body=city)
    user.groups.add(role_group(ZONE_PLANNERS))
    plan = services.zone_plan_draft(
        acting_user=user, kind="case_review", region=registry.city, min_size=2, max_size=4, min_staff=0
    )
    zone = Zone.objects.get(plan=plan, members__region=registry.maguan)
    wang = selectors.chief_reviewer_candidates(zone).get(name="王芳")
    page.goto(f"/accounts/login/?next=/zones/{plan.pk}/")
    sign_in(page, "city-zones", PASSWORD)
    page.locator(f'a[href="/zones/zone/{zone.pk}/chief-reviewer/"]').click()
    page.locator("#id_person").select_option(str(wang.pk))
    page.locator("#chief-reviewer-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/zones/{plan.pk}/")
    expect(page.locator("#zone-table")).to_contain_text("王芳")
    assert Zone.objects.get(pk=zone.pk).chief_reviewer == wang
    assert not traffic.page_errors, traffic.page_errors
    assert not traffic.failed, traffic.failed
