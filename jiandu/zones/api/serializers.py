"""What the zone API shows. Regions are named by their 12-digit code; staff are counted from the registry."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiandu.zones.models import Zone, ZonePlan


class ZonePlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    figures = serializers.JSONField(
        read_only=True, help_text="the planner's objective, unplaced units with reasons, the nearest plan"
    )

    class Meta:
        model = ZonePlan
        fields = [
            "id", "name", "kind", "region", "region_name", "unit_level", "version", "status", "min_size",
            "max_size", "min_staff", "target_zones", "seed", "together", "apart", "figures", "approved_at",
            "created_at", "updated_at",
        ]  # fmt: skip


class ZoneSerializer(serializers.ModelSerializer):
    units = serializers.SerializerMethodField(help_text="codes of the zone's units")
    group = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="the zone group (body) once approved"
    )
    chief_reviewer = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="the chief reviewer (person) of a case-review zone"
    )
    chief_reviewer_name = serializers.CharField(
        source="chief_reviewer.name", read_only=True, default=None, help_text="the chief reviewer's name"
    )

    class Meta:
        model = Zone
        fields = [
            "id",
            "plan",
            "number",
            "name",
            "locked",
            "chief_reviewer",
            "chief_reviewer_name",
            "group",
            "units",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_units(self, zone: Any) -> list[str]:
        return [m.region.code for m in zone.members.all()]
