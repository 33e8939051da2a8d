"""What the cross-supervision API shows: rounds with their pairs (units by 12-digit code) and teams."""

from __future__ import annotations

from rest_framework import serializers

from jiandu.crossing.models import CrossPair, CrossRound


class CrossPairSerializer(serializers.ModelSerializer):
    supervisor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supervised = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team = serializers.SlugRelatedField(many=True, read_only=True, slug_field="person_id")

    class Meta:
        model = CrossPair
        fields = ["supervisor", "supervised", "team"]


class CrossRoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    pairs = CrossPairSerializer(many=True, read_only=True)
    figures = serializers.JSONField(
        read_only=True, help_text="the solver's explanation, the rule groups given up, the teams left short"
    )

    class Meta:
        model = CrossRound
        fields = [
            "id", "name", "level", "region", "region_name", "zone", "status", "avoid_reciprocal",
            "avoid_adjacent", "no_repeat_rounds", "team_size", "seed", "figures", "pairs", "approved_at",
            "created_at", "updated_at",
        ]  # fmt: skip
