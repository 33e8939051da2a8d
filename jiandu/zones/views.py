"""The zone pages: plan list, new plan, a plan with its map and zones, moving a unit (live re-check with
htmx, saved only when valid), comparison with the approved plan, approval with a confirmation.

Every plan is read through `ZonePlan.objects.visible_to`: out of scope is a 404 like a missing plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedListView, confirmed_act, get_visible_or_404, reads, render_htmx
from jiandu.geo.models import RegionShape
from jiandu.lib.zoning import REASON_MESSAGES
from jiandu.org.models import Person, Post
from jiandu.zones import selectors, services
from jiandu.zones.filtersets import ZonePlanFilterSet
from jiandu.zones.forms import MoveForm, PlanForm
from jiandu.zones.models import PlanKind, PlanStatus, Zone, ZonePlan


class PlanListView(ScopedListView):
    model = ZonePlan
    template_name = "zones/plan_list.html"
    partial_template_name = "zones/_plan_table.html"
    filterset_class = ZonePlanFilterSet
    search_fields = ("name", "region__name", "region__code")
    sort_fields = {"name": "name", "region": "region__code", "version": "version", "updated": "updated_at"}
    default_sort = "region"

    def base_queryset(self) -> Any:
        return ZonePlan.objects.select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("zones.add_zoneplan")
        return context


@permission_required("zones.add_zoneplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user, initial={"region": request.GET.get("region")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.zone_plan_draft(
                acting_user=request.user, kind=d["kind"], region=d["region"], unit_level=d["unit_level"] or None,
                min_size=d["min_size"], max_size=d["max_size"], min_staff=d["min_staff"],
                target_zones=d["target_zones"], seed=d["seed"], together=d["together"], apart=d["apart"],
                name=d["name"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("zones:plan-detail", pk=plan.pk)
    return render(request, "zones/form.html", {"form": form, "title": _("New zone plan")})


def _plan_context(request: HttpRequest, plan: ZonePlan) -> dict[str, Any]:
    zones = selectors.zones_with_members(plan)
    regions = [r for z in zones for r in z.regions]  # type: ignore[attr-defined]
    placed = {r.code for r in regions}
    unplaced = [u for u in plan.figures.get("unplaced", []) if u["code"] not in placed]
    unplaced_regions = {
        r.code: r
        for r in selectors.units_of(plan.region, plan.unit_level)
        if r.code in {u["code"] for u in unplaced}
    }
    staff = selectors.unit_staff(
        plan.unit_level, [r.pk for r in regions] + [r.pk for r in unplaced_regions.values()]
    )
    for zone in zones:
        zone.staff = sum(staff[r.pk] for r in zone.regions)  # type: ignore[attr-defined]
        zone.rows = [(r, staff[r.pk]) for r in zone.regions]  # type: ignore[attr-defined]
    for u in unplaced:
        template = REASON_MESSAGES.get(u["reason_code"], u["message"])
        u["text"] = _(template) % u["detail"] if u["detail"] else _(template)
        region = unplaced_regions.get(u["code"])
        u["staff"] = staff.get(region.pk, 0) if region else 0
    shapes = RegionShape.objects.filter(
        region__in=[r.pk for r in regions] + [r.pk for r in unplaced_regions.values()]
    )
    may_change = ZonePlan.objects.visible_to(request.user, CHANGE).filter(pk=plan.pk).exists()
    can_change = plan.is_draft and may_change
    return {
        "plan": plan,
        "zones": zones,
        "unplaced": unplaced,
        "nearest": plan.figures.get("nearest"),
        "issues": [_(i["message"]) % i["params"] for i in plan.figures.get("issues", [])],
        "has_shapes": shapes.exists(),
        "generated": shapes.filter(generated=True).exists(),
        "can_move": can_change and request.user.has_perm("zones.change_zoneplan"),
        "can_approve": can_change and request.user.has_perm("zones.approve_zoneplan"),
        "can_replan": can_change
        and request.user.has_perm("zones.change_zoneplan")
        and request.user.has_perm("zones.add_zoneplan"),
        "can_choose_reviewer": plan.kind == PlanKind.CASE_REVIEW
        and plan.status != PlanStatus.SUPERSEDED
        and may_change
        and request.user.has_perm("zones.change_zoneplan"),
        "approved": selectors.current_approved(plan),
    }


@reads(ZonePlan)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, ZonePlan, pk=pk)
    context = _plan_context(request, plan)
    if context["can_move"]:
        context["move_form"] = _move_form(plan, context)
    return render(request, "zones/plan_detail.html", context)


@reads(ZonePlan)
@require_GET
def plan_shapes(request: HttpRequest, pk: int) -> JsonResponse:
    """GeoJSON of the plan's units with their zone number (0: unplaced). Features are named by code, since
    village names repeat within a county."""
    plan = get_visible_or_404(request, ZonePlan, pk=pk)
    number = {code: n for n, codes in selectors.assignment(plan).items() for code in codes}
    units = selectors.units_of(plan.region, plan.unit_level, request.user)
    shapes = RegionShape.objects.filter(region__in=units).select_related("region").order_by("region__code")
    colour = _zone_colours(plan, number)
    zone_names = {str(n): name for n, name in Zone.objects.filter(plan=plan).values_list("number", "name")}
    features = [
        {
            "type": "Feature",
            "id": s.region.code,
            "properties": {
                "name": s.region.code,
                "label": s.region.name,
                "zone": int(number.get(s.region.code, 0)),
                "colour": colour.get(number.get(s.region.code, ""), -1),
                "zone_name": zone_names.get(number.get(s.region.code, ""), ""),
                "generated": s.generated,
            },
            "geometry": s.geometry,
        }
        for s in shapes
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _zone_colours(plan: ZonePlan, number: dict[str, str]) -> dict[str, int]:
    """A colour index per zone such that neighbouring zones differ (greedy, in zone order): with a palette
    cycled by number, two adjacent zones could look like one."""
    data = selectors.load_units(plan.region, plan.unit_level)
    touching: dict[str, set[str]] = {}
    for a, b in data.edges:
        za, zb = number.get(a), number.get(b)
        if za and zb and za != zb:
            touching.setdefault(za, set()).add(zb)
            touching.setdefault(zb, set()).add(za)
    colour: dict[str, int] = {}
    for zone in sorted(set(number.values()), key=int):
        used = {colour[n] for n in touching.get(zone, ()) if n in colour}
        colour[zone] = next(c for c in range(len(used) + 1) if c not in used)
    return colour


def _move_form(plan: ZonePlan, context: dict[str, Any], data: Any = None) -> MoveForm:
    units = [(r.code, f"{r.name} ({z.name})") for z in context["zones"] for r in z.regions]
    units += [(u["code"], f"{u['name']} ({_('no zone')})") for u in context["unplaced"]]
    return MoveForm(data, plan=plan, units=sorted(units), zones=context["zones"])


@reads(ZonePlan)
@permission_required("zones.change_zoneplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (htmx, on every change of the form): the violations the move would cause. POST: save it, only
    when it breaks no rule."""
    plan = get_visible_or_404(request, ZonePlan, CHANGE, pk=pk)
    context = _plan_context(request, plan)
    form = _move_form(plan, context, request.POST if request.method == "POST" else request.GET)
    result: dict[str, Any] = {"plan": plan, "move_form": form, "checked": False, "violations": []}
    if (request.POST if request.method == "POST" else request.GET).get("panel") == "map":
        # The map's panel asks the same question; its answer goes to its own element.
        result["check_id"] = "map-move-check"
    if form.is_valid():
        region, zone = form.cleaned_data["region_obj"], form.cleaned_data["zone_obj"]
        if request.method == "POST":
            try:
                services.zone_plan_move_unit(acting_user=request.user, plan=plan, region=region, to_zone=zone)
            except ValidationError as exc:
                result.update(checked=True, violations=exc.messages)
            else:
                messages.success(
                    request, _("%(unit)s moved to %(zone)s.") % {"unit": region.name, "zone": zone.name}
                )
                return redirect("zones:plan-detail", pk=plan.pk)
        else:
            result["violations"] = services.zone_plan_check_move(plan=plan, region=region, to_zone=zone)
            result["checked"] = True
    return render_htmx(request, "zones/move.html", "zones/_move_check.html", result)


