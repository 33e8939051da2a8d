"""The filing pages: the status of a period per body, the city's overview per county, drill-down,
filters and export; scopes (a township sees itself, a county its county); submitting through the page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from factories import BodyFactory, ProblemFactory
from openpyxl import load_workbook

from jiandu.filing.models import Filing
from jiandu.filing.services import filing_submit
from jiandu.org.models import BodyKind, Region, RegionKind

from .conftest import NOW, editor

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def city(registry):
    """A city commission, townships in two counties and in the functional zone, and their filings of
    2026-10: 马官 on time, 白岩 (zone) late, 南街 (西秀) and 龙场 (普定) missing, an inactive one ignored."""
    r = registry
    city_commission = BodyFactory(name="安顺市纪委监委", region=r.city)
    longchang = Region.objects.create(
        code="520422103000", name="龙场乡", kind=RegionKind.TOWNSHIP, level="township", parent=r.puding
    )
    bodies = {
        "maguan": r.maguan_office,
        "longchang": BodyFactory(name="龙场乡纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=longchang),
        "baiyan": BodyFactory(name="白岩镇纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=r.carved),
        "nanjie": BodyFactory(name="南街街道纪工委", kind=BodyKind.TOWNSHIP_OFFICE, region=r.nanjie),
    }
    BodyFactory(name="已撤销乡纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=r.maguan, is_active=False)
    ProblemFactory(found_by=r.maguan_office, region=r.tianxing, found_on=datetime.date(2026, 10, 9))
    filing_submit(
        acting_user=editor(r.maguan_office, "f-maguan"),
        period="2026-10",
        now=NOW - datetime.timedelta(days=6),
    )
    filing_submit(
        acting_user=editor(bodies["baiyan"], "f-baiyan"), period="2026-10", nothing_to_report=True, now=NOW
    )
    return {"user": editor(city_commission, "f-city"), **bodies}


def rows(response) -> dict[str, str]:
    """Body name → status, as the page's table shows them."""
    return {body.name: body.status for body in response.context["object_list"]}


def test_city_sees_every_body_that_must_file_and_its_status(city, registry, settings):
    response = client_for(city["user"]).get("/filing/", {"period": "2026-10", "region": registry.city.code})
    assert response.status_code == 200
    assert rows(response) == {
        "马官镇纪委": "filed",
        "龙场乡纪委": "missing",
        "白岩镇纪委": "late",
        "南街街道纪工委": "missing",
    }


def test_city_overview_figures_per_county(city, registry):
    response = client_for(city["user"]).get("/filing/", {"period": "2026-10", "region": registry.city.code})
    overview = response.context["overview"]
    assert (overview.total.expected, overview.total.filed, overview.total.late, overview.total.missing) == (
        4, 2, 1, 2,
    )  # fmt: skip
    figures = {g.label: (g.expected, g.filed, g.late, g.missing) for g in overview.groups}
    assert figures == {"西秀区": (1, 0, 0, 1), "普定县": (2, 1, 0, 1), "黄果树旅游区": (1, 1, 1, 0)}
    assert overview.total.completeness == 50
    body = response.content.decode()
    assert f'data-county="{registry.puding.code}"' in body


def test_drill_down_to_a_county_and_filter_by_status(city, registry):
    client = client_for(city["user"])
    response = client.get("/filing/", {"period": "2026-10", "region": registry.puding.code})
    assert set(rows(response)) == {"马官镇纪委", "龙场乡纪委"}
    assert response.context["overview"].groups == []
    missing = client.get("/filing/", {"period": "2026-10", "region": registry.city.code, "status": "missing"})
    assert set(rows(missing)) == {"龙场乡纪委", "南街街道纪工委"}
    searched = client.get("/filing/", {"period": "2026-10", "region": registry.city.code, "q": "白岩"})
    assert set(rows(searched)) == {"白岩镇纪委"}
    by_status = client.get("/filing/", {"period": "2026-10", "region": registry.city.code, "sort": "-status"})
    assert [b.status for b in by_status.context["object_list"]] == sorted(
        rows(by_status).values(), reverse=True
    )


def test_a_period_before_its_due_date_is_not_yet_due(city, registry):
    # 2026-Q3 is filed by dispatched groups only: 普定's group has not filed and its due date has passed.
    response = client_for(city["user"]).get("/filing/", {"period": "2026-Q3", "region": registry.city.code})
    assert rows(response) == {registry.group.name: "missing"}


