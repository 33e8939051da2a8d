"""The ledger API: problems in scope only, filters and search as on the page, pages without a count, writes
through problem_save with the permission and related objects in scope, bad input as a 4xx naming the field,
catalogues and evidence metadata."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import ProblemFactory, UserFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jiandu.ledger.models import Category, Evidence, Ledger, Problem, ProblemStatus

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def county(registry):
    return UserFactory(
        username="api-ledger",
        body=registry.commission,
        permissions=["ledger.add_problem", "ledger.change_problem"],
    )


@pytest.fixture
def reader(registry):
    return UserFactory(username="api-ledger-reader", body=registry.commission)


@pytest.fixture
def problems(registry):
    return {
        "puding": ProblemFactory(
            facts="天星村低保资金延迟发放", found_by=registry.commission, region=registry.tianxing
        ),
        "health": ProblemFactory(
            facts="县卫健局医保违规",
            found_by=registry.commission,
            region=registry.puding,
            responsible_region=None,
            responsible_department=registry.health,
            found_on=datetime.date(2025, 1, 1),
        ),
        "xixiu": ProblemFactory(
            facts="南街低保冒领", found_by=registry.xixiu_commission, region=registry.nanjie
        ),
    }


def facts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["facts"] for row in response.json()["results"]]


def payload(registry, **changes):
    data = {
        "source": "daily",
        "category": Category.objects.get(name="民生资金发放").pk,
        "region": registry.tianxing.code,
        "responsible_region": registry.maguan.code,
        "responsible_department": None,
        "facts": "马场村危房改造补助被截留",
        "amount": "3000.00",
        "found_on": "2026-03-05",
    }
    data.update(changes)
    return data


def test_list_is_scoped_filtered_and_searched(registry, reader, problems):
    client = client_for(reader)
    assert set(facts(client.get("/api/problems/"))) == {"天星村低保资金延迟发放", "县卫健局医保违规"}
    assert facts(client.get("/api/problems/", {"q": "低保"})) == ["天星村低保资金延迟发放"]
    assert facts(client.get("/api/problems/", {"ledger": Ledger.DEPARTMENT})) == ["县卫健局医保违规"]
    assert facts(client.get("/api/problems/", {"region": registry.maguan.code})) == ["天星村低保资金延迟发放"]
    assert facts(client.get("/api/problems/", {"sort": "found_on"}))[0] == "县卫健局医保违规"
    group = client_for(UserFactory(body=registry.group))
    assert facts(group.get("/api/problems/")) == ["县卫健局医保违规"]


def test_pages_have_next_without_a_count(registry, reader, problems):
    client = client_for(reader)
    first = client.get("/api/problems/", {"page_size": 1}).json()
    assert "count" not in first and first["next"] and first["previous"] is None
    second = client.get("/api/problems/", {"page_size": 1, "page": 2}).json()
    assert second["next"] is None and second["previous"]
    assert client.get("/api/problems/", {"page": 3, "page_size": 1}).status_code == 404
    assert client.get("/api/problems/", {"page": "x"}).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/problems/")
    assert not [q for q in queries if "COUNT(" in q["sql"].upper() and "ledger_problem" in q["sql"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount_min": "abc"}, "amount_min"),
        ({"status": "nonsense"}, "status"),
        ({"region": "999999999999"}, "region"),
        ({"sort": "facts"}, "sort"),
        ({"found_from": "2026-13-01"}, "found_from"),
    ],
)
def test_bad_filters_are_400_naming_them(reader, problems, params, field):
    response = client_for(reader).get("/api/problems/", params)
    assert response.status_code == 400 and field in response.json()["errors"], response.content


def test_detail_out_of_scope_is_404_like_missing(reader, problems):
    client = client_for(reader)
    assert client.get(f"/api/problems/{problems['puding'].pk}/").json()["region"] == "520422101233"
    assert client.get(f"/api/problems/{problems['xixiu'].pk}/").status_code == 404
    assert client.get("/api/problems/987654321/").status_code == 404


def test_create_update_through_the_service(registry, county):
    client = client_for(county)
    response = client.post("/api/problems/", payload(registry), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ledger"] == Ledger.TOWNSHIP and body["found_by"] == registry.commission.pk
    problem = Problem.objects.get(pk=body["id"])
    assert problem.created_by == county
    changed = client.patch(
        f"/api/problems/{problem.pk}/",
        {"responsible_region": None, "responsible_department": registry.health.pk, "status": "rectifying"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    problem.refresh_from_db()
    assert problem.ledger == Ledger.DEPARTMENT and problem.status == ProblemStatus.RECTIFYING
    # What a read shows can be sent back.
    again = client.put(f"/api/problems/{problem.pk}/", {**changed.json(), "source": "daily"}, format="json")
    assert again.status_code == 200, again.content


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"amount": "abc"}, "amount", 400),
        ({"amount": "-1"}, "amount", 400),
        ({"found_on": "2099-01-01"}, "found_on", 400),
        ({"region": "520402001000"}, "region", 400),  # 西秀: out of scope, as if missing
        ({"responsible_region": None}, "responsible_region", 400),
        ({"responsible_region": "520422101233"}, "responsible_region", 400),  # a village, not a township
        ({"source": "nope"}, "source", 400),
        ({"facts": ""}, "facts", 400),
        ({"colour": "red"}, "colour", 400),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(registry, county, changes, field, status):
    response = client_for(county).post("/api/problems/", payload(registry, **changes), format="json")
    assert response.status_code == status, response.content
    assert field in response.json()["errors"], response.content
    assert not Problem.objects.filter(facts="马场村危房改造补助被截留").exists()


def test_out_of_scope_region_error_is_that_of_a_missing_one(registry, county):
    client = client_for(county)
    outside = client.post("/api/problems/", payload(registry, region="520402001000"), format="json").json()
    missing = client.post("/api/problems/", payload(registry, region="520499999999"), format="json").json()
    assert outside["errors"]["region"] == [
        m.replace("520499999999", "520402001000") for m in missing["errors"]["region"]
    ]


def test_writes_need_the_permission(registry, reader, problems):
    client = client_for(reader)
    assert client.post("/api/problems/", payload(registry), format="json").status_code == 403
    assert (
        client.patch(f"/api/problems/{problems['puding'].pk}/", {"facts": "x"}, format="json").status_code
        == 403
    )


def test_catalogues_and_evidence(registry, reader, problems):
    client = client_for(reader)
    sources = client.get("/api/problem-sources/").json()["results"]
    assert "日常监督" in {row["name"] for row in sources}
    categories = client.get("/api/problem-categories/", {"q": "民生"}).json()["results"]
    assert [row["name"] for row in categories] == ["民生资金发放"]
    Evidence.objects.create(
        problem=problems["puding"], name="照片.jpg", size=3, sha256="a" * 64, file="evidence/x.jpg"
    )
    Evidence.objects.create(
        problem=problems["xixiu"], name="外县.jpg", size=3, sha256="b" * 64, file="evidence/y.jpg"
    )
    rows = client.get("/api/evidence/").json()["results"]
    assert [row["name"] for row in rows] == ["照片.jpg"] and rows[0]["download"].startswith(
        "/ledger/evidence/"
    )
    assert client.get("/api/evidence/", {"problem": problems["xixiu"].pk}).json()["results"] == []
