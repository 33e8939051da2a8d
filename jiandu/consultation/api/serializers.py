"""What the consultation API shows (output) and accepts (input). Problems of a session or of a systemic
problem are listed only when the reader may see them: the viewsets prefetch them through `visible_to`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from jiandu.consultation.models import Decision, FollowUp, PeriodKind, Session, SessionItem, SystemicProblem
from jiandu.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictModelSerializer, StrictSerializer
from jiandu.ledger.models import Category
from jiandu.org.models import Body, Person

# --- output ---------------------------------------------------------------------------------------------


class SessionItemSerializer(serializers.ModelSerializer):
    facts = serializers.CharField(source="problem.facts", read_only=True)

    class Meta:
        model = SessionItem
        fields = ["problem", "facts", "decision", "note", "systemic", "decided_at"]


class SessionSerializer(serializers.ModelSerializer):
    convener_name = serializers.CharField(source="convener.name", read_only=True)
    participants = serializers.SerializerMethodField(
        help_text=_("Bodies, people and guests, as the minutes name them.")
    )
    items = SessionItemSerializer(
        source="visible_items",
        many=True,
        read_only=True,
        help_text=_("The problems you may see, with their decisions."),
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "held_on",
            "place",
            "convener",
            "convener_name",
            "analysis",
            "participants",
            "items",
        ]

    def get_participants(self, session: Session) -> list[str]:
        return [str(p) for p in session.participants.all()]


class FollowUpSerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "kind",
            "number",
            "issued_on",
            "recipient",
            "recipient_name",
            "status",
            "answered_on",
            "note",
        ]


class SystemicProblemSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    problems = serializers.SerializerMethodField(help_text=_("Ids of the problems you may see."))
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = SystemicProblem
        fields = [
            "id", "category", "category_name", "period_kind", "period_start", "period_label", "region",
            "confirmed_by", "analysis", "problems", "follow_ups",
        ]  # fmt: skip

    def get_problems(self, systemic: SystemicProblem) -> list[int]:
        return [p.pk for p in systemic.visible_problems]


class ProposalUnitSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    problem_ids = serializers.ListField(child=serializers.IntegerField())
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class ProposalSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category.pk")
    category_name = serializers.CharField(source="category.name")
    period_kind = serializers.CharField(source="proposal.period_kind")
    period_start = serializers.DateField(source="proposal.period_start")
    period_label = serializers.CharField()
    problem_count = serializers.IntegerField(source="proposal.problem_count")
    amount = serializers.DecimalField(source="proposal.amount", max_digits=18, decimal_places=2)
    units = ProposalUnitSerializer(many=True)
    confirmed = serializers.IntegerField(source="confirmed.pk", allow_null=True, default=None)
    dismissed = serializers.SerializerMethodField()

    def get_dismissed(self, view: Any) -> bool:
        return view.dismissal is not None


# --- input ----------------------------------------------------------------------------------------------


class SessionInputSerializer(StrictModelSerializer):
    participant_bodies = ScopedPrimaryKeyRelatedField(queryset=Body.objects.all(), many=True, required=False)
    participant_people = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )
    guests = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text=_('"name, unit" each.')
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "held_on",
            "place",
            "analysis",
            "participant_bodies",
            "participant_people",
            "guests",
        ]
        validators: list[Any] = []


class SessionCreateSerializer(SessionInputSerializer):
    problems = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text=_("Ids of problems in your scope.")
    )

    class Meta(SessionInputSerializer.Meta):
        fields = [*SessionInputSerializer.Meta.fields, "problems"]


class DecisionSerializer(StrictSerializer):
    problem = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=[("", "")] + Decision.choices, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    systemic = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class DecisionsSerializer(StrictSerializer):
    decisions = DecisionSerializer(many=True, allow_empty=False)


class SystemicConfirmSerializer(StrictSerializer):
    category = ScopedPrimaryKeyRelatedField(queryset=Category.objects.all())
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period_start = serializers.DateField()
    analysis = serializers.CharField(required=False, allow_blank=True, default="")
    threshold = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )


class SystemicInputSerializer(StrictModelSerializer):
    class Meta:
        model = SystemicProblem
        fields = ["analysis"]
        validators: list[Any] = []
