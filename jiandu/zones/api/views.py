"""Read endpoints of zone plans and zones, scoped by `ScopedViewSet` (a plan is visible with its region, a
zone with its plan). Writes go through the pages and jiandu/zones/services.py."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.zones.api import serializers as s
from jiandu.zones.filtersets import ZoneFilterSet, ZonePlanFilterSet
from jiandu.zones.models import Zone, ZoneMember, ZonePlan


class ZonePlanViewSet(ScopedReadOnlyViewSet):
    """Zone plans of the regions in your scope. Filters: `kind`, `status`, `region` (a code)."""

    queryset = ZonePlan.objects.all()
    serializer_class = s.ZonePlanSerializer
    filterset_class = ZonePlanFilterSet
    search_fields = ("name", "region__name", "region__code")
    ordering_fields = ("region__code", "version", "updated_at")

    def base_queryset(self) -> QuerySet:
        return ZonePlan.objects.select_related("region").order_by("region__code", "kind", "-version")


class ZoneViewSet(ScopedReadOnlyViewSet):
    """Zones of the plans in your scope, with their units' codes. Filter: `plan` (an id)."""

    queryset = Zone.objects.all()
    serializer_class = s.ZoneSerializer
    filterset_class = ZoneFilterSet
    search_fields = ("name",)
    ordering_fields = ("plan", "number")

    def base_queryset(self) -> QuerySet:
        members = ZoneMember.objects.select_related("region").order_by("region__code")
        return (
            Zone.objects.select_related("chief_reviewer")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("plan", "number")
        )
