"""Counting problems into tile figures: the one aggregation behind the summary tables and the direct counts.

A *cell* is (count, amount). `tally(problems, slice_field)` groups a problem queryset per tile, figure key
and slice: the refresh stores what it returns, the dashboard counts small corrections (shared and recused
problems, scopes below township level) with the very same function, so both count alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from jiandu.insights.places import Place, places_of

# The problem tiles, in page order. The county comes from the place (its subtree, as the ledger's place
# filter cuts it); the township is the responsible township (the townships' ledger; none: the departments').
PLACE_TILES = ("county",)
FIELD_TILES = {
    "township": "responsible_region_id",
    "source": "source_id",
    "category": "category_id",
    "month": "month",
    "status": "status",
}
TILES = (*PLACE_TILES, *FIELD_TILES)
# Slice fields: the place (rolled up to its unit), the responsible department, the finder.
REGION_SLICE = "region_id"


@dataclass
class Cell:
    count: int = 0
    amount: Decimal = Decimal(0)

    def add(self, count: int, amount: Decimal | None, sign: int = 1) -> None:
        self.count += sign * count
        self.amount += sign * (amount or Decimal(0))


# (tile, slice id or None, figure key) -> cell
Cells = dict[tuple[str, int | None, str], Cell]


def key_of(value: Any) -> str:
    """The figure key stored for a grouped value: ids as digits, months as YYYY-MM, none as ""."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)


def tally(problems: QuerySet, slice_field: str | None = None) -> Cells:
    """Count `problems` per tile and figure, per slice (`region_id`: the place's unit; any other field:
    its value; None: one slice for all)."""
    cells: Cells = defaultdict(Cell)
    for row, place in _grouped(problems, slice_field, "county"):
        slice_id = _slice(row, place, slice_field)
        assert place is not None
        cells[("county", slice_id, key_of(place.county))].add(row["n"], row["amount"])
    for tile, field in FIELD_TILES.items():
        for row, place in _grouped(problems, slice_field, tile):
            cells[(tile, _slice(row, place, slice_field), key_of(row[field]))].add(row["n"], row["amount"])
    return cells


def _grouped(problems: QuerySet, slice_field: str | None, tile: str) -> Iterator[tuple[dict, Place | None]]:
    fields: list[str] = []
    if slice_field:
        fields.append(slice_field)
    if tile in PLACE_TILES:
        fields.append(REGION_SLICE)
    else:
        fields.append(FIELD_TILES[tile])
    qs = problems.order_by()
    if tile == "month":
        qs = qs.annotate(month=TruncMonth("found_on"))
    rows = list(qs.values(*dict.fromkeys(fields)).annotate(n=Count("pk"), amount=Sum("amount")))
    places = places_of(row[REGION_SLICE] for row in rows) if REGION_SLICE in fields else {}
    for row in rows:
        yield row, places.get(row[REGION_SLICE]) if places else None


def _slice(row: dict, place: Place | None, slice_field: str | None) -> int | None:
    if slice_field is None:
        return None
    if slice_field == REGION_SLICE:
        assert place is not None
        return place.unit
    return row[slice_field]


def merge(into: Cells, other: Cells, sign: int = 1) -> Cells:
    for key, cell in other.items():
        into.setdefault(key, Cell()).add(cell.count, cell.amount, sign)
    return into
