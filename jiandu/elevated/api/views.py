"""Read endpoints of selection runs and of the current elevated villages, scoped by `ScopedViewSet` (a run
is visible with its region, an outcome with its run). Writes go through the pages and the services."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.elevated.api import serializers as s
from jiandu.elevated.filtersets import SelectionRunFilterSet
from jiandu.elevated.models import OutcomeLevel, RunStatus, SelectionOutcome, SelectionRun


class SelectionRunViewSet(ScopedReadOnlyViewSet):
    """Selection runs of the regions in your scope. Filters: `status`, `region` (a code), `year`."""

    queryset = SelectionRun.objects.all()
    serializer_class = s.SelectionRunSerializer
    filterset_class = SelectionRunFilterSet
    search_fields = ("name", "region__name", "region__code")
    ordering_fields = ("created_at", "year")

    def base_queryset(self) -> QuerySet:
        return SelectionRun.objects.select_related("region").order_by("-created_at", "-pk")


class ElevatedVillageFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=[(OutcomeLevel.CITY, "city"), (OutcomeLevel.COUNTY, "county")]
    )
    region = django_filters.CharFilter(field_name="village__code", lookup_expr="startswith")

    class Meta:
        model = SelectionOutcome
        fields = ["level", "region"]


class ElevatedVillageViewSet(ScopedReadOnlyViewSet):
    """The villages under elevated supervision now (selected by an approved run), with their reasons.
    Filters: `level` (city, county), `region` (a code prefix)."""

    queryset = SelectionOutcome.objects.all()
    serializer_class = s.ElevatedVillageSerializer
    filterset_class = ElevatedVillageFilterSet
    ordering_fields = ("village__code",)

    def base_queryset(self) -> QuerySet:
        return (
            SelectionOutcome.objects.filter(run__status=RunStatus.APPROVED)
            .exclude(level=OutcomeLevel.NONE)
            .select_related("village")
            .order_by("level", "village__code")
        )
