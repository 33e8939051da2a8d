"""Endpoints of periodic filing: filings in scope (list, detail) and `POST /api/filings/submit/`, which
calls the service the page calls."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.filing import services
from jiandu.filing.api import serializers as s
from jiandu.filing.filtersets import FilingFilterSet
from jiandu.filing.models import Filing, FilingRule
from jiandu.ledger.models import Problem


class FilingViewSet(ScopedReadOnlyViewSet):
    """Filings of the bodies in your scope. `?period=2026-10`, `?body=`, `?is_late=`, `?region=<code>`."""

    queryset = Filing.objects.all()
    serializer_class = s.FilingSerializer
    input_serializer_class = s.FilingSubmitSerializer
    filterset_class = FilingFilterSet
    search_fields = ("body__name", "period")
    ordering_fields = ("period_start", "filed_at", "body__name", "problem_count")

    def base_queryset(self) -> QuerySet:
        return Filing.objects.select_related("body__region", "filed_by")

    def _visible_problems(self, filings: list[Filing]) -> frozenset[int]:
        ids = {pk for filing in filings for pk in filing.problem_ids}
        if not ids:
            return frozenset()
        visible = Problem.objects.visible_to(self.request.user).filter(pk__in=ids)
        return frozenset(visible.values_list("pk", flat=True))

    def paginate_queryset(self, queryset: QuerySet) -> Any:
        page = super().paginate_queryset(queryset)
        self.visible_problem_ids = self._visible_problems(list(page) if page is not None else list(queryset))
        return page

    def get_object(self) -> Any:
        filing = super().get_object()
        self.visible_problem_ids = self._visible_problems([filing])
        return filing

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["visible_problem_ids"] = getattr(self, "visible_problem_ids", frozenset())
        return context

    @extend_schema(
        request=s.FilingSubmitSerializer,
        responses={201: s.FilingSubmitResultSerializer, 200: s.FilingSubmitResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        """File a period of your body's ledger (or of a body in your scope): idempotent; filing again after
        a correction records a new revision. Needs `filing.add_filing` (the ledger editors' role)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.filing_submit(
            acting_user=request.user,
            period=data["period"],
            body=data.get("body"),
            nothing_to_report=data["nothing_to_report"],
        )
        filing = self.base_queryset().get(pk=result.filing.pk)
        self.visible_problem_ids = self._visible_problems([filing])
        output = s.FilingSubmitResultSerializer(filing, context=self.get_serializer_context()).data
        output["outcome"] = result.outcome
        code = status.HTTP_201_CREATED if result.outcome == services.CREATED else status.HTTP_200_OK
        return Response(output, status=code)


class FilingRuleViewSet(ScopedReadOnlyViewSet):
    """The filing rules: which kinds of body file, how often and by when."""

    queryset = FilingRule.objects.all()
    serializer_class = s.FilingRuleSerializer
    ordering_fields = ("body_kind",)
