"""What the elevated-supervision API shows. Regions are named by their 12-digit code. Integrity files are
confidential and not in the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiandu.elevated.models import SelectionOutcome, SelectionRun
from jiandu.elevated.services import reason_text


class SelectionRunSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    rules = serializers.JSONField(read_only=True, help_text="thresholds (万元), ledger flag rules and caps")

    class Meta:
        model = SelectionRun
        fields = [
            "id", "name", "region", "region_name", "year", "period_start", "period_end", "rules", "digest",
            "status", "city_count", "county_count", "village_count", "approved_at", "created_at",
        ]  # fmt: skip


class ElevatedVillageSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    reasons = serializers.SerializerMethodField(help_text="every rule: code, level, met, params and text")

    class Meta:
        model = SelectionOutcome
        fields = ["id", "run", "village", "village_name", "level", "candidate", "total", "reasons"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_reasons(self, outcome: Any) -> list[dict[str, Any]]:
        return [{**r, "text": reason_text(r)} for r in outcome.reasons]
