"""Endpoints of rectification. Reads are scoped by `ScopedViewSet` (a rectification follows its problem);
every act calls the service the pages call, which checks the role and who may act."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.core.querysets import CHANGE
from jiandu.ledger.models import Problem
from jiandu.rectification import services
from jiandu.rectification.api import serializers as s
from jiandu.rectification.filtersets import RectificationFilterSet
from jiandu.rectification.models import ProgressReport, Rectification, Verification


class RectificationViewSet(ScopedReadOnlyViewSet):
    """Rectifications in your scope (both ledgers; `?ledger=` is not needed: filter by `township` or
    `department`). Open one with POST (`rectification.add_rectification`); the unit reports with
    `report/`, the supervising body verifies with `verify/` and closes with `close/`."""

    queryset = Rectification.objects.all()
    serializer_class = s.RectificationSerializer
    filterset_class = RectificationFilterSet
    search_fields = ("problem__facts", "measures")
    ordering_fields = ("deadline", "opened_on", "status")

    def base_queryset(self) -> QuerySet:
        return Rectification.objects.select_related(
            "problem__responsible_region", "problem__responsible_department", "supervisor"
        ).prefetch_related(Prefetch("verifications", queryset=Verification.objects.select_related("body")))

    def _changeable(self) -> Rectification:
        pk = str(self.kwargs.get("pk", ""))
        scoped = Rectification.objects.visible_to(self.request.user, CHANGE)
        found = scoped.filter(pk=int(pk)).first() if pk.isdigit() else None
        if found is None:
            raise exceptions.NotFound()
        return found

    def _answer(self, rectification: Rectification, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.output(rectification), status=code)

    @extend_schema(request=s.OpenInputSerializer, responses=s.RectificationSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._valid(s.OpenInputSerializer, request)
        problem = Problem.objects.visible_to(request.user, CHANGE).filter(pk=data.pop("problem")).first()
        if problem is None:
            raise exceptions.ValidationError({"problem": [_("No such problem in your scope.")]})
        rectification = services.rectification_open(acting_user=request.user, problem=problem, **data)
        return self._answer(rectification, status.HTTP_201_CREATED)

    @extend_schema(request=s.UpdateInputSerializer, responses=s.RectificationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rectification = self._changeable()
        data = self._valid(s.UpdateInputSerializer, request)
        rectification = services.rectification_update(
            acting_user=request.user,
            rectification=rectification,
            measures=data.get("measures", rectification.measures),
            deadline=data.get("deadline", rectification.deadline),
        )
        return self._answer(rectification)

    @extend_schema(request=s.ReportInputSerializer, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def report(self, request: Request, pk: str | None = None) -> Response:
        rectification = self._changeable()
        data = self._valid(s.ReportInputSerializer, request)
        report = services.rectification_report(acting_user=request.user, rectification=rectification, **data)
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VerifyInputSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        rectification = self._changeable()
        data = self._valid(s.VerifyInputSerializer, request)
        services.rectification_verify(acting_user=request.user, rectification=rectification, **data)
        return self._answer(rectification)

    @extend_schema(request=s.CloseInputSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request: Request, pk: str | None = None) -> Response:
        rectification = self._changeable()
        data = self._valid(s.CloseInputSerializer, request)
        services.rectification_close(acting_user=request.user, rectification=rectification, **data)
        return self._answer(rectification)

    def _valid(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ProgressReportViewSet(ScopedReadOnlyViewSet):
    """The units' progress reports on rectifications in your scope (`?rectification=<id>`)."""

    queryset = ProgressReport.objects.all()
    serializer_class = s.ProgressReportSerializer
    filterset_fields = ("rectification", "claims_done")
    ordering_fields = ("reported_on",)

    def base_queryset(self) -> QuerySet:
        return ProgressReport.objects.select_related("body").prefetch_related("evidence")
