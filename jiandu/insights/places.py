"""Where a problem counts on the dashboard: its *unit* (the place rolled up to township level: the summary
tables' region slice) and the county-level unit (county or functional zone) whose figures it adds to.

The rules follow `Region.subtree_q`: a village counts in its township; a township carved out for a
functional zone counts in the zone, not in its statutory county. So "the problems of county C" on the
dashboard are exactly the problems in C's subtree, and a region scope down to township level is a set of
units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiandu.org.models import Level, Region

CHUNK = 2000
# Levels whose subtree is a union of units: scopes at these levels are answered from the tallies.
UNIT_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)


@dataclass(frozen=True)
class Place:
    unit: int
    county: int | None


def places_of(region_ids: Iterable[int]) -> dict[int, Place]:
    """The place of each region, in one query per few thousand regions."""
    ids = sorted(set(region_ids))
    found: dict[int, Place] = {}
    fields = (
        "pk",
        "level",
        "parent_id",
        "functional_zone_id",
        "parent__parent_id",
        "parent__functional_zone_id",
    )
    for start in range(0, len(ids), CHUNK):
        for row in Region.objects.filter(pk__in=ids[start : start + CHUNK]).values(*fields):
            found[row["pk"]] = _place(row)
    return found


def _place(row: dict) -> Place:
    pk, level = row["pk"], row["level"]
    if level == Level.VILLAGE:
        county = row["parent__functional_zone_id"] or row["parent__parent_id"]
        return Place(unit=row["parent_id"], county=county)
    if level == Level.TOWNSHIP:
        return Place(unit=pk, county=row["functional_zone_id"] or row["parent_id"])
    if level == Level.COUNTY:
        return Place(unit=pk, county=pk)
    return Place(unit=pk, county=None)


def regions_of_units(unit_ids: Iterable[int]) -> list[int]:
    """Every region whose problems count in these units: the units and the villages of unit townships."""
    ids = list(set(unit_ids))
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(chunk)
        found.update(
            Region.objects.filter(parent__in=chunk, level=Level.VILLAGE).values_list("pk", flat=True)
        )
    return sorted(found)
