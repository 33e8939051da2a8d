"""Accounts in the API: obtaining and revoking a token, `/api/me/`, and the accounts list in scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from account_support import add_device, code_for, no_lockouts  # noqa: F401  (autouse fixture)
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import override_settings
from django.utils import timezone
from factories import UserFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from scenario import Registry

from jiandu.access.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Jiandu-test-2024"


@pytest.fixture
def county_user(registry: Registry) -> User:
    return UserFactory(username="api-puding", body=registry.commission, permissions=["org.change_body"])


def anonymous() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def obtain(username: str, password: str, **extra: Any) -> Any:
    return anonymous().post(
        "/api/token/", {"username": username, "password": password, **extra}, format="json"
    )


def with_token(key: str) -> APIClient:
    client = anonymous()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- tokens ---------------------------------------------------------------------------------------------


def test_obtain_a_token_and_use_it(county_user: User) -> None:
    response = obtain("api-puding", PASSWORD)
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert Token.objects.get(user=county_user).key == key
    assert response.json()["expires"]
    me = with_token(key).get("/api/me/")
    assert me.status_code == 200 and me.json()["username"] == "api-puding"
    # Asking again gives the same token: a second script does not log the first one out.
    assert obtain("api-puding", PASSWORD).json()["token"] == key


def test_an_expired_token_is_replaced_on_obtain(county_user: User) -> None:
    old = Token.objects.create(user=county_user)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=30))
    with override_settings(API_TOKEN_AGE=3600):
        new = obtain("api-puding", PASSWORD).json()["token"]
    assert new != old.key
    assert with_token(old.key).get("/api/me/").status_code == 401


def test_wrong_credentials_get_400_and_no_token(county_user: User) -> None:
    for username, password in [("api-puding", "wrong-password-1"), ("nobody", PASSWORD)]:
        response = obtain(username, password)
        assert response.status_code == 400
        assert response.json()["detail"] == "Unable to sign in with that username and password."
        assert response.json()["errors"] == {"non_field_errors": [response.json()["detail"]]}
    assert not Token.objects.exists()


def test_a_failed_attempt_goes_through_authenticate_with_the_request(county_user: User) -> None:
    """What the lockout counts: Django's user_login_failed, sent by authenticate(), with the request."""
    seen: list[tuple[dict[str, Any], Any]] = []

    def record(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        seen.append((credentials, request))

    user_login_failed.connect(record)
    try:
        obtain("api-puding", "wrong-password-1")
    finally:
        user_login_failed.disconnect(record)
    assert len(seen) == 1
    credentials, request = seen[0]
    assert credentials["username"] == "api-puding"
    assert isinstance(request, HttpRequest) and request.path == "/api/token/"


class LockingBackend:
    """Refuses as django-axes does for a locked-out account: marks the request and stops authenticate()."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        request.axes_locked_out = True
        raise PermissionDenied

    def get_user(self, user_id: int) -> None:
        return None


@override_settings(
    AUTHENTICATION_BACKENDS=[f"{__name__}.LockingBackend", "django.contrib.auth.backends.ModelBackend"]
)
def test_a_locked_out_account_gets_no_token(county_user: User) -> None:
    response = obtain("api-puding", PASSWORD)  # the right password
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_failed_token_requests_lock_the_account_everywhere(county_user: User) -> None:
    """django-axes counts the API's failures with the login page's: after five, neither gives access."""
    for _attempt in range(4):
        assert obtain("api-puding", "wrong-password-1").status_code == 400
    assert obtain("api-puding", "wrong-password-1").status_code == 429  # the fifth locks
    locked = obtain("api-puding", PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json" and locked.json()["detail"]
    assert not Token.objects.exists()
    page = anonymous().post("/accounts/login/", {"username": "api-puding", "password": PASSWORD})
    assert page.status_code == 429


def test_an_account_with_two_factor_sends_the_code(county_user: User) -> None:
    device = add_device(county_user)
    missing = obtain("api-puding", PASSWORD)
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"otp"}
    wrong = obtain("api-puding", PASSWORD, otp="000000" if code_for(device.key) != "000000" else "111111")
    assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"otp"}
    assert not Token.objects.exists()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    good = obtain("api-puding", PASSWORD, otp=code_for(device.key))
    assert good.status_code == 200, good.content
    assert Token.objects.filter(user=county_user).exists()


def test_an_administrator_without_two_factor_gets_no_token(county_user: User) -> None:
    User.objects.filter(pk=county_user.pk).update(is_staff=True)
    response = obtain("api-puding", PASSWORD)
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
    assert not Token.objects.exists()


def test_a_password_set_by_an_administrator_must_be_replaced_first(county_user: User) -> None:
    User.objects.filter(pk=county_user.pk).update(must_change_password=True)
    assert obtain("api-puding", PASSWORD).status_code == 403
    assert not Token.objects.exists()


def test_inactive_accounts_get_no_token(county_user: User) -> None:
    User.objects.filter(pk=county_user.pk).update(is_active=False)
    assert obtain("api-puding", PASSWORD).status_code == 400
    assert not Token.objects.exists()


def test_token_request_bad_input(county_user: User) -> None:
    unknown = obtain("api-puding", PASSWORD, totp="123456")
    assert unknown.status_code == 400 and set(unknown.json()["errors"]) == {"totp"}
    missing = anonymous().post("/api/token/", {"username": "api-puding"}, format="json")
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"password"}
    malformed = anonymous().post("/api/token/", data="{", content_type="application/json")
    assert malformed.status_code == 400
    assert not Token.objects.exists()


def test_revoke_the_token(county_user: User) -> None:
    key = obtain("api-puding", PASSWORD).json()["token"]
    client = with_token(key)
    assert client.delete("/api/token/").status_code == 204
    assert not Token.objects.exists()
    response = client.get("/api/me/")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_revoke_needs_credentials() -> None:
    assert anonymous().delete("/api/token/").status_code == 401


# --- /api/me/ and /api/users/ ---------------------------------------------------------------------------


def test_me_tells_the_body_scope_and_permissions(registry: Registry, county_user: User) -> None:
    client = anonymous()
    client.force_login(county_user)
    data = client.get("/api/me/").json()
    assert data["body"]["name"] == "普定县纪委监委" and data["body"]["region"] == registry.puding.code
    assert data["scope"] == {"everything": False, "regions": [registry.puding.code], "departments": None}
    assert data["permissions"] == ["org.change_body"]
    assert "password" not in data


def test_me_for_a_dispatched_group(registry: Registry) -> None:
    client = anonymous()
    client.force_login(UserFactory(username="api-group", body=registry.group))
    assert client.get("/api/me/").json()["scope"]["departments"] == [registry.health.pk]


def test_users_are_those_of_bodies_in_scope(registry: Registry, county_user: User) -> None:
    UserFactory(username="api-maguan", body=registry.maguan_office)
    other = UserFactory(username="api-xixiu", body=registry.xixiu_commission)
    root = UserFactory(username="api-root", body=None, is_superuser=True)
    Token.objects.create(user=county_user)
    client = anonymous()
    client.force_login(county_user)
    response = client.get("/api/users/", {"page_size": 500})
    assert {row["username"] for row in response.json()["results"]} == {"api-puding", "api-maguan"}
    for row in response.json()["results"]:
        assert set(row) == {"id", "username", "first_name", "last_name", "body", "body_name", "is_active"}
    for hidden in (other, root):
        assert client.get(f"/api/users/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/users/{county_user.pk}/").status_code == 200
    assert Token.objects.get().key not in response.content.decode()
    township = anonymous()
    township.force_login(User.objects.get(username="api-maguan"))
    assert {row["username"] for row in township.get("/api/users/").json()["results"]} == {"api-maguan"}
