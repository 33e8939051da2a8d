"""Periodic filing as people do it: the township follows its reminder, files October's ledger; the county
opens the filing page, sees the township filed (late) and files a nil report for a township without an
account of its own."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from factories import BodyFactory, ProblemFactory, UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from scenario import Registry

from jiandu.access.roles import LEDGER_EDITORS, role_group
from jiandu.filing.models import Filing, FilingRule
from jiandu.filing.reminders import send_filing_reminders
from jiandu.ledger.models import Category, Source
from jiandu.lib.periods import MONTHLY, ended_periods
from jiandu.org.models import BodyKind, Region, RegionKind

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


def test_township_files_and_county_sees_it(
    page: Page, live_server: LiveServer, registry: Registry, traffic: Traffic
) -> None:
    # A transactional test empties the tables the data migrations fill: put back what this one needs.
    Source.objects.get_or_create(code="daily", defaults={"name": "日常监督"})
    Category.objects.get_or_create(name="惠民政策落实")
    FilingRule.objects.get_or_create(body_kind="township_office", defaults={"frequency": MONTHLY})
    today = timezone.localdate()
    period = ended_periods(today, MONTHLY, 1)[0]
    for username, body in (("bj-maguan", registry.maguan_office), ("bj-puding", registry.commission)):
        UserFactory(username=username, body=body).groups.add(role_group(LEDGER_EDITORS))
    ProblemFactory(
        found_by=registry.maguan_office,
        region=registry.tianxing,
        found_on=period.start + datetime.timedelta(days=3),
        facts="天星村危房改造补助发放不及时",
    )
    longchang = BodyFactory(
        name="龙场乡纪委",
        kind=BodyKind.TOWNSHIP_OFFICE,
        region=Region.objects.create(
            code="520422103000",
            name="龙场乡",
            kind=RegionKind.TOWNSHIP,
            level="township",
            parent=registry.puding,
        ),
    )
    send_filing_reminders(today=today)

    # The township: its reminder badge, the reminder, the filing page with the period's problem.
    page.goto("/accounts/login/")
    sign_in(page, "bj-maguan", PASSWORD)
    badge = page.locator("#unread-badge")
    expect(badge).to_be_visible()
    page.locator("#notices-link").click()
    expect(page).to_have_url(re.compile(r"/notices/"))
    # The reminder of the period itself (the one before names this period in its due date).
    page.locator("#notice-list a", has_text=re.compile(rf"{period}(?!-\d)")).first.click()
    expect(page).to_have_url(re.compile(rf"/filing/submit/\?period={period}"))
    expect(page.locator("#problem-count")).to_contain_text("1")
    page.locator("#submit-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/filing/\d+/$"))
    expect(page.locator("h1")).to_contain_text(str(period))
    filing = Filing.objects.get(body=registry.maguan_office, period=str(period))
    assert filing.problem_count == 1 and filing.filed_by.username == "bj-maguan"

    # The county: the filing page of the period shows the township filed.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    sign_in(page, "bj-puding", PASSWORD)
    page.goto(f"/filing/?period={period}")
    row = page.locator(f'#status-table tr[data-body="{registry.maguan_office.pk}"]')
    expect(row).to_be_visible()
    assert row.get_attribute("data-status") in ("filed", "late")
    expect(page.locator('[data-figure="filed"]')).to_have_text("1")
    # The county files for 龙场乡, which has no account of its own: nothing found, a nil report.
    missing = page.locator(f'#status-table tr[data-body="{longchang.pk}"]')
    expect(missing).to_have_attribute("data-status", re.compile("missing|pending"))
    missing.locator("a[href*='body=']").click()
    expect(page).to_have_url(re.compile(rf"/filing/submit/\?body={longchang.pk}"))
    expect(page.locator("#on-behalf")).to_contain_text("龙场乡纪委")
    page.locator("#id_nothing_to_report").check()
    page.locator("#submit-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/filing/\d+/$"))
    on_behalf = Filing.objects.get(body=longchang, period=str(period))
    assert on_behalf.nothing_to_report and on_behalf.filed_by.username == "bj-puding"

    # Sorting swaps the table in place, keyboard-reachable links, no page error.
    page.goto(f"/filing/?period={period}")
    page.locator("#status-table thead a.sort-link").first.click()
    expect(page.locator("#status-table")).to_be_visible()
    assert_clean_journey(traffic)
