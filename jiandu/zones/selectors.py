"""Reads for zone planning: the units of a region at a level, their staff counted from the registry, their
adjacency and map positions, and the comparison of a draft with the approved plan.

Staff are counted, never stored (docs/architecture.md, zones):
- townships (collaboration and case-review zones): the distinct people holding an active director, deputy
  director, full-time supervisor or cadre post in the township's office (乡镇纪委/监察办公室);
- villages (livelihood zones): the distinct people holding an active livelihood supervisor or village
  discipline member post on the village — one person holding both (三员合一) counts once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from jiandu.geo.models import Adjacency, RegionShape
from jiandu.lib.zoning import Rules, Unit
from jiandu.org.models import BodyKind, Level, PostKind, Region, RegionKind
from jiandu.zones.models import PlanKind, Zone, ZoneMember, ZonePlan

TOWNSHIP_CADRE_POSTS = (
    PostKind.DIRECTOR,
    PostKind.DEPUTY_DIRECTOR,
    PostKind.SUPERVISOR,
    PostKind.STAFF,
)
VILLAGE_SUPERVISOR_POSTS = (PostKind.LIVELIHOOD_SUPERVISOR, PostKind.VILLAGE_DISCIPLINE_MEMBER)

# Kind of plan → (levels of the region it may cover, level of its units, default minimum staff).
KIND_RULES: dict[str, tuple[tuple[str, ...], str | None, int]] = {
    PlanKind.TOWNSHIP: ((Level.COUNTY,), Level.TOWNSHIP, 13),
    PlanKind.VILLAGE: ((Level.COUNTY, Level.TOWNSHIP), Level.VILLAGE, 3),
    PlanKind.CASE_REVIEW: ((Level.CITY,), Level.TOWNSHIP, 0),
    PlanKind.CUSTOM: ((Level.CITY, Level.COUNTY, Level.TOWNSHIP), None, 0),
}
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


def default_min_staff(kind: str) -> int:
    return KIND_RULES[kind][2]


def unit_level_for(kind: str, region: Region, unit_level: str | None) -> str | None:
    """The level of the plan's units, or None when the kind does not fit the region (or the level)."""
    levels, fixed, _staff = KIND_RULES[kind]
    if region.level not in levels:
        return None
    level = fixed or unit_level
    if level not in (Level.TOWNSHIP, Level.VILLAGE):
        return None
    if LEVEL_ORDER.index(Level(level)) <= LEVEL_ORDER.index(Level(region.level)):
        return None
    return level


def units_of(region: Region, level: str, user: Any = None) -> QuerySet[Region]:
    """The region's units at `level` (a county without its carved townships; a functional zone's carved
    ones), only those `user` may see when given."""
    qs = Region.objects.visible_to(user) if user is not None else Region.objects.all()
    qs = qs.filter(region.subtree_q(), level=level)
    if region.kind == RegionKind.FUNCTIONAL_ZONE:
        qs = qs.exclude(pk=region.pk)
    return qs.order_by("code")


def unit_staff(level: str, region_ids: list[int]) -> dict[int, int]:
    """Staff per unit (region id → people), counted from the registry's active posts."""
    from jiandu.org.models import Post

    posts = Post.objects.filter(region__in=region_ids, ended_on__isnull=True)
    if level == Level.TOWNSHIP:
        posts = posts.filter(kind__in=TOWNSHIP_CADRE_POSTS, body__kind=BodyKind.TOWNSHIP_OFFICE)
    else:
        posts = posts.filter(kind__in=VILLAGE_SUPERVISOR_POSTS)
    counts = posts.values("region").annotate(n=Count("person", distinct=True))
    found = {row["region"]: row["n"] for row in counts}
    return {pk: found.get(pk, 0) for pk in region_ids}


@dataclass
class Units:
    """What the planner needs about a plan's units, and how to name them."""

    regions: dict[str, Region]
    units: list[Unit]
    edges: list[tuple[str, str]]
    staff: dict[str, int] = field(default_factory=dict)


def load_units(region: Region, level: str, user: Any = None) -> Units:
    regions = list(units_of(region, level, user))
    ids = [r.pk for r in regions]
    staff_by_id = unit_staff(level, ids)
    positions = unit_positions(ids)
    units = []
    for r in regions:
        x, y = positions.get(r.pk, (None, None))
        units.append(Unit(code=r.code, staff=staff_by_id[r.pk], x=x, y=y))
    code_of = {r.pk: r.code for r in regions}
    pairs = Adjacency.objects.filter(region_a__in=ids, region_b__in=ids).values_list("region_a", "region_b")
    edges = [(code_of[a], code_of[b]) for a, b in pairs]
    return Units(
        regions={r.code: r for r in regions},
        units=units,
        edges=edges,
        staff={r.code: staff_by_id[r.pk] for r in regions},
    )


def unit_positions(ids: list[int]) -> dict[int, tuple[float, float]]:
    """Centroids projected to kilometres (equirectangular about the mean latitude: zones are small)."""
    rows = list(
        RegionShape.objects.filter(region__in=ids).values_list("region", "centroid_lon", "centroid_lat")
    )
    if not rows:
        return {}
    lat0 = math.radians(sum(lat for _r, _lon, lat in rows) / len(rows))
    return {pk: (lon * 111.32 * math.cos(lat0), lat * 110.57) for pk, lon, lat in rows}


