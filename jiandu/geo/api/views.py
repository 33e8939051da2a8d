"""Read endpoints of the geography, scoped by `ScopedViewSet`: a shape is visible with its region, an
adjacency when both of its regions are. Writes go through the upload page (jiandu/geo/services.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.geo.api import serializers as s
from jiandu.geo.filtersets import AdjacencyFilterSet, RegionShapeFilterSet
from jiandu.geo.models import Adjacency, RegionShape


class RegionShapeViewSet(ScopedReadOnlyViewSet):
    """Shapes of the regions in your scope (GeoJSON geometry, centroid, whether generated for the demo).
    Filters: `region`, `parent` (codes), `level`, `generated`."""

    queryset = RegionShape.objects.all()
    serializer_class = s.RegionShapeSerializer
    filterset_class = RegionShapeFilterSet
    search_fields = ("region__name", "region__code")
    ordering_fields = ("region__code",)

    def base_queryset(self) -> QuerySet:
        return RegionShape.objects.select_related("region").order_by("region__code")


class AdjacencyViewSet(ScopedReadOnlyViewSet):
    """Adjacent pairs of regions, both in your scope. Filters: `region` (a code, on either side), `level`,
    `basis` (polygon, points, pair_list)."""

    queryset = Adjacency.objects.all()
    serializer_class = s.AdjacencySerializer
    filterset_class = AdjacencyFilterSet
    search_fields = ("region_a__name", "region_b__name")
    ordering_fields = ("region_a__code", "shared_border_km")

    def base_queryset(self) -> QuerySet:
        return Adjacency.objects.select_related("region_a", "region_b").order_by(
            "region_a__code", "region_b__code"
        )
