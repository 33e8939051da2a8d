"""TOTP two-factor sign-in: required of administrators (enrol, then verify at every sign-in), optional for
everyone else, and once enrolled required of them too. The Django admin is behind it as well."""

from __future__ import annotations

import pytest
from account_support import (
    add_device,
    code_for,
    english,
    no_lockouts,  # noqa: F401  (autouse fixture)
    sign_in,
    verified_client,
)
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import UserFactory

from jiandu.access.roles import ACCOUNT_ADMINISTRATORS, role_group
from jiandu.access.two_factor import is_administrator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    user = UserFactory(username="admin1")
    user.groups.add(role_group(ACCOUNT_ADMINISTRATORS))
    return user


def test_administrators_are_superusers_staff_and_account_administrators(admin) -> None:  # type: ignore[no-untyped-def]
    assert is_administrator(admin)
    assert is_administrator(UserFactory(username="root", is_superuser=True))
    assert is_administrator(UserFactory(username="staff", is_staff=True))
    assert not is_administrator(UserFactory(username="cadre"))


def test_administrator_without_device_must_enrol_before_anything_else(admin) -> None:  # type: ignore[no-untyped-def]
    client = sign_in("admin1")
    response = client.get("/org/regions/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/enrol/?next=%2Forg%2Fregions%2F"
    for path in ("/", "/accounts/users/", "/accounts/security/", "/admin/"):
        assert client.get(path)["Location"].startswith("/accounts/two-factor/enrol/"), path

    page = client.get("/accounts/two-factor/enrol/?next=/org/regions/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and "must use two-factor sign-in" in text  # QR code drawn inline, on the server
    assert 'id="totp-secret"' in text and "http" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = client.session["jiandu_totp_key"]
    # Reloading keeps the secret already scanned.
    client.get("/accounts/two-factor/enrol/")
    assert client.session["jiandu_totp_key"] == key

    wrong = client.post("/accounts/two-factor/enrol/", {"token": "000000", "next": "/org/regions/"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()

    done = client.post("/accounts/two-factor/enrol/", {"token": code_for(key), "next": "/org/regions/"})
    assert done.status_code == 200 and 'id="backup-codes"' in done.content.decode()
    assert len(done.context["codes"]) == 10
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert client.get("/org/regions/").status_code == 200


def test_administrator_with_device_must_verify_at_sign_in(admin) -> None:  # type: ignore[no-untyped-def]
    device = add_device(admin)
    client = sign_in("admin1")
    assert client.get("/org/regions/")["Location"] == "/accounts/two-factor/verify/?next=%2Forg%2Fregions%2F"
    wrong = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/org/regions/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the throttle would make the next try wait a second
    device.save()
    right = client.post(
        "/accounts/two-factor/verify/", {"token": code_for(device.key), "next": "/org/regions/"}
    )
    assert right.status_code == 302 and right["Location"] == "/org/regions/"
    assert client.get("/org/regions/").status_code == 200


def test_verification_refuses_an_outside_next_address(admin) -> None:  # type: ignore[no-untyped-def]
    device = add_device(admin)
    client = sign_in("admin1")
    response = client.post(
        "/accounts/two-factor/verify/", {"token": code_for(device.key), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_backup_code_signs_in_once(admin) -> None:  # type: ignore[no-untyped-def]
    add_device(admin)
    client = verified_client(admin)
    codes = client.post("/accounts/security/backup-codes/").context["codes"]
    assert StaticToken.objects.filter(device__user=admin).count() == 10

    first = sign_in("admin1")
    assert first.post("/accounts/two-factor/verify/", {"token": codes[0]})["Location"] == "/"
    assert first.get("/").status_code == 200
    second = sign_in("admin1")
    assert second.post("/accounts/two-factor/verify/", {"token": codes[0]}).status_code == 200
    assert second.get("/")["Location"].startswith("/accounts/two-factor/verify/")


def test_others_may_enrol_and_then_must_verify() -> None:
    UserFactory(username="cadre")
    client = sign_in("cadre")
    assert client.get("/").status_code == 200  # no device, not an administrator: the password suffices
    security = client.get("/accounts/security/").content.decode()
    assert "Set up two-factor sign-in" in security

    enrol = client.get("/accounts/two-factor/enrol/")
    assert "must use two-factor" not in enrol.content.decode()
    key = client.session["jiandu_totp_key"]
    client.post("/accounts/two-factor/enrol/", {"token": code_for(key)})
    assert client.get("/").status_code == 200

    again = sign_in("cadre")
    assert again.get("/")["Location"].startswith("/accounts/two-factor/verify/")
    assert (
        again.post("/accounts/two-factor/verify/", {"token": code_for(key, steps_ahead=1)}).status_code == 302
    )
    assert again.get("/").status_code == 200


def test_others_may_turn_it_off_administrators_may_not(admin) -> None:  # type: ignore[no-untyped-def]
    cadre = UserFactory(username="cadre")
    add_device(cadre)
    client = verified_client(cadre)
    confirm = client.get("/accounts/security/two-factor-off/")
    assert confirm.status_code == 200 and TOTPDevice.objects.filter(user=cadre).exists()
    client.post("/accounts/security/two-factor-off/")
    assert not TOTPDevice.objects.filter(user=cadre).exists()

    add_device(admin)
    admin_client = verified_client(admin)
    response = admin_client.post("/accounts/security/two-factor-off/", follow=True)
    assert "cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_django_admin_requires_two_factor_for_staff() -> None:
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client = english()
    client.force_login(staff)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/enrol/")
    add_device(staff)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")
    assert verified_client(staff).get("/admin/").status_code == 200


def test_htmx_requests_are_sent_to_verify_as_a_whole_page(admin) -> None:  # type: ignore[no-untyped-def]
    add_device(admin)
    client = sign_in("admin1")
    response = client.get(
        "/org/regions/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/org/"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/two-factor/verify/?next=%2Forg%2F"


def test_login_page_says_the_demo_accounts_have_no_device() -> None:
    assert 'id="demo-two-factor"' not in english().get("/accounts/login/").content.decode()
    UserFactory(username="anshun")
    text = english().get("/accounts/login/").content.decode()
    assert 'id="demo-two-factor"' in text and "no two-factor device enrolled" in text
