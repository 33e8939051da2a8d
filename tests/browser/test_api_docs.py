"""The API docs as a developer uses them: sign in, open /api/docs/, try an endpoint. Swagger UI is served
from our own static files; the page fixture blocks and reports any request that leaves 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from jiandu.access.models import User
from jiandu.org.models import Body, BodyKind, Level, Region, RegionKind

from .support import Traffic
from .test_sign_in import assert_clean_journey, sign_in

pytestmark = pytest.mark.browser

USERNAME = "api-docs-reader"
PASSWORD = "Anshun-jiandu-2024"


@pytest.fixture
def reader() -> User:
    region = Region.objects.create(code="520400000000", name="安顺市", kind=RegionKind.CITY, level=Level.CITY)
    body = Body.objects.create(
        name="安顺市纪委监委", kind=BodyKind.COMMISSION, level=Level.CITY, region=region
    )
    return User.objects.create_user(username=USERNAME, password=PASSWORD, body=body)


def test_docs_render_offline_and_try_an_endpoint(
    page: Page, live_server: LiveServer, reader: User, traffic: Traffic
) -> None:
    page.goto("/api/docs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/api/docs/$"))
    sign_in(page, USERNAME, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/api/docs/")

    # Swagger UI has loaded its script and our schema: the operations are listed.
    me = page.locator("#operations-me-me_retrieve")
    expect(me).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/people/").first).to_be_visible()

    me.locator(".opblock-summary").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    expect(me.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        re.compile(r"^\s*200")
    )
    expect(me.locator(".live-responses-table")).to_contain_text(USERNAME)

    assert any(url.endswith("/static/vendor/swagger-ui/swagger-ui-bundle.js") for url in traffic.requests)
    assert_clean_journey(traffic)
