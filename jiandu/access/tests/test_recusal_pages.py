"""The recusal pages as a recusal decider of 普定县 uses them, and as everyone else sees them (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import UserFactory
from scenario import Registry

from jiandu.access.models import Recusal
from jiandu.org.models import Department, Region

pytestmark = pytest.mark.django_db

DECIDER_PERMISSIONS = ["access.view_recusal", "access.add_recusal", "access.change_recusal"]


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def decider(registry: Registry):  # type: ignore[no-untyped-def]
    return UserFactory(username="secretary", body=registry.commission, permissions=DECIDER_PERMISSIONS)


@pytest.fixture
def cadre(registry: Registry):  # type: ignore[no-untyped-def]
    return UserFactory(username="cadre", body=registry.maguan_office)


def test_decider_recuses_a_cadre_from_a_village(registry: Registry, decider, cadre) -> None:
    client = client_for(decider)
    form = client.get("/recusals/new/")
    assert form.status_code == 200
    choices = form.context["form"].fields["user"].queryset
    assert cadre in choices and decider not in choices

    response = client.post(
        "/recusals/new/",
        {"user": cadre.pk, "target": "region", "region": "520422101233", "reason": "Native village"},
    )
    assert response.status_code == 302 and response["Location"] == "/recusals/"
    recusal = Recusal.objects.get()
    assert (recusal.user, recusal.region.code, recusal.decided_by) == (cadre, "520422101233", decider)
    assert "Native village" in client.get("/recusals/").content.decode()

    seen = client_for(cadre)
    assert seen.get("/org/regions/520422101233/").status_code == 404
    assert seen.get("/org/regions/520422101201/").status_code == 200


def test_bad_and_out_of_scope_targets_are_refused_by_field(registry: Registry, decider, cadre) -> None:
    client = client_for(decider)
    cases = [
        ({"target": "region", "region": "52042210123"}, "region", "12 digits"),
        ({"target": "region", "region": "520402001001"}, "region", "520402001001"),  # 西秀区
        ({"target": "department"}, "department", "Choose what"),
        (
            {"target": "department", "department": Department.objects.get(name="西秀区卫生健康局").pk},
            "department",
            "valid choice",
        ),
        ({"target": "region", "region": "520422101233", "reason": ""}, "reason", "required"),
    ]
    for data, field, message in cases:
        payload = {"user": cadre.pk, "reason": "Relative", **data}
        response = client.post("/recusals/new/", payload)
        assert response.status_code == 200, data
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field]), (data, errors)
    assert not Recusal.objects.exists()


def test_a_user_outside_scope_cannot_be_recused(registry: Registry, decider) -> None:
    outsider = UserFactory(username="xixiu-cadre", body=registry.xixiu_commission)
    response = client_for(decider).post(
        "/recusals/new/",
        {"user": outsider.pk, "target": "region", "region": "520422101233", "reason": "x"},
    )
    assert "user" in response.context["form"].errors
    assert not Recusal.objects.exists()


def test_lifting_asks_for_confirmation_then_lifts(registry: Registry, decider, cadre) -> None:
    client = client_for(decider)
    client.post(
        "/recusals/new/",
        {"user": cadre.pk, "target": "person", "person": registry.chen.pk, "reason": "Cousin"},
    )
    recusal = Recusal.objects.get()
    page = client.get(f"/recusals/{recusal.pk}/lift/")
    assert page.status_code == 200 and "Cousin" in page.content.decode()
    assert Recusal.objects.get().lifted_at is None
    assert client.post(f"/recusals/{recusal.pk}/lift/").status_code == 302
    lifted = Recusal.objects.get()
    assert lifted.lifted_at is not None and lifted.lifted_by == decider
    assert client.get(f"/recusals/{recusal.pk}/lift/").status_code == 404
    assert "Cousin" not in client.get("/recusals/").content.decode()
    assert "Cousin" in client.get("/recusals/?state=all").content.decode()


def test_recusal_pages_are_404_without_the_role(registry: Registry, cadre) -> None:
    client = client_for(cadre)
    for url in ("/recusals/", "/recusals/new/"):
        assert client.get(url).status_code == 404


def test_another_county_decider_cannot_lift(registry: Registry, decider, cadre) -> None:
    client_for(decider).post(
        "/recusals/new/", {"user": cadre.pk, "target": "region", "region": "520422101000", "reason": "Home"}
    )
    recusal = Recusal.objects.get()
    other = UserFactory(
        username="xixiu-secretary", body=registry.xixiu_commission, permissions=DECIDER_PERMISSIONS
    )
    assert client_for(other).post(f"/recusals/{recusal.pk}/lift/").status_code == 404
    assert Recusal.objects.get().lifted_at is None
    assert Region.objects.visible_to(cadre).filter(code="520422101000").exists() is False
