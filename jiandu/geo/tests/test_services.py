"""Uploads through the services: polygons, points and pair lists are written all or nothing, inside the
uploader's scope, with one audit entry; every bad input is refused naming where it is."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from factories import UserFactory

from jiandu.core.models import AuditEntry
from jiandu.geo.models import Adjacency, Basis, RegionShape
from jiandu.geo.services import geo_upload_apply, geo_upload_check
from jiandu.geo.tests.helpers import EAST, FAR, WEST, county_editor, geojson

pytestmark = pytest.mark.django_db


def pairs() -> set[tuple[str, str]]:
    return {tuple(sorted((a.region_a.code, a.region_b.code))) for a in Adjacency.objects.all()}


def test_polygons_write_shapes_adjacency_and_one_audit_entry(registry):
    r = registry
    user = county_editor(r)
    data = geojson((r.tianxing.code, WEST), (r.machang.code, EAST))
    plan = geo_upload_check(acting_user=user, kind="polygon", data=data, file_name="villages.geojson")
    assert Adjacency.objects.count() == 0 and RegionShape.objects.count() == 0  # a check writes nothing
    assert [(a.code, b.code) for a, b, _e in plan.edges] == [(r.machang.code, r.tianxing.code)]
    before = AuditEntry.objects.count()
    result = geo_upload_apply(acting_user=user, kind="polygon", data=data, file_name="villages.geojson")
    assert (result.shapes_written, result.adjacencies_written) == (2, 1)
    pair = Adjacency.objects.get()
    assert pair.region_a_id < pair.region_b_id and pair.basis == Basis.POLYGON
    assert 1.0 < pair.shared_border_km < 1.2 and pair.source == "villages.geojson"
    shape = RegionShape.objects.get(region=r.tianxing)
    assert not shape.generated and shape.geometry["type"] == "Polygon"
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [(e.action, e.model) for e in entries] == [("import", "geo.adjacency")]
    assert entries[0].detail["file"] == "villages.geojson" and entries[0].detail["adjacencies_written"] == 1
    assert len(entries[0].detail["sha256"]) == 64


def test_an_upload_replaces_the_adjacency_among_the_regions_it_names(registry):
    r = registry
    user = county_editor(r)
    geo_upload_apply(
        acting_user=user, kind="polygon", data=geojson((r.tianxing.code, WEST), (r.machang.code, EAST))
    )
    moved = geojson((r.tianxing.code, WEST), (r.machang.code, FAR))
    result = geo_upload_apply(acting_user=user, kind="polygon", data=moved)
    assert (result.adjacencies_written, result.adjacencies_removed) == (0, 1)
    assert Adjacency.objects.count() == 0 and RegionShape.objects.count() == 2


def test_points_and_pair_lists(registry):
    r = registry
    user = county_editor(r)
    points = f"区划代码,经度,纬度\n{r.tianxing.code},105.70,26.30\n{r.machang.code},105.72,26.31\n".encode()
    geo_upload_apply(acting_user=user, kind="points", data=points, file_name="points.csv")
    assert pairs() == {(r.machang.code, r.tianxing.code)}
    assert Adjacency.objects.get().basis == Basis.POINTS and RegionShape.objects.count() == 0
    # Names work in a pair list, as do codes; 马官镇 and 白岩镇 are both township-level.
    listed = "乡镇A,乡镇B\n马官镇,白岩镇\n".encode()
    plan = geo_upload_check(
        acting_user=UserFactory(username="city", body=None, is_superuser=True), kind="pair_list", data=listed
    )
    assert [(a.code, b.code) for a, b, _e in plan.edges] == [(r.maguan.code, r.carved.code)]


def test_a_code_outside_the_scope_is_refused_like_an_unknown_one_and_nothing_is_saved(registry):
    r = registry
    user = county_editor(r)
    outside = geojson((r.tianxing.code, WEST), (r.xixiu_village.code, EAST))
    unknown = geojson((r.tianxing.code, WEST), ("520422101299", EAST))
    messages = []
    for data in (outside, unknown):
        with pytest.raises(ValidationError) as info:
            geo_upload_apply(acting_user=user, kind="polygon", data=data, file_name="f.geojson")
        messages.append(info.value.messages)
    assert Adjacency.objects.count() == 0 and RegionShape.objects.count() == 0
    # Same words for a region out of scope and one that does not exist: an upload cannot probe.
    assert messages[0][0].replace(r.xixiu_village.code, "X") == messages[1][0].replace("520422101299", "X")
    assert "f.geojson" in messages[0][0] and r.xixiu_village.code in messages[0][0]
    # The carved township belongs to the zone, not to 普定县's commission.
    with pytest.raises(ValidationError):
        geo_upload_apply(
            acting_user=user, kind="pair_list", data=f"{r.maguan.code},{r.carved.code}\n".encode()
        )
    assert Adjacency.objects.count() == 0


def test_without_the_role_nothing_is_written(registry):
    user = UserFactory(username="reader", body=registry.commission)
    data = geojson((registry.tianxing.code, WEST), (registry.machang.code, EAST))
    with pytest.raises(PermissionDenied):
        geo_upload_apply(acting_user=user, kind="polygon", data=data)
    assert Adjacency.objects.count() == 0 and RegionShape.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("polygon", b"{not json", "line 1"),
        ("polygon", b'{"type": "FeatureCollection", "features": []}', "no features"),
        ("points", b"code,lon,lat\n520422101233,abc,26.3\n", "row 2, column B"),
        ("pair_list", b"520422101233,520422101233\n", "row 1, column B"),
        ("pair_list", "天星村,马官镇\n".encode(), "row 1, column B"),  # a village beside a township
        ("pair_list", "天星村,马场\n天星村,天星村\n".encode(), "row 2, column B"),
        ("pair_list", "天星村,无此村\n".encode(), "“无此村”"),
    ],
)
def test_every_bad_upload_is_named_and_nothing_saved(registry, settings, kind, data, expected):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    user = county_editor(registry)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        geo_upload_apply(acting_user=user, kind=kind, data=data, file_name="bad.file")
    message = " ".join(info.value.messages)
    assert message.startswith("bad.file") and expected in message, message
    assert Adjacency.objects.count() == 0 and RegionShape.objects.count() == 0
