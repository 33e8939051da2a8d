"""Files and users for the geography tests, on the shared test registry (tests/scenario.py): 普定县 with
马官镇 (villages 天星村 and 马场村) and 白岩镇 (carved out for 黄果树旅游区), 西秀区 with 南街街道 and 南华社区."""

from __future__ import annotations

import json

from factories import UserFactory
from scenario import Registry
from shapely.geometry import box

from jiandu.access.models import User
from jiandu.geo.models import Adjacency, RegionShape
from jiandu.lib.geography import make_shape
from jiandu.org.models import Region

EDITOR_PERMISSIONS = [
    "geo.add_regionshape",
    "geo.change_regionshape",
    "geo.add_adjacency",
    "geo.change_adjacency",
    "geo.delete_adjacency",
]
# Two villages side by side (sharing an edge about 1.1 km long) and one far away.
WEST = box(105.70, 26.30, 105.71, 26.31)
EAST = box(105.71, 26.30, 105.72, 26.31)
FAR = box(106.00, 26.30, 106.01, 26.31)


def geojson(*pairs: tuple[str, object], key: str = "code") -> bytes:
    features = [
        {"type": "Feature", "properties": {key: code}, "geometry": geom.__geo_interface__}
        for code, geom in pairs
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def county_editor(registry: Registry, username: str = "geo-editor") -> User:
    return UserFactory(username=username, body=registry.commission, permissions=EDITOR_PERMISSIONS)


def give_shapes(*items: tuple[Region, object], generated: bool = True) -> None:
    for region, geom in items:
        found = make_shape(region.code, geom)
        RegionShape.objects.create(
            region=region,
            geometry=found.geometry,
            centroid_lon=found.centroid[0],
            centroid_lat=found.centroid[1],
            generated=generated,
        )


def adjacent(a: Region, b: Region) -> Adjacency:
    first, second = sorted((a, b), key=lambda r: r.pk)
    return Adjacency.objects.create(region_a=first, region_b=second, basis="polygon", shared_border_km=1.0)
