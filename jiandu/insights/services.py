"""Refreshing the dashboard's summary tables. The ledger import calls `insights_refresh(regions=...)` after
it commits; `jiandu refresh-insights` runs it for everything (nightly)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q

from jiandu.access.scoping import Scope, scope_of_body
from jiandu.core.querysets import VIEW
from jiandu.insights.models import ProblemTally, Slice, TallyRefresh
from jiandu.insights.places import places_of, regions_of_units
from jiandu.insights.tallies import REGION_SLICE, Cells, merge, tally
from jiandu.ledger.models import Problem
from jiandu.org.models import Body, Region

BATCH = 5000


@dataclass(frozen=True)
class RefreshResult:
    rows: int
    seconds: float


def insights_refresh(*, regions: Iterable[Region] | None = None) -> RefreshResult:
    """Recount the summary tables: all of them (`regions=None`), or what the problems placed in `regions`
    (and their subtrees) add to: their townships, the departments that answer for them and the bodies that
    found them. Pass the old and the new place of a problem that moved. One transaction: the dashboard
    reads the old figures until the new ones are committed."""
    started = time.perf_counter()
    chosen = None if regions is None else list(regions)
    with transaction.atomic():
        rows = _refresh(chosen)
        seconds = time.perf_counter() - started
        TallyRefresh.objects.create(
            regions=[] if chosen is None else [region.code for region in chosen], rows=rows, seconds=seconds
        )
    return RefreshResult(rows=rows, seconds=seconds)


def _refresh(regions: list[Region] | None) -> int:
    problems = Problem.objects.all()  # derived counts of every problem: scope applies when they are served
    if regions is None:
        ProblemTally.objects.all().delete()
        placed, departments, finders = problems, None, None
    else:
        if not regions:
            return 0
        subtree = Q(pk__in=[])
        for region in regions:
            subtree |= region.subtree_q()
        touched = places_of(Region.objects.filter(subtree).values_list("pk", flat=True))
        units = {place.unit for place in touched.values()}
        placed = problems.filter(region__in=regions_of_units(units))
        departments = set(
            placed.exclude(responsible_department=None)
            .order_by()
            .values_list("responsible_department", flat=True)
            .distinct()
        )
        finders = set(placed.order_by().values_list("found_by", flat=True).distinct())
        stale = (
            Q(slice=Slice.REGION, slice_id__in=units)
            | Q(slice=Slice.DEPARTMENT, slice_id__in=departments)
            | Q(slice=Slice.FINDER, slice_id__in=finders)
        )
        ProblemTally.objects.filter(stale).delete()
    by_department = problems.exclude(responsible_department=None)
    if departments is not None:
        by_department = by_department.filter(responsible_department__in=departments)
    rows = _store(Slice.REGION, tally(placed, REGION_SLICE))
    rows += _store(Slice.DEPARTMENT, tally(by_department, "responsible_department_id"))
    rows += _store(Slice.FINDER, finder_tally(finders))
    return rows


def _store(slice_kind: str, cells: Cells) -> int:
    objs = (
        ProblemTally(
            tile=tile, slice=slice_kind, slice_id=slice_id, key=key, count=cell.count, amount=cell.amount
        )
        for (tile, slice_id, key), cell in cells.items()
        if cell.count
    )
    written = 0
    batch: list[ProblemTally] = []
    for obj in objs:
        batch.append(obj)
        if len(batch) == BATCH:
            written += len(ProblemTally.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(ProblemTally.objects.bulk_create(batch))
    return written


def own_part_q(scope: Scope) -> Q:
    """The problems a body's region or departments give it, leaving out those it sees as their finder."""
    return Problem.objects.all().scope_q(replace(scope, body_id=None), VIEW)


def finder_tally(finders: set[int] | None) -> Cells:
    """The problems each body found outside its own region or departments (cross supervision).

    One pass groups the ledger by finder, place and department; only the bodies with such problems are
    then counted in full, so the cost stays one scan however many bodies find problems."""
    combos = Problem.objects.order_by()
    if finders is not None:
        combos = combos.filter(found_by__in=finders)
    seen: dict[int, set[tuple[int, int | None]]] = {}
    for found_by, region, department in combos.values_list(
        "found_by", "region", "responsible_department"
    ).distinct():
        seen.setdefault(found_by, set()).add((region, department))
    cells: Cells = {}
    in_scope: dict[tuple[int, ...], set[int]] = {}
    for body in Body.objects.filter(pk__in=seen).select_related("region"):
        scope = scope_of_body(body)
        if scope.department_ids is not None:
            outside = any(department not in scope.department_ids for _region, department in seen[body.pk])
        else:
            regions = tuple(region.pk for region in scope.regions)
            if regions not in in_scope:
                in_scope[regions] = set(
                    Region.objects.filter(scope.region_q("")).values_list("pk", flat=True)
                )
            outside = any(region not in in_scope[regions] for region, _department in seen[body.pk])
        if outside:
            found = Problem.objects.filter(found_by=body).exclude(own_part_q(scope))
            merge(cells, tally(found, "found_by_id"))
    return cells
