"""Following a rectification to its end, as people do it: the county opens it for a problem, the township
office reports it done with a photo, the county verifies it and closes it (销号)."""

from __future__ import annotations

import re

import pytest
from factories import ProblemFactory, UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry

from jiandu.access.roles import RECTIFICATION_REPORTERS, RECTIFICATION_SUPERVISORS, role_group
from jiandu.ledger.models import Category, ProblemStatus, Source
from jiandu.rectification.models import ProgressEvidence, Rectification, RectificationStatus, TimeLimit

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"
FACTS = "天星村低保资金延迟发放三个月"


def test_open_report_verify_close(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # A transactional test empties the tables the data migrations fill: put back what this one needs.
    Source.objects.get_or_create(code="daily", defaults={"name": "日常监督"})
    Category.objects.get_or_create(name="惠民政策落实")
    TimeLimit.objects.get_or_create(
        key="rectification-deadline",
        defaults={"name": "整改期限", "amount": 30, "unit": "workdays", "rule": "-"},
    )
    UserFactory(username="rj-county", body=registry.commission).groups.add(
        role_group(RECTIFICATION_SUPERVISORS)
    )
    UserFactory(username="rj-maguan", body=registry.maguan_office).groups.add(
        role_group(RECTIFICATION_REPORTERS)
    )
    problem = ProblemFactory(found_by=registry.commission, region=registry.tianxing, facts=FACTS)

    # The county opens the rectification from the list of problems waiting for one.
    page.goto("/accounts/login/")
    sign_in(page, "rj-county", PASSWORD)
    page.goto("/rectification/new/")
    page.locator(f'a[href="/rectification/new/{problem.pk}/"]').click()
    page.locator("#id_measures").fill("三日内补发到位，建立发放台账并公示")
    page.locator("#id_workdays_allowed").fill("10")
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rectification/\d+/$"))
    rectification = Rectification.objects.get(problem=problem)
    expect(page.locator("#status")).to_contain_text(rectification.get_status_display())
    page.context.clear_cookies()

    # The township office finds it in the townships' ledger and reports it done, with a photo.
    page.goto("/accounts/login/")
    sign_in(page, "rj-maguan", PASSWORD)
    page.goto("/rectification/townships/")
    page.locator("#results a", has_text=FACTS[:10]).click()
    page.locator(f'a[href="/rectification/{rectification.pk}/report/"]').click()
    page.locator("#id_text").fill("已逐户补发，发放台账已公示")
    page.locator("#id_claims_done").check()
    page.locator("#id_files").set_input_files(
        [{"name": "公示照片.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff photo"}]
    )
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#reports")).to_contain_text("已逐户补发")
    expect(page.locator("#reports")).to_contain_text("公示照片.jpg")
    assert ProgressEvidence.objects.filter(report__rectification=rectification).count() == 1
    # The unit has nothing to verify.
    expect(page.locator(f'a[href="/rectification/{rectification.pk}/verify/"]')).to_have_count(0)
    page.context.clear_cookies()

    # The county verifies on site and closes it.
    page.goto("/accounts/login/")
    sign_in(page, "rj-county", PASSWORD)
    page.goto(f"/rectification/{rectification.pk}/")
    page.locator(f'a[href="/rectification/{rectification.pk}/verify/"]').click()
    page.locator("#id_passed_0").check()
    page.locator("#id_reasons").fill("入户走访5户，均已领到")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#verifications")).to_contain_text("入户走访5户")
    page.locator(f'a[href="/rectification/{rectification.pk}/close/"]').click()
    page.locator("form.card button[type=submit]").click()  # the confirmation page's button
    expect(page).to_have_url(re.compile(rf"/rectification/{rectification.pk}/$"))
    rectification.refresh_from_db()
    problem.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert problem.status == ProblemStatus.CLOSED
    expect(page.locator("#status")).to_contain_text(rectification.get_status_display())
    assert_clean_journey(traffic)