@reads(ZonePlan)
@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, ZonePlan, pk=pk)
    return render(
        request, "zones/compare.html", {"plan": plan, "comparison": selectors.zone_plan_compare(plan=plan)}
    )


@reads(ZonePlan)
@permission_required("zones.approve_zoneplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, ZonePlan, CHANGE, pk=pk)
    done, errors = confirmed_act(
        request,
        lambda: services.zone_plan_approve(acting_user=request.user, plan=plan),
        success=_("The plan is approved; its zone groups are in the registry."),
        next_url=reverse("zones:plan-detail", args=[plan.pk]),
    )
    if done:
        return done
    context = {
        "plan": plan,
        "errors": errors,
        "comparison": selectors.zone_plan_compare(plan=plan),
        "zones": selectors.zones_with_members(plan),
        "is_draft": plan.status == PlanStatus.DRAFT,
    }
    return render(request, "zones/approve.html", context)


def _back(zone: Zone) -> HttpResponse:
    return redirect("zones:plan-detail", pk=zone.plan_id)


@reads(Zone)
@permission_required("zones.change_zoneplan", raise_exception=True)
@require_http_methods(["POST"])
def zone_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock (`locked=1`) or unlock a zone of a draft; back to the plan (htmx swaps its zone table)."""
    zone = get_visible_or_404(request, Zone, CHANGE, pk=pk)
    locked = request.POST.get("locked") == "1"
    try:
        services.zone_lock(acting_user=request.user, zone=zone, locked=locked)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        if locked:
            messages.success(request, _("%(zone)s is locked.") % {"zone": zone.name})
        else:
            messages.success(request, _("%(zone)s is unlocked.") % {"zone": zone.name})
    return _back(zone)


@reads(ZonePlan)
@permission_required("zones.change_zoneplan", raise_exception=True)
@require_http_methods(["POST"])
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-plan the zones that are not locked; the answer is a new draft version, shown next."""
    plan = get_visible_or_404(request, ZonePlan, CHANGE, pk=pk)
    try:
        new = services.zone_plan_replan(acting_user=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(
            request, _("The plan could not be re-planned: %(reasons)s") % {"reasons": " ".join(exc.messages)}
        )
        return redirect("zones:plan-detail", pk=plan.pk)
    messages.success(
        request,
        _("Re-planned around the locked zones as version %(version)s.") % {"version": new.version},
    )
    return redirect("zones:plan-detail", pk=new.pk)


@reads(Zone)
@permission_required("zones.change_zoneplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def zone_chief_reviewer(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the chief reviewer of a case-review zone among the candidates the user sees."""
    zone = get_visible_or_404(request, Zone, CHANGE, pk=pk)
    if zone.plan.kind != PlanKind.CASE_REVIEW:
        raise Http404
    seen_posts = Post.objects.visible_to(request.user).active().select_related("body")
    candidates = list(
        selectors.chief_reviewer_candidates(zone, request.user).prefetch_related(
            Prefetch("posts", queryset=seen_posts)
        )
    )
    errors: list[str] = []
    if request.method == "POST":
        raw = request.POST.get("person", "")
        person = None
        if raw:
            person = Person.objects.filter(pk=raw).first() if raw.isdigit() else None
            if person is None:
                errors.append(_("Choose a person from the list."))
        if not errors:
            try:
                services.zone_set_chief_reviewer(acting_user=request.user, zone=zone, person=person)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if person is None:
                    messages.success(request, _("%(zone)s has no chief reviewer now.") % {"zone": zone.name})
                else:
                    messages.success(
                        request,
                        _("%(person)s is the chief reviewer of %(zone)s.")
                        % {"person": person.name, "zone": zone.name},
                    )
                return _back(zone)
    rows = []
    for person in candidates:
        posts = [p for p in person.posts.all() if p.body is not None]
        rows.append((person, "; ".join(f"{p.body.name} {p.title or p.get_kind_display()}" for p in posts)))
    return render(
        request,
        "zones/chief_reviewer.html",
        {"zone": zone, "plan": zone.plan, "rows": rows, "errors": errors},
    )
