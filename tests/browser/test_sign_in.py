"""Signing in, as a person does it: type a name and a password, land on the home page of one's body."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from jiandu.access.models import User
from jiandu.org.models import Body, BodyKind, Level, Region, RegionKind

from .support import Traffic, is_local

pytestmark = pytest.mark.browser

USERNAME = "wangfang"
PASSWORD = "Anshun-jiandu-2024"
BODY_NAME = "安顺市纪委监委"


@pytest.fixture
def commission_user() -> User:
    region = Region.objects.create(code="520400000000", name="安顺市", kind=RegionKind.CITY, level=Level.CITY)
    body = Body.objects.create(name=BODY_NAME, kind=BodyKind.COMMISSION, level=Level.CITY, region=region)
    return User.objects.create_user(username=USERNAME, password=PASSWORD, body=body)


def sign_in(page: Page, username: str, password: str) -> None:
    """Type the name and the password, as a person would, and press the form's button."""
    for name, value in (("username", username), ("password", password)):
        field = page.locator(f'input[name="{name}"]')
        field.clear()  # after a failed attempt the form gives the name back
        field.press_sequentially(value)
    login_form(page).locator('[type="submit"]').click()


def login_form(page: Page) -> Locator:
    # The page may hold other forms (the language switch, say): take the one with the password.
    return page.locator("form").filter(has=page.locator('input[name="password"]'))


def invalid_login_message() -> str:
    """The message Django's login form gives for a wrong password, in Chinese, as the browser asks."""
    username_field = User._meta.get_field(User.USERNAME_FIELD)
    with translation.override("zh-hans"):
        return str(
            AuthenticationForm.error_messages["invalid_login"] % {"username": username_field.verbose_name}
        )


def assert_clean_journey(traffic: Traffic) -> None:
    """Nothing left 127.0.0.1, every stylesheet, script and page loaded, and no script failed."""
    assert traffic.requests, "the browser recorded no request at all"
    outside = [url for url in traffic.requests if not is_local(url)]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not traffic.failed, f"failed responses: {traffic.failed}"
    assert not traffic.page_errors, f"script errors on the page: {traffic.page_errors}"


def test_sign_in_lands_on_home_with_own_body(
    page: Page, live_server: LiveServer, commission_user: User, traffic: Traffic
) -> None:
    page.goto("/")
    # Everything is behind the login: the home page sends a signed-out visitor to sign in first.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    sign_in(page, USERNAME, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text(BODY_NAME).filter(visible=True).first).to_be_visible()
    assert_clean_journey(traffic)


def test_wrong_password_shows_error_and_stays_on_login(
    page: Page, live_server: LiveServer, commission_user: User, traffic: Traffic
) -> None:
    page.goto("/accounts/login/")

    sign_in(page, USERNAME, "not-the-password-1")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_text(invalid_login_message())).to_be_visible()
    expect(page.locator('input[name="password"]')).to_be_visible()
    expect(page.get_by_text(BODY_NAME)).to_have_count(0)
    # Still signed out.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_clean_journey(traffic)
