"""Password rules, the password change page, a password set by an administrator, session expiry and
"log out everywhere"."""

from __future__ import annotations

import pytest
from account_support import (
    PASSWORD,
    english,
    no_lockouts,  # noqa: F401  (autouse fixture)
    sign_in,
)
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from factories import UserFactory
from rest_framework.authtoken.models import Token

from jiandu.access.models import User

pytestmark = pytest.mark.django_db


def problems(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_password_rules() -> None:
    user = User(username="wangfang", first_name="王芳")
    assert "password_too_short" in problems("Ab3def9", user)
    assert "password_too_common" in problems("password123", user)
    assert "password_entirely_numeric" in problems("5204221012", user)
    assert "password_letters_and_digits" in problems("only-letters-here", user)
    assert "password_too_similar" in problems("wangfang2024", user)
    assert problems("Anshun-jiandu-2024", user) == []


def test_the_letters_and_digits_rule_speaks_the_users_language() -> None:
    user = UserFactory(username="u1")
    client = english()
    client.force_login(user)
    response = client.post(
        "/accounts/security/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "only-letters-here",
            "new_password2": "only-letters-here",
        },
    )
    assert "must contain both letters and digits" in response.content.decode()


def test_sessions_expire_when_idle_and_at_browser_close() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_logout_everywhere_ends_other_sessions_and_tokens_but_not_this_one() -> None:
    user = UserFactory(username="wangfang")
    here, there = sign_in("wangfang"), sign_in("wangfang")
    Token.objects.create(user=user)
    assert there.get("/").status_code == 200

    confirm = here.get("/accounts/security/logout-everywhere/")
    assert confirm.status_code == 200 and there.get("/").status_code == 200  # a GET only asks
    assert here.post("/accounts/security/logout-everywhere/")["Location"] == "/accounts/security/"

    assert here.get("/").status_code == 200
    assert there.get("/")["Location"].startswith("/accounts/login/")
    assert not Token.objects.filter(user=user).exists()


def test_password_change_keeps_this_session_and_ends_the_others() -> None:
    user = UserFactory(username="wangfang")
    here, there = sign_in("wangfang"), sign_in("wangfang")
    stamp = user.security_stamp
    response = here.post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": "Xixiu-river-2025", "new_password2": "Xixiu-river-2025"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xixiu-river-2025") and user.security_stamp != stamp
    assert here.get("/").status_code == 200
    assert there.get("/")["Location"].startswith("/accounts/login/")


def test_a_password_set_by_an_administrator_must_be_replaced_at_sign_in() -> None:
    UserFactory(username="wangfang", must_change_password=True)
    client = sign_in("wangfang")
    response = client.get("/org/regions/")
    assert response["Location"] == "/accounts/security/password/?next=%2Forg%2Fregions%2F"
    page = client.get(response["Location"])
    assert 'id="password-forced"' in page.content.decode()
    done = client.post(
        "/accounts/security/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xixiu-river-2025",
            "new_password2": "Xixiu-river-2025",
            "next": "/org/regions/",
        },
    )
    assert done["Location"] == "/org/regions/"
    assert not User.objects.get(username="wangfang").must_change_password
    assert client.get("/org/regions/").status_code == 200
