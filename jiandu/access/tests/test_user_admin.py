"""Account administration as 普定县's account administrator uses it: only accounts of bodies in 普定's scope,
only bodies in that scope, only the fixed roles, never superuser; everything else answers 404."""

from __future__ import annotations

import pytest
from account_support import (
    PASSWORD,
    add_device,
    no_lockouts,  # noqa: F401  (autouse fixture)
    sign_in,
    verified_client,
)
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import UserFactory
from rest_framework.authtoken.models import Token
from scenario import Registry

from jiandu.access import services
from jiandu.access.models import User
from jiandu.access.roles import ACCOUNT_ADMINISTRATORS, RECUSAL_DECIDERS, REGISTRY_EDITORS, role_group

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Maguan-river-2025"


@pytest.fixture
def admin(registry: Registry) -> User:
    user = UserFactory(username="puding-admin", body=registry.commission)
    user.groups.add(role_group(ACCOUNT_ADMINISTRATORS))
    return user


@pytest.fixture
def township_user(registry: Registry) -> User:
    return UserFactory(username="maguan-cadre", first_name="王芳", body=registry.maguan_office)


@pytest.fixture
def xixiu_user(registry: Registry) -> User:
    return UserFactory(username="xixiu-cadre", first_name="周强", body=registry.xixiu_commission)


def test_the_list_shows_the_accounts_in_scope_only(admin, township_user, xixiu_user) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)
    text = client.get("/accounts/users/").content.decode()
    assert "maguan-cadre" in text and "puding-admin" in text
    assert "xixiu-cadre" not in text and "周强" not in text
    assert "maguan-cadre" in client.get("/accounts/users/?q=王芳").content.decode()
    assert "maguan-cadre" not in client.get("/accounts/users/?q=nobody").content.decode()
    by_role = client.get(f"/accounts/users/?role={ACCOUNT_ADMINISTRATORS}").content.decode()
    assert "puding-admin" in by_role and "maguan-cadre" not in by_role
    assert "maguan-cadre" in client.get(f"/accounts/users/?body={township_user.body_id}").content.decode()
    assert "maguan-cadre" not in client.get("/accounts/users/?is_active=0").content.decode()


def test_the_navigation_links_to_accounts_for_administrators_only(admin, township_user) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/accounts/users/"' in verified_client(admin).get("/").content.decode()
    client = sign_in("maguan-cadre")
    home = client.get("/").content.decode()
    assert 'href="/accounts/users/"' not in home and 'href="/accounts/security/"' in home
    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/accounts/users/new/").status_code == 404
    assert client.get(f"/accounts/users/{township_user.pk}/").status_code == 404


def test_an_account_of_another_county_is_404_for_every_action(admin, xixiu_user) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)
    for action in ("", "deactivate/", "activate/", "password/", "two-factor/"):
        url = f"/accounts/users/{xixiu_user.pk}/{action}"
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 404
        )
    xixiu_user.refresh_from_db()
    assert xixiu_user.is_active and xixiu_user.check_password(PASSWORD)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(acting_user=admin, user=xixiu_user)


def test_superuser_and_staff_accounts_are_not_managed_by_account_administrators(admin, registry) -> None:  # type: ignore[no-untyped-def]
    root = UserFactory(username="chaoji-guanli", body=registry.commission, is_superuser=True)
    client = verified_client(admin)
    assert "chaoji-guanli" not in client.get("/accounts/users/").content.decode()
    assert client.get(f"/accounts/users/{root.pk}/").status_code == 404


def test_create_an_account_in_scope(admin, registry) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)
    form = client.get("/accounts/users/new/")
    bodies = set(form.context["form"].fields["body"].queryset)
    assert registry.maguan_office in bodies and registry.xixiu_commission not in bodies
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "new-cadre",
            "first_name": "刘洋",
            "body": registry.maguan_office.pk,
            "roles": [REGISTRY_EDITORS, RECUSAL_DECIDERS],
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new-cadre")
    assert (user.body, user.first_name) == (registry.maguan_office, "刘洋")
    assert set(user.groups.values_list("name", flat=True)) == {REGISTRY_EDITORS, RECUSAL_DECIDERS}
    assert not user.is_superuser and not user.is_staff and user.must_change_password
    assert user.check_password(NEW_PASSWORD)


