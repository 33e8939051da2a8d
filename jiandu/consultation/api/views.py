"""Endpoints of consultation sessions and systemic problems. Reads are scoped by `ScopedViewSet`; writes call
the services the pages call, with the user as `acting_user`."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiandu.consultation import services
from jiandu.consultation.api import serializers as s
from jiandu.consultation.filtersets import SessionFilterSet, SystemicFilterSet
from jiandu.consultation.forms import parse_guests
from jiandu.consultation.models import Participant, Session, SessionItem, SystemicProblem
from jiandu.consultation.selectors import default_threshold, systemic_proposals
from jiandu.core.api.viewsets import ScopedCreateMixin, ScopedReadOnlyViewSet, ScopedUpdateMixin
from jiandu.ledger.models import Problem
from jiandu.lib.systemic import PERIOD_KINDS, QUARTER


def participants_of(data: dict[str, Any]) -> services.Participants | None:
    keys = ("participant_bodies", "participant_people", "guests")
    if not any(key in data for key in keys):
        return None
    return services.Participants(
        bodies=data.get("participant_bodies", []),
        people=data.get("participant_people", []),
        guests=parse_guests("\n".join(data.get("guests", []))),
    )


class SessionViewSet(ScopedCreateMixin, ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """Consultation sessions you convened (or whose convener is in your scope) or took part in; each lists
    the problems you may see. `consultation.add_session` / `change_session` to write."""

    queryset = Session.objects.all()
    serializer_class = s.SessionSerializer
    input_serializer_class = s.SessionInputSerializer
    create_serializer_class = s.SessionCreateSerializer
    filterset_class = SessionFilterSet
    search_fields = ("title", "place", "convener__name", "analysis")
    ordering_fields = ("held_on", "title")

    def base_queryset(self) -> QuerySet:
        user = self.request.user
        items = SessionItem.objects.visible_to(user).select_related("problem").order_by("pk")
        participants = Participant.objects.select_related("body", "person").order_by("pk")
        return (
            Session.objects.select_related("convener")
            .prefetch_related(
                Prefetch("items", queryset=items, to_attr="visible_items"),
                Prefetch("participants", queryset=participants),
            )
            .order_by("-held_on", "-pk")
        )

    def service_create(self, data: dict[str, Any]) -> Session:
        problems = data.pop("problems")
        participants = participants_of(data) or services.Participants()
        fields = {k: v for k, v in data.items() if k in services.SESSION_FIELDS}
        return services.session_create(
            acting_user=self.request.user, fields=fields, problem_ids=problems, participants=participants
        )

    def service_update(self, instance: Any, data: dict[str, Any]) -> Session:
        fields = {k: v for k, v in data.items() if k in services.SESSION_FIELDS}
        return services.session_update(
            acting_user=self.request.user, session=instance, fields=fields, participants=participants_of(data)
        )

    @extend_schema(request=s.DecisionsSerializer, responses=s.SessionSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.SessionSerializer)
    def decisions(self, request: Request, pk: Any = None) -> Response:
        """Record decisions: `{"decisions": [{"problem": id, "decision": "rectify|transfer|systemic|",
        "note": "…", "systemic": id|null}]}`. All or nothing."""
        if not request.user.has_perm("consultation.change_session"):
            raise exceptions.PermissionDenied()
        session = self.get_object()
        payload = s.DecisionsSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        services.session_decide(
            acting_user=request.user,
            session=session,
            decisions=[
                services.DecisionInput(d["problem"], d["decision"], d["note"], d["systemic"])
                for d in payload.validated_data["decisions"]
            ],
        )
        return Response(self.output(session))


class SystemicProblemViewSet(ScopedCreateMixin, ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """Confirmed systemic problems in your scope with their follow-ups. POST confirms a proposal (computed
    afresh from what you may see); `proposals/` lists what Jiandu proposes."""

    queryset = SystemicProblem.objects.all()
    serializer_class = s.SystemicProblemSerializer
    input_serializer_class = s.SystemicInputSerializer
    create_serializer_class = s.SystemicConfirmSerializer
    filterset_class = SystemicFilterSet
    search_fields = ("category__name", "analysis", "region__name")
    ordering_fields = ("period_start", "category__sort_order")

    def base_queryset(self) -> QuerySet:
        problems = Problem.objects.visible_to(self.request.user).only("pk").order_by("pk")
        return (
            SystemicProblem.objects.select_related("category", "region")
            .prefetch_related(
                Prefetch("problems", queryset=problems, to_attr="visible_problems"),
                Prefetch("follow_ups__recipient"),
            )
            .order_by("-period_start", "pk")
        )

    def service_create(self, data: dict[str, Any]) -> SystemicProblem:
        return services.systemic_confirm(acting_user=self.request.user, **data)

    def service_update(self, instance: Any, data: dict[str, Any]) -> SystemicProblem:
        return services.systemic_update(
            acting_user=self.request.user, systemic=instance, analysis=data.get("analysis", instance.analysis)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=list(PERIOD_KINDS)),
            OpenApiParameter("year", int),
            OpenApiParameter("threshold", int),
        ],
        responses=s.ProposalSerializer(many=True),
    )
    @action(detail=False, methods=["get"], serializer_class=s.ProposalSerializer, filterset_class=None)
    def proposals(self, request: Request) -> Response:
        """Categories found at `threshold` or more units in a period of `year`, with their evidence."""
        params = ProposalParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        views = systemic_proposals(
            request.user,
            period_kind=data.get("period") or QUARTER,
            year=data.get("year") or timezone.localdate().year,
            threshold=data.get("threshold") or default_threshold(),
        )
        return Response(s.ProposalSerializer(views, many=True).data)


class ProposalParams(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIOD_KINDS, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    threshold = serializers.IntegerField(min_value=1, max_value=100, required=False)
