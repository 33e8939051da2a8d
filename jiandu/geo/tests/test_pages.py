"""The map pages, their GeoJSON, the upload pages and the API: scoped like the registry."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import BodyFactory, UserFactory

from jiandu.geo.models import Adjacency, RegionShape
from jiandu.geo.tests.helpers import EAST, FAR, WEST, adjacent, county_editor, geojson, give_shapes

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def mapped(registry):
    r = registry
    give_shapes((r.maguan, WEST), (r.carved, EAST), (r.nanjie, FAR), (r.tianxing, WEST), (r.machang, EAST))
    adjacent(r.tianxing, r.machang)
    adjacent(r.maguan, r.carved)  # across the zone's edge: a 普定 user sees only 马官镇 of the two
    return r


def test_a_county_map_shows_its_townships_and_the_generated_note(mapped):
    r = mapped
    client = signed_in(UserFactory(username="county", body=r.commission))
    page = client.get(f"/geo/{r.puding.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "马官镇" in html and "白岩镇" not in html  # carved out for the zone
    assert "乡镇、村边界为演示生成，非官方边界" in html or "generated for the demo" in html
    assert "/static/vendor/echarts/echarts.min.js" in html and "//cdn" not in html
    data = client.get(f"/geo/{r.puding.code}/shapes.json").json()
    assert [f["properties"]["code"] for f in data["features"]] == [r.maguan.code]
    assert data["features"][0]["properties"]["generated"] is True
    township = client.get(f"/geo/{r.maguan.code}/").content.decode()
    assert "天星村" in township and "马场村" in township and 'id="adjacency-table"' in township


def test_official_shapes_carry_no_note(mapped):
    RegionShape.objects.update(generated=False)
    client = signed_in(UserFactory(username="county", body=mapped.commission))
    html = client.get(f"/geo/{mapped.maguan.code}/").content.decode()
    assert 'id="generated-note"' not in html


def test_out_of_scope_regions_answer_404(mapped):
    r = mapped
    client = signed_in(UserFactory(username="county", body=r.commission))
    missing = client.get("/geo/520499999999/")
    assert missing.status_code == 404
    assert client.get(f"/geo/{r.xixiu.code}/").status_code == 404
    assert client.get(f"/geo/{r.xixiu.code}/shapes.json").status_code == 404
    assert client.get(f"/geo/{r.zone.code}/").status_code == 404
    assert client.get("/geo/").url == f"/geo/{r.puding.code}/"


def test_the_city_sees_the_adjacency_across_the_zone(mapped):
    city = BodyFactory(name="安顺市纪委监委", region=mapped.city)
    client = signed_in(UserFactory(username="city", body=city))
    html = client.get(f"/geo/{mapped.zone.code}/").content.decode()
    assert "白岩镇" in html
    listed = client.get("/api/adjacencies/?page_size=500").json()["results"]
    assert {frozenset((p["region_a_name"], p["region_b_name"])) for p in listed} == {
        frozenset(("马官镇", "白岩镇")),
        frozenset(("天星村", "马场村")),
    }


def test_api_lists_only_what_the_scope_allows(mapped):
    r = mapped
    client = signed_in(UserFactory(username="county", body=r.commission))
    shapes = client.get("/api/region-shapes/?page_size=500").json()["results"]
    assert {s["region"] for s in shapes} == {r.maguan.code, r.tianxing.code, r.machang.code}
    pairs = client.get("/api/adjacencies/?page_size=500").json()["results"]
    assert [(p["region_a_name"], p["region_b_name"]) for p in pairs] in (
        [("天星村", "马场村")],
        [("马场村", "天星村")],
    )
    hidden = RegionShape.objects.get(region=r.nanjie)
    assert client.get(f"/api/region-shapes/{hidden.pk}/").status_code == 404
    across = Adjacency.objects.get(region_a__in=[r.maguan, r.carved], region_b__in=[r.maguan, r.carved])
    assert client.get(f"/api/adjacencies/{across.pk}/").status_code == 404
    assert client.get(f"/api/adjacencies/?region={r.tianxing.code}").json()["count"] == 1
    assert client.get(f"/api/region-shapes/?parent={r.maguan.code}").json()["count"] == 2


def test_upload_pages_check_then_save(registry, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    r = registry
    client = signed_in(county_editor(r))
    data = geojson((r.tianxing.code, WEST), (r.machang.code, EAST))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("villages.geojson", data, content_type="application/geo+json")
    response = client.post("/geo/upload/", {"kind": "polygon", "file": upload})
    assert response.status_code == 302
    preview = client.get(response.url)
    html = preview.content.decode()
    assert 'id="plan-table"' in html and "天星村" in html and "马场村" in html
    assert Adjacency.objects.count() == 0  # nothing before the confirmation
    other = signed_in(county_editor(r, "other-editor"))
    assert other.get(response.url).status_code == 404  # another user's token
    done = client.post(response.url, {"confirm": "1"})
    assert done.status_code == 200 and 'id="upload-result"' in done.content.decode()
    assert Adjacency.objects.count() == 1 and RegionShape.objects.count() == 2


def test_a_bad_upload_shows_its_errors_and_saves_nothing(registry, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    r = registry
    client = signed_in(county_editor(r))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = f"{r.tianxing.code},{r.xixiu_village.code}\n".encode()
    response = client.post(
        "/geo/upload/", {"kind": "pair_list", "file": SimpleUploadedFile("pairs.csv", data)}
    )
    preview = client.get(response.url).content.decode()
    assert 'id="upload-errors"' in preview and "pairs.csv" in preview and r.xixiu_village.code in preview
    assert "南华社区" not in preview and 'id="confirm-form"' not in preview
    client.post(response.url, {"confirm": "1"})
    assert Adjacency.objects.count() == 0


def test_upload_needs_the_role(registry):
    client = signed_in(UserFactory(username="reader", body=registry.commission))
    assert client.get("/geo/upload/").status_code == 403
