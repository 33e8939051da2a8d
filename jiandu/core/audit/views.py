"""The auditors' pages: the trail newest first with search and filters, one entry, and the CSV export.

Only holders of `core.view_auditentry` (the "auditors" role) may open them; anyone else gets 404, as for
any record out of scope. An auditor sees the entries of people who acted for a body in their scope.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.audit.filtersets import AuditEntryFilterSet, search_q
from jiandu.core.models import AuditEntry
from jiandu.core.views import ScopedDetailView, ScopedListView

PERMISSION = "core.view_auditentry"
PAGE_SIZE = 50


def auditor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class AuditorRequiredMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def entries_for(request: HttpRequest) -> tuple[QuerySet, AuditEntryFilterSet]:
    """The entries the auditor may see, cut by the search and filters of the request, newest first."""
    qs = AuditEntry.objects.visible_to(request.user)
    term = request.GET.get("q", "").strip()
    if term:
        qs = qs.filter(search_q(term))
    filterset = AuditEntryFilterSet(request.GET or None, queryset=qs, request=request)
    return filterset.qs.order_by("-seq"), filterset


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def model_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def change_rows(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field label, before, after) for each change of the entry."""
    try:
        model = apps.get_model(entry.model) if entry.model else None
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, values in (entry.changes or {}).items():
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                pass
        before, after = (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
        rows.append((label, before, after))
    return rows


class AuditEntryListView(AuditorRequiredMixin, ScopedListView):
    """Newest first, a page at a time by sequence number (`?before=`/`?after=`): no count of millions of rows."""

    model = AuditEntry
    template_name = "audit/entry_list.html"
    partial_template_name = "audit/_entry_table.html"
    paginate_by = None

    def get_queryset(self) -> QuerySet:
        qs, self.filterset = entries_for(self.request)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        qs = self.object_list
        before, after = _int(self.request.GET.get("before")), _int(self.request.GET.get("after"))
        if after is not None:
            page = list(qs.filter(seq__gt=after).order_by("seq")[: PAGE_SIZE + 1])
            has_newer, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE][::-1]
            has_older = bool(page) and qs.filter(seq__lt=page[-1].seq).exists()
        else:
            if before is not None:
                qs = qs.filter(seq__lt=before)
            page = list(qs[: PAGE_SIZE + 1])
            has_older, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
            has_newer = (
                before is not None and bool(page) and self.object_list.filter(seq__gt=page[0].seq).exists()
            )
        for entry in page:
            entry.model_name = model_name(entry.model) if entry.model else ""
            entry.change_rows = change_rows(entry)
        params = self.request.GET.copy()
        for name in ("before", "after"):
            params.pop(name, None)
        context.update(
            entries=page,
            newer_after=page[0].seq if has_newer else None,
            older_before=page[-1].seq if has_older else None,
            query_string=params.urlencode(),
        )
        return context


class AuditEntryDetailView(AuditorRequiredMixin, ScopedDetailView):
    model = AuditEntry
    template_name = "audit/entry_detail.html"
    context_object_name = "entry"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry: AuditEntry = self.object
        entry.model_name = model_name(entry.model) if entry.model else ""
        context["change_rows"] = change_rows(entry)
        return context


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    # A cell that starts like a formula would be run by Excel: the trail holds what people typed.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(qs: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(
        [
            _("Sequence number"), _("Time"), _("User"), _("Acting for"), _("Action"), _("Kind of record"),
            _("Record id"), _("Record"), _("Changes"), _("Detail"), _("Address"), _("Browser"), _("Hash"),
        ]
    )  # fmt: skip
    for entry in qs.iterator(chunk_size=2000):
        row = [
            entry.seq,
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_username,
            entry.body_name,
            entry.get_action_display(),
            entry.model,
            entry.object_id,
            entry.object_repr,
            json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
            json.dumps(entry.detail, ensure_ascii=False) if entry.detail else "",
            entry.ip,
            entry.user_agent,
            entry.hash,
        ]
        yield writer.writerow([_cell(value) for value in row])


@auditor_required
def entry_csv(request: HttpRequest) -> HttpResponse:
    """The entries of the current search and filters as CSV (UTF-8 with a byte-order mark, for Excel).
    The export is itself an entry of the trail, written before the first row is sent."""
    qs, _filterset = entries_for(request)
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    qs = qs.filter(seq__lte=last)
    audit.audit_export(request, AuditEntry, qs.count(), request.GET.dict())
    response = StreamingHttpResponse(_csv_lines(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
