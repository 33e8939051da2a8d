"""The filing API: filings in scope only, out of scope as missing, submit through the service with the
page's rules and messages, and the filed problems a reader may see."""

from __future__ import annotations

import datetime

import pytest
from factories import BodyFactory, ProblemFactory, UserFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jiandu.filing.models import Filing
from jiandu.filing.services import filing_submit
from jiandu.org.models import BodyKind

from .conftest import NOW, editor

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def filings(registry, township_user):
    nanjie = BodyFactory(name="南街街道纪工委", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.nanjie)
    problem = ProblemFactory(
        found_by=registry.maguan_office, region=registry.tianxing, found_on=datetime.date(2026, 9, 9)
    )
    maguan = filing_submit(acting_user=township_user, period="2026-09", now=NOW).filing
    other = filing_submit(
        acting_user=editor(nanjie, "api-nanjie"), period="2026-09", nothing_to_report=True, now=NOW
    ).filing
    return {"maguan": maguan, "nanjie": other, "problem": problem, "nanjie_body": nanjie}


def periods_and_bodies(response) -> set[tuple[str, str]]:
    assert response.status_code == 200, response.content
    return {(row["period"], row["body_name"]) for row in response.json()["results"]}


def test_lists_hold_only_filings_in_scope(registry, filings, county_user, township_user):
    assert periods_and_bodies(client_for(county_user).get("/api/filings/")) == {("2026-09", "马官镇纪委")}
    assert periods_and_bodies(client_for(township_user).get("/api/filings/")) == {("2026-09", "马官镇纪委")}
    city = editor(BodyFactory(name="安顺市纪委监委", region=registry.city), "api-city")
    assert periods_and_bodies(client_for(city).get("/api/filings/?is_late=true")) == {
        ("2026-09", "马官镇纪委"),
        ("2026-09", "南街街道纪工委"),
    }
    assert periods_and_bodies(client_for(city).get(f"/api/filings/?region={registry.xixiu.code}")) == {
        ("2026-09", "南街街道纪工委")
    }


def test_detail_out_of_scope_reads_as_missing(filings, county_user):
    client = client_for(county_user)
    row = client.get(f"/api/filings/{filings['maguan'].pk}/").json()
    assert row["problem_ids"] == [filings["problem"].pk] and row["problem_count"] == 1
    assert row["region"] == "520422101000" and row["filed_by"] == "maguan-filer"
    out = client.get(f"/api/filings/{filings['nanjie'].pk}/")
    missing = client.get("/api/filings/987654321/")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json()


def test_submit_creates_then_is_idempotent_then_records_a_correction(registry, township_user):
    client = client_for(township_user)
    first = client.post(
        "/api/filings/submit/", {"period": "2026-10", "nothing_to_report": True}, format="json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["outcome"] == "created" and first.json()["nothing_to_report"] is True
    again = client.post(
        "/api/filings/submit/", {"period": "2026-10", "nothing_to_report": True}, format="json"
    )
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    ProblemFactory(
        found_by=registry.maguan_office, region=registry.tianxing, found_on=datetime.date(2026, 10, 2)
    )
    corrected = client.post("/api/filings/submit/", {"period": "2026-10"}, format="json")
    assert corrected.status_code == 200 and corrected.json()["outcome"] == "revised"
    assert corrected.json()["revision"] == 2 and corrected.json()["problem_count"] == 1
    assert Filing.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"period": "2026-13", "nothing_to_report": True}, "period"),
        ({"period": "2099-01", "nothing_to_report": True}, "period"),
        ({"period": "2026-Q3", "nothing_to_report": True}, "period"),
        ({"period": "2026-10"}, "nothing_to_report"),
        ({"period": "2026-10", "nothing_to_report": "maybe"}, "nothing_to_report"),
        ({"nothing_to_report": True}, "period"),
        ({"period": "2026-10", "nothing_to_report": True, "filed_on": "2026-11-01"}, "filed_on"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(township_user, payload, field):
    response = client_for(township_user).post("/api/filings/submit/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Filing.objects.exists()


def test_filing_for_a_body_out_of_scope_reads_as_a_missing_body(registry, county_user):
    nanjie = BodyFactory(name="南街街道纪工委", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.nanjie)
    client = client_for(county_user)
    out = client.post(
        "/api/filings/submit/",
        {"period": "2026-10", "body": nanjie.pk, "nothing_to_report": True},
        format="json",
    )
    missing = client.post(
        "/api/filings/submit/",
        {"period": "2026-10", "body": 987654, "nothing_to_report": True},
        format="json",
    )
    assert out.status_code == missing.status_code == 400
    assert out.json()["errors"]["body"] != [] and "987654" in missing.json()["errors"]["body"][0]
    assert not Filing.objects.exists()
    ok = client.post(
        "/api/filings/submit/",
        {"period": "2026-10", "body": registry.maguan_office.pk, "nothing_to_report": True},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["body"] == registry.maguan_office.pk


def test_submit_needs_the_permission(registry):
    user = UserFactory(username="api-plain", body=registry.maguan_office)
    response = client_for(user).post(
        "/api/filings/submit/", {"period": "2026-10", "nothing_to_report": True}, format="json"
    )
    assert response.status_code == 403
    assert not Filing.objects.exists()


def test_rules_are_listed(county_user):
    rows = client_for(county_user).get("/api/filing-rules/").json()["results"]
    assert {row["body_kind"]: row["frequency"] for row in rows} == {
        "township_office": "monthly",
        "dispatched_group": "quarterly",
        "inspection_office": "quarterly",
    }
