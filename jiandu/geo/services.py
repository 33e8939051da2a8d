"""Writes of region shapes and adjacency. The upload page, the API and the demo go through these.

An upload is one file of one kind — GeoJSON polygons, a points table (code, lon, lat) or a pair list — and
is all or nothing: `geo_upload_check` reads it, resolves every region it names among the regions the user may
change, and computes the adjacency it would write (the preview); `geo_upload_apply` does the same again and
writes it in one transaction. What an upload replaces: the shapes of the regions it names (polygons), and
every adjacency between two regions it names; adjacencies with regions it does not name stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.geo.messages import describe, located, where
from jiandu.geo.models import Adjacency, Basis, RegionShape
from jiandu.lib import geography as geo
from jiandu.lib.names import loose_keys
from jiandu.org.models import Region

KINDS = (geo.POLYGON, geo.POINTS, geo.PAIR_LIST)
MAX_MESSAGES = 30


@dataclass
class UploadPlan:
    """What an upload would write: shapes (polygons only) and adjacency, by region."""

    kind: str
    file_name: str
    sha256: str
    regions: list[Region] = field(default_factory=list)
    shapes: list[tuple[Region, geo.Shape]] = field(default_factory=list)
    edges: list[tuple[Region, Region, geo.Edge]] = field(default_factory=list)
    replaced: int = 0  # adjacencies among the named regions now, which the upload replaces


@dataclass
class UploadResult:
    plan: UploadPlan
    shapes_written: int
    adjacencies_written: int
    adjacencies_removed: int


def geo_upload_check(*, acting_user: Any, kind: str, data: bytes, file_name: str = "") -> UploadPlan:
    """Read the file and work out what it would write; ValidationError with every problem found, each
    naming the file and the feature or row (and column) it is in. Writes nothing."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind of file.")})
    plan = UploadPlan(kind=kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        if kind == geo.POLYGON:
            shapes = geo.parse_geojson(data)
            refs = [(s.code, s.feature, None, None) for s in shapes]
        elif kind == geo.POINTS:
            points = geo.parse_points(data)
            refs = [(p.code, None, p.row, None) for p in points]
        else:
            pairs = geo.parse_pair_list(data)
            refs = [(text, None, p.row, col) for p in pairs for col, text in ((1, p.a), (2, p.b))]
    except geo.GeographyError as exc:
        raise ValidationError([describe(exc, file_name)]) from None
    resolved = _resolve(acting_user, refs, file_name)
    plan.regions = sorted({r.pk: r for r in resolved.values()}.values(), key=lambda r: r.code)
    _check_one_level(plan, refs, resolved, file_name)
    try:
        if kind == geo.POLYGON:
            plan.shapes = [(resolved[s.code], s) for s in shapes]
            edges = geo.polygon_adjacency(shapes)
        elif kind == geo.POINTS:
            edges = geo.point_adjacency(points)
        else:
            edges = _pair_edges(pairs, resolved, file_name)
    except geo.GeographyError as exc:
        raise ValidationError([describe(exc, file_name)]) from None
    by_code = {r.code: r for r in plan.regions}
    if kind == geo.PAIR_LIST:
        by_code = {str(r.pk): r for r in plan.regions}
    ordered = (sorted((by_code[e.a], by_code[e.b]), key=lambda r: r.code) + [e] for e in edges)
    plan.edges = sorted(((a, b, e) for a, b, e in ordered), key=lambda t: (t[0].code, t[1].code))
    plan.replaced = _among(plan.regions).count()
    return plan


@transaction.atomic
def geo_upload_apply(*, acting_user: Any, kind: str, data: bytes, file_name: str = "") -> UploadResult:
    """Check the upload again and write it: shapes of the named regions, and the adjacency among them
    replaced by the file's. Needs `geo.add_adjacency` (and `geo.add_regionshape` for polygons). One summary
    entry in the audit trail names the file, its SHA-256 and the counts."""
    needed = ["geo.add_adjacency", "geo.delete_adjacency"]
    if kind == geo.POLYGON:
        needed += ["geo.add_regionshape", "geo.change_regionshape"]
    if not acting_user.has_perms(needed):
        raise PermissionDenied(_("You may not change the geography of regions."))
    plan = geo_upload_check(acting_user=acting_user, kind=kind, data=data, file_name=file_name)
    source = file_name[:200]
    with audit.suspended():
        shapes = shapes_save(
            [(region, shape) for region, shape in plan.shapes], source=source, generated=False
        )
        removed, _by_model = _among(plan.regions).delete()
        written = adjacency_save([(a, b, e) for a, b, e in plan.edges], basis=Basis(kind), source=source)
    audit.audit_import(
        Adjacency,
        object_repr=file_name or _("Geography upload"),
        detail={
            "kind": kind,
            "file": file_name,
            "sha256": plan.sha256,
            "regions": [r.code for r in plan.regions],
            "shapes": shapes,
            "adjacencies_written": written,
            "adjacencies_removed": removed,
        },
    )
    return UploadResult(plan, shapes, written, removed)


def shapes_save(items: Iterable[tuple[Region, geo.Shape]], *, source: str, generated: bool) -> int:
    """Create or replace the shapes of the given regions (bulk; the caller writes the audit entry)."""
    items = list(items)
    RegionShape.objects.filter(region__in=[region for region, _shape in items]).delete()
    RegionShape.objects.bulk_create(
        [
            RegionShape(
                region=region,
                geometry=shape.geometry,
                centroid_lon=shape.centroid[0],
                centroid_lat=shape.centroid[1],
                generated=generated,
                source=source,
            )
            for region, shape in items
        ],
        batch_size=500,
    )
    return len(items)


def adjacency_save(items: Iterable[tuple[Region, Region, geo.Edge]], *, basis: str, source: str) -> int:
    """Create adjacencies (stored with the smaller region id first), replacing an existing one of the same
    pair (bulk; the caller writes the audit entry)."""
    rows: dict[tuple[int, int], Adjacency] = {}
    for a, b, found in items:
        first, second = sorted((a, b), key=lambda r: r.pk)
        rows[(first.pk, second.pk)] = Adjacency(
            region_a=first,
            region_b=second,
            basis=basis,
            shared_border_km=found.shared_border_km,
            source=source,
        )
    ids = {pk for pair in rows for pk in pair}
    existing = Adjacency.objects.filter(region_a__in=ids, region_b__in=ids).values_list(
        "pk", "region_a", "region_b"
    )
    stale = [pk for pk, a, b in existing if (a, b) in rows]
    for start in range(0, len(stale), 500):
        Adjacency.objects.filter(pk__in=stale[start : start + 500]).delete()
    Adjacency.objects.bulk_create(list(rows.values()), batch_size=500)
    return len(rows)


def _among(regions: list[Region]) -> Any:
    ids = [r.pk for r in regions]
    return Adjacency.objects.filter(region_a__in=ids, region_b__in=ids)


# --- resolving what a file names -----------------------------------------------------------------------


Ref = tuple[str, int | None, int | None, int | None]  # text, feature, row, column


def _resolve(acting_user: Any, refs: list[Ref], file_name: str) -> dict[str, Region]:
    """Text (a code, or in a pair list a name) → a region the user may change. A code that does not exist
    and one outside the scope get the same message, so an upload cannot probe for regions."""
    regions = Region.objects.visible_to(acting_user, CHANGE)
    codes = {text for text, *_rest in refs if text.isdigit()}
    by_code = {r.code: r for r in regions.filter(code__in=codes)}
    names = {text for text, *_rest in refs if not text.isdigit()}
    index = _name_index(regions) if names else {}
    resolved: dict[str, Region] = {}
    errors: list[str] = []
    for text, feature, row, column in refs:
        if text in resolved:
            continue
        place = geo.GeographyError("", feature=feature, row=row, column=column)
        if text.isdigit():
            region = by_code.get(text)
            if region is None:
                errors.append(
                    located(
                        file_name, where(place), _("%(code)s is not a region in your scope.") % {"code": text}
                    )
                )
                continue
        else:
            found = _by_name(index, text)
            if not found:
                errors.append(
                    located(
                        file_name,
                        where(place),
                        _("“%(name)s” is not a region in your scope.") % {"name": text},
                    )
                )
                continue
            if len(found) > 1:
                listed = "、".join(f"{r.name} ({r.code})" for r in found[:5])
                errors.append(
                    located(
                        file_name,
                        where(place),
                        _("“%(name)s” could be several regions: %(regions)s; write the code.")
                        % {"name": text, "regions": listed},
                    )
                )
                continue
            region = found[0]
        resolved[text] = region
    if errors:
        raise ValidationError(errors[:MAX_MESSAGES])
    return resolved


def _name_index(regions: Any) -> dict[str, list[Region]]:
    index: dict[str, list[Region]] = {}
    for region in regions.only("pk", "code", "name", "short_name", "level"):
        keys = {region.name, region.short_name, loose_keys(region.name, region.level)[0]} - {""}
        for key in keys:
            index.setdefault(key, []).append(region)
    return index


def _by_name(index: dict[str, list[Region]], text: str) -> list[Region]:
    for key in (text, *loose_keys(text, "village"), *loose_keys(text, "township")):
        if key in index:
            return sorted({r.pk: r for r in index[key]}.values(), key=lambda r: r.code)
    return []


def _check_one_level(plan: UploadPlan, refs: list[Ref], resolved: dict[str, Region], file_name: str) -> None:
    """Adjacency is between regions of one level: a county beside a village means a mistake in the file."""
    first = None
    for text, feature, row, column in refs:
        region = resolved[text]
        if first is None:
            first = region
            continue
        if region.level != first.level:
            place = geo.GeographyError("", feature=feature, row=row, column=column)
            raise ValidationError(
                [
                    located(
                        file_name,
                        where(place),
                        _(
                            "%(region)s is a %(level)s, but %(first)s is a %(first_level)s: name regions of one level."
                        )
                        % {
                            "region": region.name,
                            "level": region.get_level_display(),
                            "first": first.name,
                            "first_level": first.get_level_display(),
                        },
                    )
                ]
            )


def _pair_edges(pairs: list[geo.Pair], resolved: dict[str, Region], file_name: str) -> list[geo.Edge]:
    """Pairs as edges between region ids (names resolved); a pair whose two names are one region is refused."""
    edges = {}
    for pair in pairs:
        a, b = resolved[pair.a], resolved[pair.b]
        if a.pk == b.pk:
            place = geo.GeographyError("", row=pair.row, column=2)
            raise ValidationError(
                [
                    located(
                        file_name,
                        where(place),
                        _("A region cannot be its own neighbour (%(value)s).") % {"value": a.name},
                    )
                ]
            )
        found = geo.edge(str(a.pk), str(b.pk), geo.PAIR_LIST)
        edges[(found.a, found.b)] = found
    return sorted(edges.values())
