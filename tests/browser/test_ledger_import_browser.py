"""Importing a ledger as a person does it: choose the file, read the preview, confirm, see the result."""

from __future__ import annotations

import time

import pytest
from factories import UserFactory
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from jiandu.ledger.models import Problem
from jiandu.ledger.tests.ledger_files import HEADER, ROWS, xlsx

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Anshun-jiandu-2024"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_preview_confirm(page: Page, live_server: LiveServer, registry, traffic: Traffic) -> None:
    UserFactory(
        username="importer", password=PASSWORD, body=registry.commission, permissions=["ledger.add_problem"]
    )
    bad = [list(row) for row in ROWS]
    bad[1][HEADER.index("发现日期")] = "2026-02-30"

    page.goto("/accounts/login/?next=/ledger/import/")
    sign_in(page, "importer", PASSWORD)
    page.locator('input[type="file"]').set_input_files(
        {"name": "台账.xlsx", "mimeType": XLSX, "buffer": xlsx(bad)}
    )
    page.locator('#upload-form button[type="submit"]').click()

    # The preview shows the bad row with its row number and column, and offers no import.
    table = page.locator("#preview-rows")
    expect(table.locator("tr.table-danger")).to_have_count(1)
    expect(table.locator("tr.table-danger th")).to_have_text("5")
    expect(table.locator("tr.table-danger")).to_contain_text("发现日期")
    expect(page.locator("#confirm-import")).to_have_count(0)
    assert not Problem.objects.exists()

    # The corrected file: every row new, confirm (after the browser's question), done.
    page.goto("/ledger/import/")
    page.locator('input[type="file"]').set_input_files(
        {"name": "台账.xlsx", "mimeType": XLSX, "buffer": xlsx()}
    )
    page.locator('#upload-form button[type="submit"]').click()
    expect(page.locator("#preview-rows tbody tr")).to_have_count(3)
    assert not Problem.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#confirm-import").click()
    expect(page.locator("#import-result")).to_contain_text("3")
    assert Problem.objects.count() == 3
    assert_clean_journey(traffic)


def test_a_file_being_checked_is_not_sent_twice(page: Page, live_server: LiveServer, registry) -> None:
    """A large ledger takes seconds to check: the button says so, and a second click sends nothing."""
    UserFactory(
        username="importer", password=PASSWORD, body=registry.commission, permissions=["ledger.add_problem"]
    )
    page.goto("/accounts/login/?next=/ledger/import/")
    sign_in(page, "importer", PASSWORD)
    page.locator('input[type="file"]').set_input_files(
        {"name": "台账.xlsx", "mimeType": XLSX, "buffer": xlsx()}
    )
    # The page's scripts are deferred: under load they may not have run when the form is filled.
    page.wait_for_load_state("load")
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    # The answer held back half a second: the page is still the upload form when the person clicks again.
    page.route("**/ledger/import/", lambda route: (time.sleep(0.5), route.continue_()))
    state = page.evaluate(
        """() => new Promise((resolve) => {
            const form = document.getElementById("upload-form");
            const button = form.querySelector("[type=submit]");
            button.click();
            setTimeout(() => {
                button.click();
                resolve({disabled: button.disabled, text: button.textContent.trim(), busy: form.dataset.busy});
            }, 150);
        })"""
    )
    assert state["disabled"] is True
    assert state["text"] == state["busy"] != ""
    expect(page.locator("#preview-rows tbody tr")).to_have_count(3)
    assert len(posts) == 1
