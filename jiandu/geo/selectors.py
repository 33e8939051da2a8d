"""Reads of the geography, always through `visible_to`: the maps, their GeoJSON and their adjacency lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiandu.access.scoping import scope_for
from jiandu.geo.models import Adjacency, RegionShape
from jiandu.org.models import Level, Region, RegionKind


def map_children(user: Any, region: Region) -> QuerySet[Region]:
    """The regions a region's map shows, as they are administered: a city's counties and functional zones,
    a county's townships without those carved out of it, a functional zone's carved townships, a township's
    villages. Only those the user may see."""
    if region.kind == RegionKind.FUNCTIONAL_ZONE:
        children = Region.objects.filter(functional_zone=region, level=Level.TOWNSHIP)
    elif region.kind == RegionKind.COUNTY:
        children = Region.objects.filter(parent=region, functional_zone__isnull=True)
    else:
        children = Region.objects.filter(parent=region)
    return children.visible_to(user).order_by("code")


def shapes_of(user: Any, regions: QuerySet[Region]) -> QuerySet[RegionShape]:
    return RegionShape.objects.visible_to(user).filter(region__in=regions).select_related("region")


def feature_collection(shapes: QuerySet[RegionShape]) -> dict[str, Any]:
    """GeoJSON of the shapes, each feature named as ECharts' registerMap wants (`properties.name`)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": shape.region.code,
                "properties": {
                    "name": shape.region.name,
                    "code": shape.region.code,
                    "generated": shape.generated,
                    "cp": [shape.centroid_lon, shape.centroid_lat],
                },
                "geometry": shape.geometry,
            }
            for shape in shapes
        ],
    }


def adjacency_among(user: Any, regions: QuerySet[Region]) -> QuerySet[Adjacency]:
    """Adjacencies between two of `regions`, both visible to the user."""
    ids = list(regions.values_list("pk", flat=True))
    return (
        Adjacency.objects.visible_to(user)
        .filter(region_a__in=ids, region_b__in=ids)
        .select_related("region_a", "region_b")
        .order_by("region_a__code", "region_b__code")
    )


def home_region(user: Any) -> Region | None:
    """Where the map starts: the user's body's region, else the highest region they may see."""
    scope = scope_for(user)
    if scope.region is not None:
        return scope.region
    visible = Region.objects.visible_to(user)
    for level in (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        found = visible.filter(level=level).order_by("code").first()
        if found is not None:
            return found
    return None
