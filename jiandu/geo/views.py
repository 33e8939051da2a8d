"""The geography pages: a map per region (its children's shapes, drawn by ECharts from a scoped JSON
endpoint) with its adjacency list, and the upload of shapes, points or pair lists (check, preview, confirm).

An uploaded file waits on the server under a random token and the user's id until it is confirmed; the
confirmation reads and checks it again, so nothing written comes from the browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core.uploads import PendingUploads
from jiandu.core.views import get_visible_or_404, reads
from jiandu.geo import selectors, services
from jiandu.geo.forms import UploadForm
from jiandu.org.models import Region

UPLOAD_PERMISSION = "geo.add_adjacency"
PENDING = PendingUploads("geo-uploads")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    region = selectors.home_region(request.user)
    if region is None:
        raise Http404
    return redirect("geo:region-map", code=region.code)


@reads(Region)
@require_GET
def region_map(request: HttpRequest, code: str) -> HttpResponse:
    region = get_visible_or_404(request, Region, code=code)
    children = selectors.map_children(request.user, region)
    shapes = list(selectors.shapes_of(request.user, children).only("region", "generated"))
    adjacency = list(selectors.adjacency_among(request.user, children))
    degree: dict[int, int] = {}
    for pair in adjacency:
        degree[pair.region_a_id] = degree.get(pair.region_a_id, 0) + 1
        degree[pair.region_b_id] = degree.get(pair.region_b_id, 0) + 1
    shaped = {shape.region_id for shape in shapes}
    rows = [(child, degree.get(child.pk, 0), child.pk in shaped) for child in children]
    chain = region.ancestors()
    visible = set(
        Region.objects.visible_to(request.user)
        .filter(pk__in=[a.pk for a in chain])
        .values_list("pk", flat=True)
    )
    context = {
        "region": region,
        "ancestors": [a for a in chain if a.pk in visible],
        "rows": rows,
        "adjacency": adjacency,
        "has_shapes": bool(shapes),
        "generated": any(shape.generated for shape in shapes),
        "can_upload": request.user.has_perm(UPLOAD_PERMISSION),
        "pairs": [[pair.region_a.code, pair.region_b.code] for pair in adjacency],
    }
    return render(request, "geo/region_map.html", context)


@reads(Region)
@require_GET
def region_shapes(request: HttpRequest, code: str) -> JsonResponse:
    """GeoJSON of the region's children for the map: only regions the user may see."""
    region = get_visible_or_404(request, Region, code=code)
    shapes = selectors.shapes_of(request.user, selectors.map_children(request.user, region))
    return JsonResponse(selectors.feature_collection(shapes.order_by("region__code")))


# --- upload --------------------------------------------------------------------------------------------


@permission_required(UPLOAD_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = PENDING.save(
            request.user, upload, {"file_name": upload.name, "kind": form.cleaned_data["kind"]}
        )
        return redirect("geo:upload-preview", token=token)
    return render(request, "geo/upload.html", {"form": form})


@reads(None, reason="an upload token of the signed-in user; the file is stored under their id")
@permission_required(UPLOAD_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload_preview(request: HttpRequest, token: str) -> HttpResponse:
    data, meta = PENDING.load(request.user, token)
    arguments = {
        "acting_user": request.user,
        "kind": meta["kind"],
        "data": data,
        "file_name": meta["file_name"],
    }
    context: dict[str, Any] = {"meta": meta, "token": token}
    try:
        if request.method == "POST":
            result = services.geo_upload_apply(**arguments)
            PENDING.discard(request.user, token)
            return render(request, "geo/upload_result.html", _result_context(request, result))
        context["plan"] = services.geo_upload_check(**arguments)
    except ValidationError as exc:
        context["errors"] = exc.messages
    return render(request, "geo/upload_preview.html", context)


def _result_context(request: HttpRequest, result: services.UploadResult) -> dict[str, Any]:
    """The result page links the map of the regions' parent, when the user may see it."""
    parents = {region.parent_id for region in result.plan.regions}
    parent = None
    if len(parents) == 1 and None not in parents:
        parent = Region.objects.visible_to(request.user).filter(pk=parents.pop()).first()
    return {"result": result, "plan": result.plan, "parent": parent}
