"""The auditors' pages: closed (404) to everyone but auditors, scoped to the bodies in the auditor's scope,
searchable, paged newest first, exported as CSV (itself recorded); the Django admin only shows entries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.core import audit
from jiandu.core.audit.actor import Actor
from jiandu.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def as_body(body: object, username: str) -> Actor:
    return Actor(user_id=1, username=username, body_id=body.pk, body_name=body.name)  # type: ignore[attr-defined]


def signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    if user.is_superuser:
        # Administrators complete two-factor sign-in first (jiandu.access.middleware).
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def auditor(body: object, username: str = "auditor") -> User:
    user = UserFactory(username=username, body=body)
    user.groups.add(Group.objects.get(name="auditors"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def trail(registry: Registry) -> dict[str, AuditEntry]:
    """Entries by people of 普定 (the commission, a township office), of 西秀, and without a body."""
    r = registry
    with audit.acting_as(as_body(r.commission, "puding-zhang")):
        puding = audit.record(
            AuditAction.CHANGE, obj=r.health, changes={"short_name": ["县卫健局", "卫健局"]}, detail={}
        )
    with audit.acting_as(as_body(r.maguan_office, "maguan-wang")):
        township = audit.audit_view(None, r.tianxing)
    with audit.acting_as(as_body(r.xixiu_commission, "xixiu-zhou")):
        xixiu = audit.record(AuditAction.VIEW, obj=r.zhou)
    with audit.acting_as(Actor(username="=cmd|' /C calc'!A0")):
        nobody = audit.record(AuditAction.COMMAND, object_repr='=HYPERLINK("x")')
    return {"puding": puding, "township": township, "xixiu": xixiu, "nobody": nobody}


def seqs(response: object) -> set[int]:
    return {entry.seq for entry in response.context["entries"]}  # type: ignore[attr-defined]


# --- who may open the pages ---------------------------------------------------------------------------


def test_the_pages_are_404_for_everyone_but_auditors(
    registry: Registry, trail: dict[str, AuditEntry]
) -> None:
    editor = UserFactory(username="editor", body=registry.commission, permissions=["org.change_body"])
    client = signed_in(editor)
    for url in (
        reverse("audit:list"),
        reverse("audit:export"),
        reverse("audit:detail", args=[trail["puding"].seq]),
    ):
        assert client.get(url).status_code == 404, url
    assert "/audit/" not in client.get("/").content.decode()


def test_the_navigation_shows_the_trail_to_auditors(registry: Registry) -> None:
    html = signed_in(auditor(registry.commission)).get("/").content.decode()
    assert 'href="/audit/"' in html


def test_a_county_auditor_sees_the_entries_of_bodies_in_the_county(
    registry: Registry, trail: dict[str, AuditEntry]
) -> None:
    response = signed_in(auditor(registry.commission)).get(reverse("audit:list"))
    assert response.status_code == 200
    shown = seqs(response)
    assert {trail["puding"].seq, trail["township"].seq} <= shown
    assert trail["xixiu"].seq not in shown and trail["nobody"].seq not in shown
    html = response.content.decode()
    assert "puding-zhang" in html and "xixiu-zhou" not in html
    assert "县卫健局 → 卫健局" in html
    client = signed_in(auditor(registry.commission, "auditor2"))
    assert client.get(reverse("audit:detail", args=[trail["xixiu"].seq])).status_code == 404
    detail = client.get(reverse("audit:detail", args=[trail["puding"].seq]))
    assert detail.status_code == 200 and trail["puding"].hash in detail.content.decode()


def test_a_township_auditor_sees_only_the_township(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    shown = seqs(signed_in(auditor(registry.maguan_office)).get(reverse("audit:list")))
    assert trail["township"].seq in shown and trail["puding"].seq not in shown


def test_a_superuser_without_a_body_sees_everything(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    shown = seqs(signed_in(root).get(reverse("audit:list")))
    assert {entry.seq for entry in trail.values()} <= shown


# --- search, filters, pages ---------------------------------------------------------------------------


def test_search_and_filters(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    client = signed_in(auditor(registry.commission))
    url = reverse("audit:list")
    assert seqs(client.get(url, {"q": "maguan-wang"})) == {trail["township"].seq}
    assert seqs(client.get(url, {"q": "天星"})) == {trail["township"].seq}
    # The text of a change, in Chinese, as stored in the JSON column.
    assert seqs(client.get(url, {"q": "卫健局"})) == {trail["puding"].seq}
    assert seqs(client.get(url, {"action": "view"})) == {trail["township"].seq}
    assert trail["puding"].seq in seqs(client.get(url, {"model": "org.department"}))
    assert seqs(client.get(url, {"body": registry.maguan_office.pk})) == {trail["township"].seq}
    today = trail["puding"].at.astimezone().date().isoformat()
    assert trail["puding"].seq in seqs(client.get(url, {"since": today, "until": today}))
    assert not seqs(client.get(url, {"since": "2001-01-01", "until": "2001-01-02"}))
    # A body out of scope is not a choice: the filter is ignored as invalid, nothing leaks.
    assert trail["xixiu"].seq not in seqs(client.get(url, {"body": registry.xixiu_commission.pk}))


def test_htmx_gets_the_table_alone(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    response = signed_in(auditor(registry.commission)).get(reverse("audit:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_pages_go_by_sequence_number(registry: Registry) -> None:
    with audit.acting_as(as_body(registry.commission, "busy")):
        entries = [audit.record(AuditAction.VIEW, obj=registry.zhang) for _ in range(120)]
    client = signed_in(auditor(registry.commission))
    first = client.get(reverse("audit:list"), {"q": "busy"})
    assert [e.seq for e in first.context["entries"]] == [e.seq for e in entries[::-1][:50]]
    assert first.context["newer_after"] is None
    older = first.context["older_before"]
    second = client.get(reverse("audit:list"), {"q": "busy", "before": older})
    assert [e.seq for e in second.context["entries"]] == [e.seq for e in entries[::-1][50:100]]
    third = client.get(reverse("audit:list"), {"q": "busy", "before": second.context["older_before"]})
    assert len(third.context["entries"]) == 20 and third.context["older_before"] is None
    back = client.get(reverse("audit:list"), {"q": "busy", "after": third.context["newer_after"]})
    assert [e.seq for e in back.context["entries"]] == [e.seq for e in second.context["entries"]]
    assert f"before={older}" in first.content.decode() and "q=busy" in first.content.decode()


# --- export -------------------------------------------------------------------------------------------


def test_the_csv_export_is_scoped_and_recorded(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    user = auditor(registry.commission)
    client = signed_in(user)
    response = client.get(reverse("audit:export"), {"q": "卫健局"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Sequence number", "Time", "User"]
    assert [row[0] for row in rows[1:]] == [str(trail["puding"].seq)]
    assert rows[1][7] == "普定县卫生健康局" and "卫健局" in rows[1][8]
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.actor_username, export.model) == ("auditor", "core.auditentry")
    assert export.detail == {"count": 1, "filters": {"q": "卫健局"}}


def test_the_csv_export_defuses_formulas(registry: Registry, trail: dict[str, AuditEntry]) -> None:
    root = UserFactory(username="root", is_superuser=True)
    body = b"".join(signed_in(root).get(reverse("audit:export")).streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(body)) if r and r[0] == str(trail["nobody"].seq))
    assert row[2].startswith("'=") and row[7].startswith("'=")


# --- the Django admin ---------------------------------------------------------------------------------


def test_the_admin_only_shows_entries_even_to_a_superuser(trail: dict[str, AuditEntry]) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = signed_in(root)
    entry = trail["puding"]
    assert client.get("/admin/core/auditentry/").status_code == 200
    change_url = f"/admin/core/auditentry/{entry.seq}/change/"
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change_url, {"object_repr": "改过"})
    assert client.get(f"/admin/core/auditentry/{entry.seq}/delete/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.seq}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "普定县卫生健康局"
    assert AuditEntry.objects.filter(seq=entry.seq).exists()
