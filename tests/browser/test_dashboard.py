"""The dashboard as a county cadre opens it: every tile's chart is drawn on a canvas from our own copy of
ECharts, nothing is asked of another host, no script fails, and a figure opens the list behind it."""

from __future__ import annotations

import datetime
import re

import pytest
from factories import ProblemFactory, UserFactory
from playwright.sync_api import ConsoleMessage, Page, expect

from jiandu.insights.services import insights_refresh
from jiandu.insights.tallies import TILES
from jiandu.ledger.models import ProblemStatus

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"


def test_the_charts_render_offline_and_a_figure_opens_its_list(
    page: Page, traffic: Traffic, registry
) -> None:
    r = registry
    for day, status in enumerate(ProblemStatus.values[:4]):
        ProblemFactory(
            found_by=r.commission, region=r.tianxing, status=status, found_on=datetime.date(2026, 3, 1 + day)
        )
    ProblemFactory(
        found_by=r.group,
        region=r.puding,
        responsible_region=None,
        responsible_department=r.health,
        ledger="department",
        found_on=datetime.date(2026, 4, 2),
    )
    insights_refresh()
    UserFactory(username="dashboard-reader", body=r.commission)
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if _is_error(message) else None)

    page.goto("/insights/")
    sign_in(page, "dashboard-reader", PASSWORD)
    expect(page).to_have_url(re.compile(r"/insights/$"))
    for tile in TILES:
        expect(page.locator(f"#chart-{tile} canvas").first).to_be_visible()
        expect(page.locator(f"#chart-{tile}")).to_have_attribute("data-rendered", "1")
    assert any(url.endswith("/static/vendor/echarts/echarts.min.js") for url in traffic.requests)
    assert not console_errors, console_errors
    assert_clean_journey(traffic)

    # The table beneath the status chart: the "registered" figure opens the list of exactly those problems.
    link = page.locator('[data-tile="status"] table a[href="/ledger/?status=registered"]')
    figure = int(link.inner_text())
    assert figure == 2
    link.click()
    expect(page).to_have_url(re.compile(r"/ledger/\?status=registered$"))
    expect(page.locator("table tbody tr")).to_have_count(figure)


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"
