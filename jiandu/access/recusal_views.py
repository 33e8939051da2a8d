"""Recusals (回避) in the UI: the list, a new recusal, lifting one. For recusal deciders only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.access import services
from jiandu.access.models import Recusal
from jiandu.access.recusal_forms import RecusalForm
from jiandu.core.views import ScopedListView, get_visible_or_404, reads


def require(request: HttpRequest, permission: str) -> None:
    """Pages for a role answer 404 to everyone else, like records out of scope."""
    if not request.user.has_perm(permission):
        raise Http404


class RecusalListView(ScopedListView):
    model = Recusal
    template_name = "access/recusal_list.html"
    partial_template_name = "access/_recusal_table.html"
    search_fields = ("user__username", "user__first_name", "reason", "person__name", "region__name")
    sort_fields = {"decided_at": "decided_at", "user": "user__username"}
    default_sort = "-decided_at"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request, "access.view_recusal")
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        qs = Recusal.objects.select_related(
            "user", "user__body", "person", "region", "content_type", "decided_by", "lifted_by"
        )
        if self.request.GET.get("state") != "all":
            qs = qs.filter(lifted_at__isnull=True)
        return qs


def recusal_create(request: HttpRequest) -> HttpResponse:
    require(request, "access.add_recusal")
    form = RecusalForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            recusal = services.recuse(
                acting_user=request.user,
                user=form.cleaned_data["user"],
                target=form.target_record,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded: %(recusal)s.") % {"recusal": recusal})
            return redirect("recusals:list")
    context = {"form": form, "title": _("New recusal"), "cancel_url": reverse("recusals:list")}
    return render(request, "core/form.html", context)


@reads(Recusal)
def recusal_lift(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "access.change_recusal")
    recusal = get_visible_or_404(request, Recusal, "change", pk=pk, lifted_at__isnull=True)
    if request.method == "POST":
        services.lift_recusal(acting_user=request.user, recusal=recusal)
        messages.success(request, _("Lifted: %(recusal)s.") % {"recusal": recusal})
        return redirect("recusals:list")
    return render(request, "access/recusal_lift.html", {"recusal": recusal})