def rules_of(plan: ZonePlan) -> Rules:
    return Rules(
        min_size=plan.min_size,
        max_size=plan.max_size,
        min_staff=plan.min_staff,
        target_zones=plan.target_zones,
        together=[frozenset(group) for group in plan.together],
        apart=[frozenset(group) for group in plan.apart],
        seed=plan.seed,
    )


def zones_with_members(plan: ZonePlan) -> list[Zone]:
    """The plan's zones, each with `codes` (its units' codes) and `regions`, in two queries."""
    zones = list(Zone.objects.filter(plan=plan).select_related("chief_reviewer", "group").order_by("number"))
    members: dict[int, list[Region]] = {}
    for m in ZoneMember.objects.filter(plan=plan).select_related("region").order_by("region__code"):
        members.setdefault(m.zone_id, []).append(m.region)
    for zone in zones:
        zone.regions = members.get(zone.pk, [])  # type: ignore[attr-defined]
        zone.codes = [r.code for r in zone.regions]  # type: ignore[attr-defined]
    return zones


def assignment(plan: ZonePlan) -> dict[str, list[str]]:
    """Zone number (as text) → unit codes."""
    out: dict[str, list[str]] = {}
    for number, code in ZoneMember.objects.filter(plan=plan).values_list("zone__number", "region__code"):
        out.setdefault(str(number), []).append(code)
    return out


def current_approved(plan: ZonePlan) -> ZonePlan | None:
    return (
        ZonePlan.objects.filter(region=plan.region_id, kind=plan.kind, status="approved")
        .exclude(pk=plan.pk)
        .first()
    )


@dataclass
class Comparison:
    """A plan against the approved one: matched zones, units that move, zones added and removed."""

    base: ZonePlan | None
    moves: list[dict[str, Any]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)


def zone_plan_compare(*, plan: ZonePlan, base: ZonePlan | None = None) -> Comparison:
    """Compare `plan` with `base` (default: the approved plan of its region and kind). Zones are matched
    one to one by the units they share, most shared first; a unit moves when its zone's match differs from
    its old zone (or it enters or leaves every zone)."""
    base = base or current_approved(plan)
    result = Comparison(base=base)
    if base is None:
        return result
    new = {z.number: z for z in zones_with_members(plan)}
    old = {z.number: z for z in zones_with_members(base)}
    overlaps = []
    for n, zn in new.items():
        for o, zo in old.items():
            shared = len(set(zn.codes) & set(zo.codes))  # type: ignore[attr-defined]
            if shared:
                overlaps.append((-shared, n, o))
    match: dict[int, int] = {}
    used: set[int] = set()
    for _shared, n, o in sorted(overlaps):
        if n not in match and o not in used:
            match[n] = o
            used.add(o)
    result.matched = [(new[n].name, old[o].name) for n, o in sorted(match.items())]
    result.added = [new[n].name for n in sorted(new) if n not in match]
    result.removed = [old[o].name for o in sorted(old) if o not in used]
    old_zone = {code: o for o, z in old.items() for code in z.codes}  # type: ignore[attr-defined]
    new_zone = {code: n for n, z in new.items() for code in z.codes}  # type: ignore[attr-defined]
    regions = {r.code: r for z in [*new.values(), *old.values()] for r in z.regions}  # type: ignore[attr-defined]
    none = _("no zone")
    for code in sorted(set(old_zone) | set(new_zone)):
        n, o = new_zone.get(code), old_zone.get(code)
        if n is not None and o is not None and match.get(n) == o:
            continue
        result.moves.append(
            {
                "region": regions[code],
                "from": old[o].name if o is not None else none,
                "to": new[n].name if n is not None else none,
            }
        )
    return result


CASE_REVIEW_OFFICE = "审理"


def chief_reviewer_candidates(zone: Zone, user: Any = None) -> QuerySet[Any]:
    """Who may be a case-review zone's chief reviewer: people with an active post (not a village post) in
    the township offices of the zone's townships, or in the commission of those townships' county — in its
    case-review office (an office whose name holds 审理) when the county has one, else in the commission
    itself. With `user`, only the posts that user sees. Ordered by name."""
    from jiandu.org.models import VILLAGE_POST_KINDS, Body, Person, Post

    townships = list(ZoneMember.objects.filter(zone=zone).values_list("region_id", "region__parent_id"))
    counties = {county for _town, county in townships if county}
    commissions = Body.objects.filter(region__in=counties, kind=BodyKind.COMMISSION, is_active=True)
    bodies = set(
        Body.objects.filter(
            region__in=[town for town, _county in townships], kind=BodyKind.TOWNSHIP_OFFICE, is_active=True
        ).values_list("pk", flat=True)
    )
    for commission in commissions:
        review = Body.objects.filter(
            parent=commission, kind=BodyKind.OFFICE, name__contains=CASE_REVIEW_OFFICE, is_active=True
        ).values_list("pk", flat=True)
        bodies.update(review or [commission.pk])
    posts = Post.objects.visible_to(user) if user is not None else Post.objects.all()
    posts = posts.active().filter(body__in=bodies).exclude(kind__in=VILLAGE_POST_KINDS)
    return Person.objects.filter(pk__in=posts.values("person_id")).order_by("name", "pk")
