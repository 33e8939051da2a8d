"""Endpoints of the problem ledger. Reads are scoped by `ScopedViewSet`; writes go through
jiandu/ledger/services.py like the pages. The problem list pages without a count (`next` is given when
another page exists), so it stays fast on millions of rows."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination
from rest_framework.response import Response

from jiandu.core.api.listing import OrderingFilter, SearchFilter
from jiandu.core.api.viewsets import ScopedCreateMixin, ScopedReadOnlyViewSet, ScopedUpdateMixin
from jiandu.ledger import services
from jiandu.ledger.api import serializers as s
from jiandu.ledger.filtersets import ProblemFilterSet
from jiandu.ledger.models import Category, Evidence, Problem, Source
from jiandu.ledger.views import clean_term, fetch_rows, search_facts


class NoCountPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 500) without counting: one row more than the page is read to
    know whether there is a next page. A page past the end is a 404, like the other lists."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset: QuerySet, request: Any, view: Any = None) -> list[Any]:
        self.request = request
        size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            self.number = int(raw)
            if self.number < 1:
                raise ValueError
        except ValueError:
            raise exceptions.NotFound(_("There is no page %(page)s.") % {"page": raw}) from None
        start = (self.number - 1) * size
        rows = self.read(queryset, start, start + size + 1, request)
        if not rows and self.number > 1:
            raise exceptions.NotFound(_("There is no page %(page)s.") % {"page": raw})
        self.has_next = len(rows) > size
        return rows[:size]

    def read(self, queryset: QuerySet, start: int, stop: int, request: Any) -> list[Any]:
        return list(queryset[start:stop])

    def get_paginated_response(self, data: Any) -> Response:
        url = self.request.build_absolute_uri()
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        next_url = replace_query_param(url, self.page_query_param, self.number + 1) if self.has_next else None
        if self.number == 1:
            previous = None
        elif self.number == 2:
            previous = remove_query_param(url, self.page_query_param)
        else:
            previous = replace_query_param(url, self.page_query_param, self.number - 1)
        return Response({"next": next_url, "previous": previous, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


class ProblemPagination(NoCountPagination):
    """A page of problems read the way the list page reads it (`fetch_rows`: the trigram index or a walk
    for a search, a small scope part by part); a search that runs out of time is a 400 saying so."""

    def read(self, queryset: QuerySet, start: int, stop: int, request: Any) -> list[Any]:
        term = clean_term(request.query_params.get("q", ""))
        order = [str(key) for key in queryset.query.order_by or queryset.model._meta.ordering]
        by_date = order in (["-found_on", "-pk"], ["found_on", "pk"])
        rows = fetch_rows(
            queryset.order_by(*order),
            start,
            stop,
            term=term,
            by_date=by_date,
            parts=Problem.objects.scope_parts(request.user, searching=bool(term)) if by_date else None,
        )
        if rows is None:
            raise exceptions.ValidationError(
                {
                    "q": [
                        _(
                            "This search takes too long over the whole ledger. Use a longer word, or "
                            "narrow it by place, category or date first."
                        )
                    ]
                }
            )
        return rows


class FactsSearchFilter(SearchFilter):
    """`?q=` over the facts as the list page searches them: Chinese has no case, so a plain LIKE, which
    the trigram index serves (a case-insensitive one it does not)."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        term = clean_term(" ".join(self.get_search_terms(request)))
        return search_facts(queryset, term) if term else queryset


class ProblemViewSet(ScopedCreateMixin, ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """Problems in your scope, newest first; `ledger.add_problem` / `ledger.change_problem` to write.

    Filters as on the list page (`source`, `category`, `status`, `ledger`, `region` with its subtree,
    `responsible_region`, `responsible_department`, `found_by`, `found_from`/`found_to`,
    `amount_min`/`amount_max`), `?q=` over the facts, `?sort=`. A new problem is filed by your body.
    """

    queryset = Problem.objects.all()
    serializer_class = s.ProblemSerializer
    input_serializer_class = s.ProblemInputSerializer
    filterset_class = ProblemFilterSet
    pagination_class = ProblemPagination
    filter_backends = [DjangoFilterBackend, FactsSearchFilter, OrderingFilter]
    search_fields = ("facts",)
    ordering_fields = ("found_on", "amount", "status", "id")

    def base_queryset(self) -> QuerySet:
        return Problem.objects.prefetch_related(
            "source", "category", "found_by", "region", "responsible_region"
        )

    def service_create(self, data: dict[str, Any]) -> Problem:
        data.pop("status", None)
        return services.problem_save(acting_user=self.request.user, problem=None, fields=data)

    def service_update(self, instance: Any, data: dict[str, Any]) -> Problem:
        status = data.pop("status", None)
        with transaction.atomic():
            problem = services.problem_save(acting_user=self.request.user, problem=instance, fields=data)
            if status:
                problem = services.problem_set_status(
                    acting_user=self.request.user, problem=problem, status=status
                )
        return problem


class SourceViewSet(ScopedReadOnlyViewSet):
    """The sources of problems (日常监督, 巡察 …): one catalogue for everyone."""

    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    filterset_fields = ("is_active",)
    search_fields = ("name", "code")
    ordering_fields = ("sort_order", "name")


class CategoryViewSet(ScopedReadOnlyViewSet):
    """The categories of problems: one catalogue for everyone."""

    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer
    filterset_fields = ("is_active",)
    search_fields = ("name", "sector")
    ordering_fields = ("sort_order", "name")


class EvidenceFilterSet(django_filters.FilterSet):
    # A number, not a choice of problems: a problem out of scope gives an empty list, like a missing one.
    problem = django_filters.NumberFilter(field_name="problem")

    class Meta:
        model = Evidence
        fields = ["problem"]


class EvidenceViewSet(ScopedReadOnlyViewSet):
    """Evidence of the problems in your scope (metadata; `download` streams the file)."""

    queryset = Evidence.objects.all()
    serializer_class = s.EvidenceSerializer
    filterset_class = EvidenceFilterSet
    search_fields = ("name",)
    ordering_fields = ("created_at", "size", "name")

    def base_queryset(self) -> QuerySet:
        return Evidence.objects.order_by("problem_id", "created_at", "pk")
