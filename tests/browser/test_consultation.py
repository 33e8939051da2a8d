"""A consultation as a county cadre holds one: pick the problems by filter, create the session, decide each
problem, download the minutes and open them."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from factories import DepartmentFactory, ProblemFactory, UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry

from jiandu.access.roles import CONSULTATION_EDITORS, role_group
from jiandu.consultation.models import Session
from jiandu.ledger.models import Category, ProblemStatus, Source

from .support import Traffic
from .test_sign_in import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


@pytest.fixture
def county_problems(registry: Registry) -> list:
    # A live server test empties the tables between tests, the catalogues seeded by migration included.
    Source.objects.get_or_create(code="daily", defaults={"name": "日常监督"})
    category, _ = Category.objects.get_or_create(name="惠民政策落实", defaults={"sector": "civil_affairs"})
    DepartmentFactory(region=registry.puding, name="普定县民政局", sector="civil_affairs")
    day = datetime.date(2026, 3, 5)
    return [
        ProblemFactory(
            facts="马官镇低保资金延迟发放",
            found_by=registry.maguan_office,
            region=registry.tianxing,
            found_on=day,
        ),
        ProblemFactory(
            facts="县卫健局医疗救助资金未及时拨付",
            found_by=registry.commission,
            region=registry.puding,
            responsible_region=None,
            responsible_department=registry.health,
            found_on=day,
        ),
        ProblemFactory(
            facts="南街街道低保复核走过场",
            found_by=registry.xixiu_commission,
            region=registry.nanjie,
            found_on=day,
        ),
    ]


def test_create_by_filter_decide_and_download_the_minutes(
    page: Page, live_server: LiveServer, registry: Registry, county_problems: list, traffic: Traffic
) -> None:
    maguan, health, xixiu = county_problems
    user = UserFactory(username="puding-cs", body=registry.commission)
    user.groups.add(role_group(CONSULTATION_EDITORS))
    page.goto("/accounts/login/?next=/consultation/sessions/new/")
    sign_in(page, "puding-cs", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/consultation/sessions/new/")

    page.locator("#id_title").fill("一季度惠民政策落实问题会商")
    page.locator("#id_place").fill("县纪委三楼会议室")
    page.locator("#id_analysis").fill("审核把关不严。")
    # Choosing a region refreshes the problems in place; the other county's problem is never offered.
    page.locator("#id_region").select_option(registry.puding.code)
    expect(page.locator("#candidates")).to_contain_text(health.facts)
    expect(page.locator("#candidates")).not_to_contain_text(xixiu.facts)
    expect(page.locator('input[name="mode"][value="filter"]')).to_be_checked()
    page.locator("#create-session").click()

    session = Session.objects.get()
    expect(page).to_have_url(f"{live_server.url}/consultation/sessions/{session.pk}/")
    expect(page.locator("main")).to_contain_text(maguan.facts)

    page.locator(f'a[href="/consultation/sessions/{session.pk}/decisions/"]').click()
    page.locator(f"#decision-{maguan.pk}").select_option("rectify")
    page.locator(f"#note-{maguan.pk}").fill("限期一个月整改")
    page.locator(f"#decision-{health.pk}").select_option("transfer")
    page.locator(f"#note-{health.pk}").press("Enter")  # a keyboard user submits from the last field
    expect(page).to_have_url(f"{live_server.url}/consultation/sessions/{session.pk}/")
    expect(page.locator("main")).to_contain_text("限期一个月整改")
    health.refresh_from_db()
    assert health.status == ProblemStatus.TRANSFERRED

    with page.expect_download() as download_info:
        page.locator(f'a[href="/consultation/sessions/{session.pk}/minutes.docx"]').click()
    doc = Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    cells = {row.cells[1].text: row.cells[5].text for row in doc.tables[0].rows[1:]}
    assert cells == {maguan.facts: "限期一个月整改", health.facts: ""}
    assert "一季度惠民政策落实问题会商" in [p.text for p in doc.paragraphs]
    assert not traffic.page_errors and not traffic.failed, (traffic.page_errors, traffic.failed)
