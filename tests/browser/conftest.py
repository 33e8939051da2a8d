"""Browser journeys: Debian's Chromium driven through Playwright, against pytest-django's live server.

No browser is ever downloaded (`playwright install` is not used): CI installs Debian's `chromium`
(.ci/run). On a machine without /usr/bin/chromium these tests fail with a message that says so; they are
never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, Response, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

from .support import Traffic, is_local

# Playwright's sync API keeps an event loop running in the main thread, and Django refuses ORM calls from
# a thread with a running loop; the tests set up data through the ORM while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Serve on the loopback address itself (not "localhost"), so that "nothing left this machine" is a plain
# comparison of host names.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches Chromium calls home at start, and the intranet (like CI) has
# no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. The browser tests drive Debian's Chromium: "
            "`apt-get install chromium` (.ci/run does it). Do not run `playwright install`.",
            pytrace=False,
        )
    # Once Playwright's loop runs in this thread, asgiref hands out other connection objects, without the
    # copy of the data migrations' rows the test database was created with: serialized rollback would
    # restore nothing. Carry the copy over.
    copies = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in copies.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, traffic: Traffic) -> Iterator[Page]:
    """A page in a fresh context (no cookies), in Chinese, with relative URLs resolved on the live server.

    A request for anything but 127.0.0.1 is recorded and blocked before it leaves, and fails the test:
    the intranet has no outside network, so a CDN reference is a bug.
    """
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)

    def keep_local(route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            traffic.outside.append(url)
            route.abort("blockedbyclient")

    def note_failure(response: Response) -> None:
        if response.status >= 400:
            traffic.failed.append(f"{response.status} {response.url}")

    context.route("**/*", keep_local)
    context.on("request", lambda request: traffic.requests.append(request.url))
    context.on("response", note_failure)
    page = context.new_page()
    page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
    yield page
    context.close()
    assert not traffic.outside, f"requests left 127.0.0.1: {traffic.outside}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A live-server test runs outside a transaction, so its database is emptied afterwards, the rows the
    data migrations wrote (sources, categories, roles, time limits, filing rules) with it. Each browser
    test restores them from the copy taken when the test database was created (serialized rollback), so
    no test, browser or not, depends on which browser test ran before it."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)
