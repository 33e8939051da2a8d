"""The cross-supervision pages: rounds (list, new, detail with pairs and teams, xlsx export, approval and
deletion of a draft, each with a confirmation) and recorded relatives (list, new, change, delete).

Every record is read through `visible_to`: out of scope is a 404 like a missing record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedListView, confirmed_act, get_visible_or_404, reads
from jiandu.core.xlsx import xlsx_response
from jiandu.crossing import selectors, services
from jiandu.crossing.filtersets import CrossRoundFilterSet
from jiandu.crossing.forms import KinshipForm, RoundForm
from jiandu.crossing.models import CrossPair, CrossRound, Kinship


class RoundListView(ScopedListView):
    model = CrossRound
    template_name = "crossing/round_list.html"
    partial_template_name = "crossing/_round_table.html"
    filterset_class = CrossRoundFilterSet
    search_fields = ("name", "region__name", "region__code")
    sort_fields = {"name": "name", "region": "region__code", "created": "created_at"}
    default_sort = "-created"

    def base_queryset(self) -> Any:
        return CrossRound.objects.select_related("region", "zone")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("crossing.add_crossround")
        return context


@permission_required("crossing.add_crossround", raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, user=request.user, initial={"region": request.GET.get("region")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["region_obj"] is None:
                raise ValidationError({"region": _("Choose a region.")})
            cross_round = services.cross_round_draft(
                acting_user=request.user, region=d["region_obj"], level=d["level"], zone=d["zone_obj"],
                avoid_reciprocal=d["avoid_reciprocal"], avoid_adjacent=d["avoid_adjacent"],
                no_repeat_rounds=d["no_repeat_rounds"], team_size=d["team_size"], seed=d["seed"],
                name=d["name"], accept_nearest=d["accept_nearest"],
            )  # fmt: skip
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The round is drafted; read it and approve it."))
            return redirect("crossing:round-detail", pk=cross_round.pk)
    return render(request, "crossing/form.html", {"form": form, "title": _("New cross-supervision round")})


def _round_context(request: HttpRequest, cross_round: CrossRound) -> dict[str, Any]:
    pairs = selectors.pairs_with_teams(cross_round)
    loads: dict[int, int] = {}
    for pair in pairs:
        loads[pair.supervisor_id] = loads.get(pair.supervisor_id, 0) + 1
    may_change = CrossRound.objects.visible_to(request.user, CHANGE).filter(pk=cross_round.pk).exists()
    figures = cross_round.figures
    return {
        "round": cross_round,
        "pairs": pairs,
        "loads": sorted(set(loads.values())),
        "issues": [selectors.describe(m) for m in figures.get("issues", [])],
        "relaxed": selectors.relaxed_labels(cross_round),
        "shortfalls": [selectors.describe(m) for m in figures.get("shortfalls", [])],
        "can_approve": cross_round.is_draft
        and may_change
        and request.user.has_perm("crossing.approve_crossround"),
        "can_delete": cross_round.is_draft
        and may_change
        and request.user.has_perm("crossing.delete_crossround"),
    }


@reads(CrossRound)
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cross_round = get_visible_or_404(request, CrossRound, pk=pk)
    return render(request, "crossing/round_detail.html", _round_context(request, cross_round))


@reads(CrossRound)
@require_GET
def round_export(request: HttpRequest, pk: int) -> FileResponse:
    """The round's pairs and teams as xlsx."""
    cross_round = get_visible_or_404(request, CrossRound, pk=pk)
    pairs = selectors.pairs_with_teams(cross_round)
    header = [_("Checking unit"), _("Code"), _("Checked unit"), _("Code"), _("Team")]
    rows = [
        [p.supervisor.name, p.supervisor.code, p.supervised.name, p.supervised.code,
         ", ".join(m.person.name for m in p.team.all())]
        for p in pairs
    ]  # fmt: skip
    audit.audit_export(request, CrossPair, len(rows), {}, detail={"round": cross_round.pk})
    return xlsx_response(_("Cross supervision"), header, rows, f"cross-round-{cross_round.pk}.xlsx")


@reads(CrossRound)
@permission_required("crossing.approve_crossround", raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_approve(request: HttpRequest, pk: int) -> HttpResponse:
    cross_round = get_visible_or_404(request, CrossRound, CHANGE, pk=pk)
    done, errors = confirmed_act(
        request,
        lambda: services.cross_round_approve(acting_user=request.user, cross_round=cross_round),
        success=_("The round is approved."),
        next_url=reverse("crossing:round-detail", args=[cross_round.pk]),
    )
    if done:
        return done
    context = _round_context(request, cross_round) | {"errors": errors, "action": "approve"}
    return render(request, "crossing/round_confirm.html", context)


@reads(CrossRound)
@permission_required("crossing.delete_crossround", raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cross_round = get_visible_or_404(request, CrossRound, CHANGE, pk=pk)
    done, errors = confirmed_act(
        request,
        lambda: services.cross_round_delete(acting_user=request.user, cross_round=cross_round),
        success=_("The draft round is deleted."),
        next_url=reverse("crossing:round-list"),
    )
    if done:
        return done
    context = _round_context(request, cross_round) | {"errors": errors, "action": "delete"}
    return render(request, "crossing/round_confirm.html", context)


class KinshipListView(ScopedListView):
    model = Kinship
    template_name = "crossing/kinship_list.html"
    partial_template_name = "crossing/_kinship_table.html"
    search_fields = ("person__name", "relative_name", "works_in__name", "works_in__code")
    sort_fields = {"person": "person__name", "relative": "relative_name", "works_in": "works_in__code"}
    default_sort = "person"

    def base_queryset(self) -> Any:
        return Kinship.objects.select_related("person", "works_in")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("crossing.add_kinship")
        return context


def _kinship_form(request: HttpRequest, kinship: Kinship | None) -> HttpResponse:
    initial = {}
    if kinship is not None:
        initial = {
            "person": kinship.person_id, "relative_name": kinship.relative_name, "relation": kinship.relation,
            "works_in": kinship.works_in.code, "note": kinship.note,
        }  # fmt: skip
    form = KinshipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.kinship_record(
                acting_user=request.user, person=d["person"], relative_name=d["relative_name"],
                relation=d["relation"], works_in=d["works_in"], note=d["note"], kinship=kinship,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The relative is recorded."))
            return redirect("crossing:kinship-list")
    title = _("Record a relative") if kinship is None else _("Change the recorded relative")
    return render(request, "crossing/form.html", {"form": form, "title": title, "object": kinship})


@permission_required("crossing.add_kinship", raise_exception=True)
@require_http_methods(["GET", "POST"])
def kinship_create(request: HttpRequest) -> HttpResponse:
    return _kinship_form(request, None)


@reads(Kinship)
@permission_required("crossing.change_kinship", raise_exception=True)
@require_http_methods(["GET", "POST"])
def kinship_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _kinship_form(request, get_visible_or_404(request, Kinship, CHANGE, pk=pk))


@reads(Kinship)
@permission_required("crossing.delete_kinship", raise_exception=True)
@require_http_methods(["GET", "POST"])
def kinship_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kinship = get_visible_or_404(request, Kinship, CHANGE, pk=pk)
    if request.method == "POST":
        services.kinship_delete(acting_user=request.user, kinship=kinship)
        messages.success(request, _("The recorded relative is deleted."))
        return redirect("crossing:kinship-list")
    return render(request, "crossing/kinship_delete.html", {"kinship": kinship})
