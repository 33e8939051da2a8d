"""The ledger as a county cadre uses it: sign in, enter a problem with the keyboard, find it by searching
its facts, open it, and export the list found to Excel (read back)."""

from __future__ import annotations

import io
import re

import pytest
from factories import UserFactory
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from jiandu.ledger.models import Problem

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Jiandu-test-2024"
FACTS = "马场村危房改造补助被村干部截留两万元"


def test_enter_find_open_and_export_a_problem(page: Page, traffic: Traffic, registry) -> None:
    UserFactory(
        username="ledger-journey",
        body=registry.commission,
        permissions=["ledger.add_problem", "ledger.change_problem"],
    )
    page.goto("/ledger/")
    sign_in(page, "ledger-journey", PASSWORD)
    expect(page).to_have_url(re.compile(r"/ledger/$"))

    # Selectors by id and address: the wording is translated centrally, later.
    page.locator('a.btn[href="/ledger/new/"]').click()
    form = page.locator("form.card")
    expect(form.locator("#id_source")).to_be_focused()
    form.locator("#id_source").select_option(label="日常监督")
    form.locator("#id_category").select_option(label="民生资金发放")
    form.locator("#id_found_on").fill("2026-03-05")
    form.locator("#id_region").select_option(str(registry.machang.pk))
    form.locator("#id_responsible_region").select_option(str(registry.maguan.pk))
    facts = form.locator("#id_facts")
    facts.click()
    facts.press_sequentially(FACTS)
    facts.press("Tab")
    page.keyboard.type("20000")
    page.keyboard.press("Enter")
    expect(page.locator("#problem-facts")).to_have_text(FACTS)
    problem = Problem.objects.get(facts=FACTS)
    assert problem.found_by == registry.commission and problem.responsible_region == registry.maguan

    page.goto("/ledger/")
    page.locator("#id_q").fill("危房改造补助")
    page.locator('#filters button[type="submit"]').click()
    row_link = page.locator("#results").get_by_role("link", name=FACTS)
    expect(row_link).to_be_visible()
    row_link.click()
    expect(page.locator("#problem-facts")).to_have_text(FACTS)

    page.go_back()
    expect(page.locator("#id_q")).to_have_value("危房改造补助")
    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    download = download_info.value
    rows = list(
        load_workbook(io.BytesIO(open(download.path(), "rb").read())).active.iter_rows(values_only=True)
    )
    assert [row[8] for row in rows[2:]] == [FACTS]
    assert_clean_journey(traffic)
