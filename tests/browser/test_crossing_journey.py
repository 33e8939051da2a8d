"""Cross supervision as a county planner does it: record a relative, draft a round of the county's
townships, read the pairs and teams (the relative keeps their cadre off that township), export, approve."""

from __future__ import annotations

import pytest
from factories import UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry

from jiandu.access.roles import CROSS_PLANNERS, role_group
from jiandu.crossing.models import CrossRound, CrossTeamMember, RoundStatus
from jiandu.org.models import BodyKind, Post
from jiandu.zones.tests.helpers import build_county

from .support import Traffic
from .test_sign_in import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


def test_record_a_relative_draft_and_approve_a_round(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    county = build_county(registry, staff=3)
    user = UserFactory(username="puding-cross", body=registry.commission)
    user.groups.add(role_group(CROSS_PLANNERS))
    cadre = (
        Post.objects.filter(body__kind=BodyKind.TOWNSHIP_OFFICE, region=county.townships[2]).first().person
    )
    relative_in = county.townships[5]

    page.goto("/accounts/login/?next=/crossing/relatives/new/")
    sign_in(page, "puding-cross", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/crossing/relatives/new/")
    page.locator("#id_person").select_option(str(cadre.pk))
    page.locator("#id_relative_name").fill("王某")
    page.locator("#id_relation").select_option("spouse")
    page.locator("#id_works_in").fill(relative_in.code)
    page.locator('form [type="submit"]').last.click()
    expect(page).to_have_url(f"{live_server.url}/crossing/relatives/")
    expect(page.locator("#kinship-table")).to_contain_text("王某")

    page.goto("/crossing/new/")
    page.locator("#id_region").select_option(registry.puding.code)
    page.locator("#id_level").select_option("township")
    page.locator("#id_avoid_adjacent").check()
    page.locator("#id_team_size").fill("3")
    page.locator('form [type="submit"]').last.click()
    cross_round = CrossRound.objects.get()
    expect(page).to_have_url(f"{live_server.url}/crossing/{cross_round.pk}/")
    expect(page.locator("#pair-table tbody tr")).to_have_count(len(county.townships))
    checked = CrossTeamMember.objects.filter(person=cadre).values_list("pair__supervised", flat=True)
    assert relative_in.pk not in set(checked)

    with page.expect_download() as download:
        page.locator(f'a[href="/crossing/{cross_round.pk}/export.xlsx"]').click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.locator(f'a[href="/crossing/{cross_round.pk}/approve/"]').click()
    page.locator('main form [type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/crossing/{cross_round.pk}/")
    cross_round.refresh_from_db()
    assert cross_round.status == RoundStatus.APPROVED
    assert not traffic.page_errors, traffic.page_errors
    assert not traffic.failed, traffic.failed
