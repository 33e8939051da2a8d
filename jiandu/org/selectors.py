"""Reads of the organisation registry: the staffing table and scope summaries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count

from jiandu.org.models import (
    VILLAGE_COMMITTEE_POST_KINDS,
    VILLAGE_POST_KINDS,
    Body,
    BodyKind,
    Level,
    Post,
    PostKind,
    Region,
    RegionKind,
)

LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
KIND_ORDER = list(BodyKind.values)
# The three village posts that 三员合一 puts on one person.
THREE_IN_ONE = {
    PostKind.VILLAGE_DISCIPLINE_MEMBER.value,
    PostKind.VILLAGE_COMMITTEE_CHAIR.value,
    PostKind.LIVELIHOOD_SUPERVISOR.value,
}


@dataclass
class BodyRow:
    kind: str
    kind_label: str
    level: str
    level_label: str
    bodies: int = 0
    establishment: int = 0
    headcount: int = 0
    vacancies: int = 0


@dataclass
class VillagePostRow:
    kind: str
    label: str
    posts: int
    people: int


@dataclass
class StaffingReport:
    region_code: str
    region_name: str
    bodies: list[BodyRow] = field(default_factory=list)
    village_posts: list[VillagePostRow] = field(default_factory=list)
    village_committee_members: int = 0
    village_supervisors: int = 0
    three_in_one: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _staffing_units(bodies: dict[int, dict[str, Any]]) -> dict[int, int]:
    """Map each body to the body whose establishment it is staffed within (itself if it has one).

    An internal office counts within its commission; a body with no establishment anywhere above it
    (a village committee, a task force) is its own unit.
    """
    units: dict[int, int] = {}
    for body_id in bodies:
        node = body_id
        while bodies[node]["establishment"] is None and bodies[node]["parent_id"] in bodies:
            node = bodies[node]["parent_id"]
        units[body_id] = node if bodies[node]["establishment"] is not None else body_id
    return units


def staffing_report(region: Region) -> StaffingReport:
    """Posts and headcount per kind and level of body, and village posts, in the region's subtree.

    Everything is counted from the records: establishment from the bodies, headcount as distinct people
    with an active post in each staffing unit, village figures from the village posts.
    """
    report = StaffingReport(region_code=region.code, region_name=region.name)
    bodies = {
        row["id"]: row
        for row in Body.objects.filter(region.subtree_q("region"), is_active=True).values(
            "id", "kind", "level", "parent_id", "establishment"
        )
    }
    units = _staffing_units(bodies)
    people_per_unit: dict[int, set[int]] = defaultdict(set)
    for body_id, person_id in (
        Post.objects.active().filter(body_id__in=bodies).values_list("body_id", "person_id")
    ):
        people_per_unit[units[body_id]].add(person_id)

    rows: dict[tuple[str, str], BodyRow] = {}
    for unit_id in sorted(set(units.values())):
        unit = bodies[unit_id]
        key = (unit["kind"], unit["level"])
        if key not in rows:
            rows[key] = BodyRow(
                kind=unit["kind"],
                kind_label=str(BodyKind(unit["kind"]).label),
                level=unit["level"],
                level_label=str(Level(unit["level"]).label),
            )
        row = rows[key]
        row.bodies += 1
        row.establishment += unit["establishment"] or 0
        row.headcount += len(people_per_unit[unit_id])
        if unit["establishment"] is not None:
            row.vacancies += max(unit["establishment"] - len(people_per_unit[unit_id]), 0)
    report.bodies = sorted(
        rows.values(), key=lambda r: (LEVEL_ORDER.index(Level(r.level)), KIND_ORDER.index(r.kind))
    )

    village_posts = Post.objects.active().filter(region.subtree_q("region"), kind__in=VILLAGE_POST_KINDS)
    counts = {
        row["kind"]: row
        for row in village_posts.values("kind").annotate(
            posts=Count("pk"), people=Count("person", distinct=True)
        )
    }
    for kind in VILLAGE_POST_KINDS:
        row = counts.get(kind.value, {"posts": 0, "people": 0})
        report.village_posts.append(
            VillagePostRow(kind=kind.value, label=str(kind.label), posts=row["posts"], people=row["people"])
        )
    report.village_committee_members = sum(
        r.posts for r in report.village_posts if r.kind in {k.value for k in VILLAGE_COMMITTEE_POST_KINDS}
    )
    report.village_supervisors = village_posts.values("person").distinct().count()

    held: dict[tuple[int, int], set[str]] = defaultdict(set)
    for person_id, region_id, kind in village_posts.values_list("person_id", "region_id", "kind"):
        held[(person_id, region_id)].add(kind)
    report.three_in_one = sum(1 for kinds in held.values() if THREE_IN_ONE <= kinds)
    return report


def scope_summary(region: Region | None) -> dict[str, int]:
    """Counts shown on the home page for a scope."""
    if region is None:
        return {}
    regions = Region.objects.filter(region.subtree_q())
    by_kind = dict(regions.values_list("kind").annotate(n=Count("pk")))
    return {
        "counties": by_kind.get(RegionKind.COUNTY, 0) + by_kind.get(RegionKind.FUNCTIONAL_ZONE, 0),
        "townships": by_kind.get(RegionKind.TOWNSHIP, 0),
        "villages": by_kind.get(RegionKind.VILLAGE, 0),
        "bodies": Body.objects.filter(region.subtree_q("region")).count(),
        "people": Post.objects.active()
        .filter(region.subtree_q("region"))
        .values("person")
        .distinct()
        .count(),
    }
