"""What the rectification API shows (output) and accepts (input of each act)."""

from __future__ import annotations

from rest_framework import serializers

from jiandu.core.api.serializers import StrictSerializer
from jiandu.rectification.models import ProgressEvidence, ProgressReport, Rectification, Verification


class ProgressEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEvidence
        fields = ["id", "name", "size", "sha256"]


class ProgressReportSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    evidence = ProgressEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "rectification",
            "reported_on",
            "text",
            "claims_done",
            "body",
            "body_name",
            "evidence",
        ]


class VerificationSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)

    class Meta:
        model = Verification
        fields = ["id", "passed", "reasons", "verified_on", "body", "body_name"]


class RectificationSerializer(serializers.ModelSerializer):
    ledger = serializers.CharField(source="problem.ledger", read_only=True)
    problem_facts = serializers.CharField(source="problem.facts", read_only=True)
    responsible_region = serializers.SlugRelatedField(
        source="problem.responsible_region", slug_field="code", read_only=True, allow_null=True
    )
    responsible_department = serializers.PrimaryKeyRelatedField(
        source="problem.responsible_department", read_only=True, allow_null=True
    )
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True)
    verifications = VerificationSerializer(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id", "problem", "problem_facts", "ledger", "responsible_region", "responsible_department",
            "supervisor", "supervisor_name", "unit_body", "measures", "opened_on", "deadline", "deadline_rule",
            "status", "claimed_done_on", "verified_on", "closed_on", "verifications",
        ]  # fmt: skip


class OpenInputSerializer(StrictSerializer):
    problem = serializers.IntegerField()
    measures = serializers.CharField()
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    workdays_allowed = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=365
    )
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)


class UpdateInputSerializer(StrictSerializer):
    measures = serializers.CharField(required=False)
    deadline = serializers.DateField(required=False)


class ReportInputSerializer(StrictSerializer):
    text = serializers.CharField()
    claims_done = serializers.BooleanField(default=False)
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)


class VerifyInputSerializer(StrictSerializer):
    passed = serializers.BooleanField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    verified_on = serializers.DateField(required=False, allow_null=True, default=None)


class CloseInputSerializer(StrictSerializer):
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)
