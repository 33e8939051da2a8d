"""The consultation API: sessions created and decided through the services, problems listed only in scope,
proposals and confirmation, bad input as 4xx in the one error shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jiandu.consultation.models import Session, SystemicProblem
from jiandu.ledger.models import ProblemStatus

from .conftest import World

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def created(world: World, client: APIClient, problems) -> dict:
    response = client.post(
        "/api/consultation-sessions/",
        {
            "title": "会商",
            "held_on": "2026-04-08",
            "problems": [p.pk for p in problems],
            "participant_bodies": [world.r.maguan_office.pk],
            "guests": ["王明, 县审计局"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_read_and_decide(world: World) -> None:
    client = api(world.county)
    body = created(world, client, [world.maguan, world.health])
    assert {i["problem"] for i in body["items"]} == {world.maguan.pk, world.health.pk}
    assert "王明（县审计局）" in body["participants"]
    url = f"/api/consultation-sessions/{body['id']}/decisions/"
    response = client.post(
        url,
        {"decisions": [{"problem": world.health.pk, "decision": "transfer", "note": "移送"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.TRANSFERRED
    # The township took part: it reads the session with its own problem only, and cannot decide.
    township = api(world.township)
    read = township.get(f"/api/consultation-sessions/{body['id']}/").json()
    assert [i["problem"] for i in read["items"]] == [world.maguan.pk]
    denied = township.post(
        url, {"decisions": [{"problem": world.maguan.pk, "decision": "rectify"}]}, format="json"
    )
    assert denied.status_code == 404
    assert api(world.xixiu_user).get(f"/api/consultation-sessions/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decisions": []}, "decisions"),
        ({"decisions": [{"problem": "x", "decision": "rectify"}]}, "decisions.0.problem"),
        ({"decisions": [{"problem": 1, "decision": "archive"}]}, "decisions.0.decision"),
        ({"decisions": [{"problem": 1, "decision": "rectify", "colour": "red"}]}, "decisions.0.colour"),
    ],
)
def test_bad_decisions_are_400(world: World, payload: dict, field: str) -> None:
    client = api(world.county)
    body = created(world, client, [world.maguan])
    response = client.post(f"/api/consultation-sessions/{body['id']}/decisions/", payload, format="json")
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["errors"]), response.json()


def test_a_problem_outside_the_session_or_scope_is_400_and_writes_nothing(world: World) -> None:
    client = api(world.county)
    body = created(world, client, [world.maguan, world.health])
    response = client.post(
        f"/api/consultation-sessions/{body['id']}/decisions/",
        {
            "decisions": [
                {"problem": world.health.pk, "decision": "transfer"},
                {"problem": world.xixiu.pk, "decision": "rectify"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert f"Problem #{world.xixiu.pk} is not in this session." in str(response.json())
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.REGISTERED
    bad = client.post(
        "/api/consultation-sessions/",
        {"title": "x", "held_on": "2026-04-08", "problems": [world.xixiu.pk]},
        format="json",
    )
    assert bad.status_code == 400 and "No such problem in your scope" in str(bad.json())
    empty = client.post(
        "/api/consultation-sessions/", {"title": "x", "held_on": "2026-04-08", "problems": []}, format="json"
    )
    assert empty.status_code == 400
    assert Session.objects.count() == 1


def test_proposals_and_confirmation(world: World) -> None:
    client = api(world.county)
    [proposal] = client.get("/api/systemic-problems/proposals/", {"year": 2026}).json()
    assert proposal["problem_count"] == 4 and len(proposal["units"]) == 4
    assert client.get("/api/systemic-problems/proposals/", {"period": "week"}).status_code == 400
    response = client.post(
        "/api/systemic-problems/",
        {
            "category": world.category.pk,
            "period_kind": "quarter",
            "period_start": "2026-01-01",
            "analysis": "普遍",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["problems"]) == sorted(
        p.pk for p in (world.maguan, world.chengguan, world.health, world.education)
    )
    again = client.post(
        "/api/systemic-problems/",
        {"category": world.category.pk, "period_kind": "quarter", "period_start": "2026-01-01"},
        format="json",
    )
    assert again.status_code == 400
    assert SystemicProblem.objects.count() == 1
    assert api(world.township).get(f"/api/systemic-problems/{response.json()['id']}/").status_code == 404
