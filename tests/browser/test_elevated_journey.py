"""Elevated supervision as a county commission does it: run a selection, read why a village was chosen,
open a village secretary's integrity file, record a departure audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry

from jiandu.access.roles import ELEVATED_SUPERVISORS, role_group
from jiandu.core.models import AuditEntry
from jiandu.elevated import services
from jiandu.elevated.models import DepartureAudit, SelectionRun

from .support import Traffic
from .test_sign_in import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


def test_select_explain_open_a_file_and_record_a_departure_audit(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    user = UserFactory(username="puding-elevated", body=registry.commission)
    user.groups.add(role_group(ELEVATED_SUPERVISORS))
    user = type(user).objects.get(pk=user.pk)
    for village, total in ((registry.tianxing, 600), (registry.machang, 50)):
        services.village_assets_save(
            acting_user=user, village=village, year=2025, funds=Decimal(total), assets=Decimal(0),
            resources=Decimal(0),
        )  # fmt: skip
    file = services.integrity_file_save(
        acting_user=user, village=registry.tianxing, role="both", name="杨书记"
    )

    page.goto("/accounts/login/?next=/elevated/runs/new/")
    sign_in(page, "puding-elevated", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/elevated/runs/new/")
    page.locator("#id_region").select_option(registry.puding.code)
    page.locator("#id_year").fill("2025")
    page.locator("#id_county_threshold").fill("100")
    page.locator("#id_city_threshold").fill("500")
    page.locator("#id_flags").fill("problems 3")
    page.locator('main form [type="submit"]').last.click()

    run = SelectionRun.objects.get()
    expect(page).to_have_url(f"{live_server.url}/elevated/runs/{run.pk}/")
    row = page.locator(f"#village-{registry.tianxing.code}")
    expect(row).to_contain_text("600")
    expect(row.locator(".badge").first).to_be_visible()
    expect(page.locator(f"#village-{registry.machang.code} details")).not_to_have_attribute("open", "")
    expect(page.locator("#reproduced")).to_be_visible()

    page.goto(f"/elevated/files/{file.pk}/")
    expect(page.locator("h1")).to_contain_text("杨书记")
    assert AuditEntry.objects.filter(action="view", model="elevated.integrityfile").count() == 1
    page.locator(f'a[href="/elevated/audits/new/?file={file.pk}"]').click()
    page.locator("#id_left_office_on").fill("2026-06-30")
    page.locator("#id_auditor").select_option(str(registry.commission.pk))
    page.locator("#id_status").select_option("in_progress")
    page.locator("#id_findings").fill("集体资金支出未经村民代表会议")
    page.locator('main form [type="submit"]').last.click()
    expect(page).to_have_url(f"{live_server.url}/elevated/files/{file.pk}/")
    expect(page.locator("#file-audits")).to_contain_text("集体资金支出")
    assert DepartureAudit.objects.get().file == file
    assert not traffic.page_errors, traffic.page_errors
    assert not traffic.failed, traffic.failed
