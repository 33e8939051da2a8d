"""Lockout after five failed sign-ins, by username and address together, on the page and through the API's
authenticate(request=...) alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from account_support import PASSWORD, english, no_lockouts  # noqa: F401  (autouse fixture)
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone
from factories import UserFactory

pytestmark = pytest.mark.django_db


def fail(client, username: str = "wangfang", times: int = 5) -> list[int]:  # type: ignore[no-untyped-def]
    """Wrong passwords; the status of each answer."""
    data = {"username": username, "password": "wrong-password-1"}
    return [client.post("/accounts/login/", data).status_code for _ in range(times)]


def retry_times() -> set[str]:
    """The time the page names, allowing for the minute turning during the test."""
    now = timezone.localtime(timezone.now() + timedelta(minutes=30))
    return {now.strftime("%H:%M"), (now + timedelta(minutes=1)).strftime("%H:%M")}


def test_five_failures_lock_the_account_and_say_when_to_retry() -> None:
    UserFactory(username="wangfang")
    client = english()
    # Four times the form again, with Django's "wrong password" message; the fifth failure locks.
    assert fail(client) == [200, 200, 200, 200, 429]
    # Even the right password is refused now, with our page, not axes' default text.
    response = client.post("/accounts/login/", {"username": "wangfang", "password": PASSWORD})
    assert response.status_code == 429
    text = response.content.decode()
    assert "After 5 failed attempts" in text and "locked" in text and "30 minutes" in text
    assert any(f"Try again after {time}" in text for time in retry_times()), text
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_success_starts_the_count_again() -> None:
    UserFactory(username="wangfang")
    client = english()
    assert fail(client, times=4) == [200] * 4
    assert client.post("/accounts/login/", {"username": "wangfang", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, times=4) == [200] * 4
    assert client.post("/accounts/login/", {"username": "wangfang", "password": PASSWORD}).status_code == 302


def test_lockout_is_per_username_and_address() -> None:
    """An office shares one NAT address: one person's typos do not lock out a colleague, and the same
    username from another address still signs in."""
    UserFactory(username="wangfang")
    UserFactory(username="colleague")
    fail(english())
    assert (
        english().post("/accounts/login/", {"username": "colleague", "password": PASSWORD}).status_code == 302
    )
    elsewhere = english()
    response = elsewhere.post(
        "/accounts/login/", {"username": "wangfang", "password": PASSWORD}, REMOTE_ADDR="10.8.0.7"
    )
    assert response.status_code == 302


def test_failures_through_authenticate_with_a_request_count_too() -> None:
    """The API's token endpoint calls authenticate(request=...): its failures lock the login page too."""
    UserFactory(username="wangfang")
    factory = RequestFactory()
    for _ in range(5):
        request = factory.post("/api/token/", REMOTE_ADDR="127.0.0.1")
        assert authenticate(request=request, username="wangfang", password="wrong-password-1") is None
    request = factory.post("/api/token/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(request=request, username="wangfang", password=PASSWORD) is None
    response = english().post("/accounts/login/", {"username": "wangfang", "password": PASSWORD})
    assert response.status_code == 429


def test_client_address_behind_a_trusted_proxy(settings) -> None:  # type: ignore[no-untyped-def]
    from jiandu.access.lockout import client_ip

    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXIES = 1
    # The entry nginx appended, not the one the client made up.
    assert client_ip(request) == "10.1.2.3"
