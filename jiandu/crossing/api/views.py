"""Read endpoint of cross-supervision rounds, scoped by `ScopedReadOnlyViewSet` (a round is visible with its
region). Writes go through the pages, the CLI and jiandu/crossing/services.py."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.crossing.api.serializers import CrossRoundSerializer
from jiandu.crossing.filtersets import CrossRoundFilterSet
from jiandu.crossing.models import CrossPair, CrossRound


class CrossRoundViewSet(ScopedReadOnlyViewSet):
    """Cross-supervision rounds of the regions in your scope, with pairs and team members (person ids).
    Filters: `level`, `status`, `region` (a code)."""

    queryset = CrossRound.objects.all()
    serializer_class = CrossRoundSerializer
    filterset_class = CrossRoundFilterSet
    search_fields = ("name", "region__name", "region__code")
    ordering_fields = ("created_at", "region__code")

    def base_queryset(self) -> QuerySet:
        pairs = CrossPair.objects.select_related("supervisor", "supervised").prefetch_related("team")
        return (
            CrossRound.objects.select_related("region")
            .prefetch_related(Prefetch("pairs", queryset=pairs.order_by("supervised__code")))
            .order_by("-created_at", "-pk")
        )
