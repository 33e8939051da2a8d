"""What the geography API shows. Regions are named by their 12-digit code."""

from __future__ import annotations

from rest_framework import serializers

from jiandu.geo.models import Adjacency, RegionShape


class RegionShapeSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    level = serializers.CharField(source="region.level", read_only=True)
    geometry = serializers.JSONField(read_only=True, help_text="GeoJSON Polygon or MultiPolygon (lon, lat)")

    class Meta:
        model = RegionShape
        fields = [
            "id", "region", "region_name", "level", "geometry", "centroid_lon", "centroid_lat",
            "generated", "source", "updated_at",
        ]  # fmt: skip


class AdjacencySerializer(serializers.ModelSerializer):
    region_a = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_a_name = serializers.CharField(source="region_a.name", read_only=True)
    region_b = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_b_name = serializers.CharField(source="region_b.name", read_only=True)

    class Meta:
        model = Adjacency
        fields = [
            "id", "region_a", "region_a_name", "region_b", "region_b_name", "basis", "shared_border_km",
            "source", "updated_at",
        ]  # fmt: skip
