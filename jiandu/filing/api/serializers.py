"""What the filing API shows and accepts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiandu.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictSerializer
from jiandu.core.querysets import CHANGE
from jiandu.filing.models import Filing, FilingRule
from jiandu.org.models import Body


class FilingSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    region = serializers.CharField(source="body.region.code", read_only=True)
    filed_by = serializers.CharField(
        source="filed_by.username", read_only=True, allow_null=True, default=None
    )
    problem_ids = serializers.SerializerMethodField(
        help_text=_("The filed problems you may see (problem_count counts them all).")
    )

    class Meta:
        model = Filing
        fields = [
            "id", "body", "body_name", "region", "period", "period_start", "period_end", "due_on",
            "filed_at", "filed_by", "is_late", "problem_count", "problem_ids", "nothing_to_report",
            "revision", "revised_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_problem_ids(self, filing: Filing) -> list[int]:
        visible = self.context.get("visible_problem_ids", frozenset())
        return [pk for pk in filing.problem_ids if pk in visible]


class FilingSubmitResultSerializer(FilingSerializer):
    outcome = serializers.ChoiceField(
        choices=["created", "revised", "unchanged"],
        read_only=True,
        help_text=_("created; revised (a correction: a new revision); unchanged (the same filing again)."),
    )

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "outcome"]


class FilingSubmitSerializer(StrictSerializer):
    period = serializers.CharField(max_length=20, help_text=_("2026-10 (a month) or 2026-Q3 (a quarter)."))
    body = ScopedPrimaryKeyRelatedField(
        queryset=Body.objects.all(),
        action=CHANGE,
        required=False,
        allow_null=True,
        help_text=_("The body filing (default: the body you act for); it must be in your scope."),
    )
    nothing_to_report = serializers.BooleanField(
        default=False, help_text=_("Required when the body found no problem in the period (零报告).")
    )

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - the viewset calls the service
        raise NotImplementedError


class FilingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = FilingRule
        fields = ["id", "body_kind", "frequency", "due_days", "day_count", "reminder_lead_days", "is_active"]
