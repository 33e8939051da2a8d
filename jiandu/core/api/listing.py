"""Lists: page-number pagination, search and ordering, each refusing a bad value with a 400 or 404.

Named in settings.REST_FRAMEWORK, so it must not import rest_framework.views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, filters, pagination
from rest_framework.request import Request


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 500); a page that does not exist is a 404 with a message."""

    page_size_query_param = "page_size"
    max_page_size = 500
    # DRF fills in the page asked for and Django's reason ("That page contains no results").
    invalid_page_message = gettext_lazy("There is no page {page_number}: {message}.")


def _reject_nul(value: str, parameter: str) -> None:
    # PostgreSQL refuses NUL in a string; say so as a 400 rather than fail on the query.
    if "\x00" in value:
        raise exceptions.ValidationError({parameter: [_("Null characters are not allowed.")]})


class SearchFilter(filters.SearchFilter):
    """`?q=` over the view's `search_fields`, as on the pages."""

    def get_search_terms(self, request: Request) -> list[str]:
        value = request.query_params.get(self.search_param, "")
        _reject_nul(value, self.search_param)
        return super().get_search_terms(request)


class OrderingFilter(filters.OrderingFilter):
    """`?sort=field,-other` over the view's `ordering_fields`; an unknown field is a 400, not ignored."""

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> Any:
        value = request.query_params.get(self.ordering_param)
        if value:
            _reject_nul(value, self.ordering_param)
            allowed = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
            fields = [part.strip() for part in value.split(",") if part.strip()]
            unknown = [field for field in fields if field.lstrip("-") not in allowed]
            if unknown:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot sort by %(fields)s; choose from %(allowed)s.")
                            % {"fields": ", ".join(unknown), "allowed": ", ".join(allowed)}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)
