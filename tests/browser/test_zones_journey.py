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