def test_create_refuses_a_body_outside_scope_a_weak_password_and_unknown_roles(admin, registry) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)
    data = {
        "username": "new-cadre",
        "first_name": "刘洋",
        "body": registry.xixiu_commission.pk,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    assert "body" in client.post("/accounts/users/new/", data).context["form"].errors
    weak = {
        **data,
        "body": registry.maguan_office.pk,
        "password": "abcdefghij",
        "password_confirm": "abcdefghij",
    }
    assert "password" in client.post("/accounts/users/new/", weak).context["form"].errors
    odd_role = {**data, "body": registry.maguan_office.pk, "roles": ["superusers"]}
    assert "roles" in client.post("/accounts/users/new/", odd_role).context["form"].errors
    assert not User.objects.filter(username="new-cadre").exists()
    with pytest.raises(ValidationError):
        services.user_create(
            acting_user=admin,
            username="sneaky",
            first_name="",
            body=registry.xixiu_commission,
            roles=[],
            password=NEW_PASSWORD,
        )


def test_edit_body_and_roles_within_scope(admin, township_user, registry) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)
    other = Group.objects.create(name="a group that is no role")
    township_user.groups.add(other)
    url = f"/accounts/users/{township_user.pk}/"
    outside = client.post(url, {"first_name": "王芳", "body": registry.xixiu_commission.pk})
    assert "body" in outside.context["form"].errors
    response = client.post(
        url, {"first_name": "王芳", "body": registry.committee.pk, "roles": [REGISTRY_EDITORS]}
    )
    assert response.status_code == 302
    township_user.refresh_from_db()
    assert township_user.body == registry.committee
    assert set(township_user.groups.values_list("name", flat=True)) == {REGISTRY_EDITORS, other.name}


def test_administrators_cannot_change_their_own_roles_or_deactivate_themselves(admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.user_update(acting_user=admin, user=admin, roles=[REGISTRY_EDITORS])
    with pytest.raises(ValidationError):
        services.user_deactivate(acting_user=admin, user=admin)
    admin.refresh_from_db()
    assert admin.is_active and admin.groups.filter(name=ACCOUNT_ADMINISTRATORS).exists()


def test_deactivation_asks_first_then_ends_sessions_and_tokens(admin, township_user) -> None:  # type: ignore[no-untyped-def]
    cadre_client = sign_in("maguan-cadre")
    Token.objects.create(user=township_user)
    client = verified_client(admin)
    url = f"/accounts/users/{township_user.pk}/deactivate/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'id="confirm-question"' in confirm.content.decode()
    township_user.refresh_from_db()
    assert township_user.is_active

    assert client.post(url)["Location"] == "/accounts/users/"
    township_user.refresh_from_db()
    assert not township_user.is_active
    assert not Token.objects.filter(user=township_user).exists()
    assert cadre_client.get("/")["Location"].startswith("/accounts/login/")

    client.post(f"/accounts/users/{township_user.pk}/activate/")
    township_user.refresh_from_db()
    assert township_user.is_active


def test_reset_password_sets_a_temporary_one(admin, township_user) -> None:  # type: ignore[no-untyped-def]
    cadre_client = sign_in("maguan-cadre")
    client = verified_client(admin)
    url = f"/accounts/users/{township_user.pk}/password/"
    mismatch = client.post(url, {"password": NEW_PASSWORD, "password_confirm": "something-else-1"})
    assert "password_confirm" in mismatch.context["form"].errors
    assert client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302
    township_user.refresh_from_db()
    assert township_user.check_password(NEW_PASSWORD) and township_user.must_change_password
    assert cadre_client.get("/")["Location"].startswith("/accounts/login/")


def test_reset_two_factor_asks_first_then_removes_the_devices(admin, township_user) -> None:  # type: ignore[no-untyped-def]
    add_device(township_user)
    client = verified_client(admin)
    url = f"/accounts/users/{township_user.pk}/two-factor/"
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(user=township_user).exists()
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=township_user).exists()


def test_the_list_costs_the_same_queries_for_three_accounts_or_thirty(admin, registry) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/users/").status_code == 200
        return len(captured)

    for n in range(2):
        UserFactory(username=f"few-{n}", body=registry.maguan_office).groups.add(role_group(REGISTRY_EDITORS))
    few = queries()
    for n in range(28):
        UserFactory(username=f"many-{n}", body=registry.committee).groups.add(role_group(RECUSAL_DECIDERS))
    assert queries() == few