def test_a_county_sees_its_county_and_a_township_only_itself(city, registry):
    county = client_for(editor(registry.commission, "f-puding"))
    response = county.get("/filing/", {"period": "2026-10"})
    assert set(rows(response)) == {"马官镇纪委", "龙场乡纪委"}
    # Another county's region reads as one that does not exist.
    assert county.get("/filing/", {"period": "2026-10", "region": registry.xixiu.code}).status_code == 404
    assert county.get("/filing/", {"period": "2026-10", "region": "999999999999"}).status_code == 404

    township = client_for(editor(registry.maguan_office, "f-maguan-2"))
    response = township.get("/filing/", {"period": "2026-10"})
    assert set(rows(response)) == {"马官镇纪委"}
    assert township.get("/filing/", {"period": "2026-10", "region": registry.puding.code}).status_code == 404
    other = Filing.objects.get(body=city["baiyan"])
    assert township.get(f"/filing/{other.pk}/").status_code == 404
    own = Filing.objects.get(body=registry.maguan_office)
    assert township.get(f"/filing/{own.pk}/").status_code == 200


def test_a_malformed_period_on_the_page_says_so(city, registry):
    response = client_for(city["user"]).get("/filing/", {"period": "2026-13"}, follow=True)
    assert response.status_code == 200
    assert "2026-13" in response.content.decode()


def test_export_xlsx_has_the_rows_of_the_page(city, registry):
    response = client_for(city["user"]).get(
        "/filing/", {"period": "2026-10", "region": registry.city.code, "status": "missing", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert "2026-10" in values[0][0]
    names = sorted(row[1] for row in values[2:])
    assert names == ["南街街道纪工委", "龙场乡纪委"]
    assert {row[0] for row in values[2:]} == {"西秀区", "普定县"}


def test_submitting_through_the_page(registry, township_user):
    ProblemFactory(
        found_by=registry.maguan_office, region=registry.tianxing, found_on=datetime.date(2026, 10, 9)
    )
    client = client_for(township_user)
    preview = client.get("/filing/submit/", {"period": "2026-10"})
    assert preview.status_code == 200 and preview.context["count"] == 1
    response = client.post("/filing/submit/", {"period": "2026-10"})
    filing = Filing.objects.get(body=registry.maguan_office, period="2026-10")
    assert response.status_code == 302 and response["Location"] == f"/filing/{filing.pk}/"
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "2026-10" in detail.content.decode()


def test_the_page_asks_for_an_explicit_nil_report(registry, township_user):
    client = client_for(township_user)
    response = client.post("/filing/submit/", {"period": "2026-09"})
    assert response.status_code == 200
    assert "nothing to report" in response.content.decode()
    assert not Filing.objects.exists()
    client.post("/filing/submit/", {"period": "2026-09", "nothing_to_report": "on"})
    assert Filing.objects.get().nothing_to_report


def test_the_page_refuses_a_period_not_offered(registry, township_user):
    response = client_for(township_user).post(
        "/filing/submit/", {"period": "2030-01", "nothing_to_report": "on"}
    )
    assert response.status_code == 200 and not Filing.objects.exists()
    assert response.context["form"].errors["period"]


def test_submitting_needs_the_role(registry):
    from factories import UserFactory

    user = UserFactory(username="plain", body=registry.maguan_office)
    assert client_for(user).get("/filing/submit/").status_code == 403


def test_a_county_files_on_behalf_of_a_township_from_the_status_page(city, registry):
    county_user = editor(registry.commission, "f-puding-behalf")
    client = client_for(county_user)
    status = client.get("/filing/", {"period": "2026-10"})
    longchang = city["longchang"]
    # The county may file for its two townships, never for itself through this link.
    assert status.context["file_for"] == {longchang.pk, registry.maguan_office.pk}
    assert f"/filing/submit/?body={longchang.pk}&amp;period=2026-10" in status.content.decode()

    preview = client.get("/filing/submit/", {"body": longchang.pk, "period": "2026-10"})
    assert preview.status_code == 200
    assert preview.context["body"] == longchang and preview.context["on_behalf"]
    assert "on behalf of 龙场乡纪委" in preview.content.decode()
    response = client.post(
        "/filing/submit/", {"body": longchang.pk, "period": "2026-10", "nothing_to_report": "on"}
    )
    filing = Filing.objects.get(body=longchang, period="2026-10")
    assert response.status_code == 302 and response["Location"] == f"/filing/{filing.pk}/"
    assert filing.filed_by == county_user and filing.nothing_to_report
    # The county's own body files nothing by it.
    assert not Filing.objects.filter(body=registry.commission).exists()


def test_filing_on_behalf_of_a_body_out_of_scope_reads_as_missing(city, registry):
    county = client_for(editor(registry.commission, "f-puding-out"))
    nanjie = city["nanjie"]  # 西秀's township: another county
    for value in (nanjie.pk, 987654, "abc"):
        assert county.get("/filing/submit/", {"body": value}).status_code == 404
        response = county.post(
            "/filing/submit/", {"body": value, "period": "2026-10", "nothing_to_report": "on"}
        )
        assert response.status_code == 404
    township = client_for(editor(registry.maguan_office, "f-maguan-out"))
    assert township.get("/filing/submit/", {"body": city["longchang"].pk}).status_code == 404
    assert township.get("/filing/", {"period": "2026-10"}).context["file_for"] == set()
    assert not Filing.objects.filter(body__in=[nanjie, city["longchang"]]).exists()
