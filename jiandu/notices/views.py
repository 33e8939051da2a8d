"""The user's reminders: unread first, mark one or all read, open the thing a reminder is about.

Generic over `NoticeKind`: filing, rectification and any later app send through `notify` and their
reminders show here without this page knowing them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.core.views import ScopedListView, get_visible_or_404, reads
from jiandu.notices import services
from jiandu.notices.filtersets import NoticeFilterSet
from jiandu.notices.models import Notice


class NoticeListView(ScopedListView):
    model = Notice
    template_name = "notices/list.html"
    partial_template_name = "notices/_table.html"
    search_fields = ("message",)
    filterset_class = NoticeFilterSet
    paginate_by = 30

    def get_queryset(self) -> QuerySet:
        # Unread first (NULL first on every database), newest first within each.
        return super().get_queryset().order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unread_total"] = Notice.objects.visible_to(self.request.user).unread().count()
        return context


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notices:list")


@reads(Notice)
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(request, Notice, pk=pk)
    services.mark_read(acting_user=request.user, notices=Notice.objects.filter(pk=notice.pk))
    return _back(request)


@reads(None, reason="marks every reminder of the user read")
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(acting_user=request.user, notices=Notice.objects.all())
    messages.success(request, _("Marked %(count)d reminders read.") % {"count": count})
    return _back(request)


@reads(Notice)
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the thing a reminder is about, marking the reminder read. Only links inside Jiandu are
    followed; a reminder without one (or with any other) leads back to the list."""
    notice = get_visible_or_404(request, Notice, pk=pk)
    services.mark_read(acting_user=request.user, notices=Notice.objects.filter(pk=notice.pk))
    if notice.url.startswith("/") and url_has_allowed_host_and_scheme(notice.url, {request.get_host()}):
        return redirect(notice.url)
    return redirect("notices:list")
