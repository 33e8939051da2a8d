"""Generic views that read through `visible_to` once, so a new page is scoped without remembering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.generic import DetailView, ListView

from jiandu.core import audit
from jiandu.core.querysets import CHANGE, VIEW


def reads(model: type[Model] | None, *, reason: str = "") -> Any:
    """Declare which model a function view's URL arguments name (`pk`, `code` …).

    The leak test walks every URL: it needs to know which objects to try in each argument. Class-based
    views say it with `model`; a function view says it with `@reads(Department)`, or `@reads(None,
    reason=...)` when its arguments name no record (a token, a file name).
    """

    def mark(view: Any) -> Any:
        view.reads_model = model
        view.reads_reason = reason
        return view

    return mark


class ScopedQuerysetMixin:
    """Gives every generic view its queryset from `Model.objects.visible_to(user, action)`."""

    model: type[Model]
    scope_action: str = VIEW
    request: HttpRequest

    def base_queryset(self) -> QuerySet:
        return self.model.objects.all()

    def get_queryset(self) -> QuerySet:
        qs = self.base_queryset()
        if not hasattr(qs, "visible_to"):
            raise ImproperlyConfigured(f"{self.model.__name__} has no scoped queryset")
        return qs.visible_to(self.request.user, self.scope_action)


class ScopedListView(ScopedQuerysetMixin, ListView):
    """A list with free-text search (`q`), a filterset, sorting (`sort`, `-field`) and pagination.

    An htmx request gets only the results partial, so search-as-you-type swaps the table in place.
    """

    paginate_by = 50
    search_fields: tuple[str, ...] = ()
    sort_fields: dict[str, str] = {}
    default_sort: str | None = None
    filterset_class: Any = None
    partial_template_name: str | None = None

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        term = self.request.GET.get("q", "").strip()
        if term and self.search_fields:
            q = Q()
            for field in self.search_fields:
                q |= Q(**{f"{field}__icontains": term})
            qs = qs.filter(q)
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs
        sort = self.request.GET.get("sort") or self.default_sort
        if sort and sort.lstrip("-") in self.sort_fields:
            expression = F(self.sort_fields[sort.lstrip("-")])
            # Empty values last in both directions, on every database (PostgreSQL puts NULLs first in DESC).
            ordering = (
                expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
            )
            qs = qs.order_by(ordering, "pk")
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        context["filterset"] = getattr(self, "filterset", None)
        context["q"] = self.request.GET.get("q", "")
        context["sort"] = self.request.GET.get("sort") or self.default_sort or ""
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context

    def get_template_names(self) -> list[str]:
        if wants_partial(self.request) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers a full page or a partial: caches must keep them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    """A detail page; an object outside the user's scope is a 404, exactly as one that does not exist."""


class AuditedDetailMixin:
    """For detail pages of confidential records: every time the record is shown, the audit trail gets a
    `view` entry (who, acting for which body, from where). Put it before the detail view class:
    `class ClueDetailView(AuditedDetailMixin, ScopedDetailView)`."""

    request: HttpRequest

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        obj = super().get_object(queryset)  # type: ignore[misc]
        audit.audit_view(self.request, obj)
        return obj


def get_visible_or_404(request: HttpRequest, model: type[Model], action: str = VIEW, **lookup: Any) -> Any:
    return get_object_or_404(model.objects.visible_to(request.user, action), **lookup)


class ScopedChangePermissionMixin(PermissionRequiredMixin):
    """For edit pages: the model permission, then the object must be changeable in scope (else 404)."""

    scope_action = CHANGE


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request swaps a fragment, except a history restore, which needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_htmx(request: HttpRequest, full: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, partial if wants_partial(request) else full, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def confirmed_act(
    request: HttpRequest, act: Callable[[], Any], *, success: str, next_url: str
) -> tuple[HttpResponse | None, list[str]]:
    """The POST of a confirmation page (approve, delete …): run `act` (a service call); when it succeeds,
    say `success` and redirect to `next_url`; when the service refuses, its messages come back for the page,
    which is shown again. A GET does nothing: `(None, [])`."""
    if request.method != "POST":
        return None, []
    try:
        act()
    except ValidationError as exc:
        return None, exc.messages
    messages.success(request, success)
    return redirect(next_url), []
