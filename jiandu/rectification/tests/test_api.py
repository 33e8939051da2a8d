"""The rectification API: scope, the acts through the services, and bad input as 4xx with the page's
messages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jiandu.rectification.models import Rectification, RectificationStatus
from jiandu.rectification.tests.support import World

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def open_one(world: World) -> dict:
    response = api(world.supervisor).post(
        "/api/rectifications/",
        {
            "problem": world.township_problem.pk,
            "measures": "补发",
            "workdays_allowed": 5,
            "opened_on": "2026-03-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_open_report_verify_close_through_the_api(world):
    body = open_one(world)
    assert body["deadline"] == "2026-03-17" and body["ledger"] == "township"
    pk = body["id"]
    report = api(world.township).post(
        f"/api/rectifications/{pk}/report/", {"text": "已补发", "claims_done": True}, format="json"
    )
    assert report.status_code == 201 and report.json()["claims_done"] is True
    verify = api(world.supervisor).post(f"/api/rectifications/{pk}/verify/", {"passed": True}, format="json")
    assert verify.status_code == 200 and verify.json()["status"] == RectificationStatus.VERIFIED
    close = api(world.supervisor).post(f"/api/rectifications/{pk}/close/", {}, format="json")
    assert close.json()["status"] == RectificationStatus.CLOSED
    reports = api(world.supervisor).get(f"/api/progress-reports/?rectification={pk}").json()
    assert [r["text"] for r in reports["results"]] == ["已补发"]


def test_bad_input_is_a_400_naming_the_field(world):
    response = api(world.supervisor).post(
        "/api/rectifications/",
        {"problem": world.township_problem.pk, "measures": "补发", "deadline": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "2026-03-05" in str(response.json()["errors"]["deadline"])
    assert not Rectification.objects.exists()
    pk = open_one(world)["id"]
    closing = api(world.supervisor).post(f"/api/rectifications/{pk}/close/", {}, format="json")
    assert closing.status_code == 400 and "verified" in str(closing.json())
    unknown = api(world.township).post(f"/api/rectifications/{pk}/report/", {"txt": "x"}, format="json")
    assert unknown.status_code == 400 and "txt" in unknown.json()["errors"]


def test_scope_and_roles(world):
    pk = open_one(world)["id"]
    assert api(world.outsider).get(f"/api/rectifications/{pk}/").status_code == 404
    assert (
        api(world.outsider)
        .post(f"/api/rectifications/{pk}/report/", {"text": "x"}, format="json")
        .status_code
        == 404
    )
    assert api(world.outsider).get("/api/rectifications/").json()["results"] == []
    # The township office has no right to verify, the group does not see the township's rectification.
    assert (
        api(world.township)
        .post(f"/api/rectifications/{pk}/verify/", {"passed": True}, format="json")
        .status_code
        == 403
    )
    assert api(world.group).get(f"/api/rectifications/{pk}/").status_code == 404
