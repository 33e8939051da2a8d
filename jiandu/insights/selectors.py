"""The dashboard's problem figures for a user: what `Problem.objects.visible_to(user)` holds, counted.

visible = (A ∪ S) − R, where A is what the scope gives (the body's region subtree or departments, and what
it found itself), S the problems shared with the body and R those the user is recused from. A is read from
the summary tables when the scope is a union of their slices (regions down to township level, a dispatched
group's departments); a scope below township level (a village, a zone of villages) counts A directly, which
is small. S − A − R is added and A ∩ R subtracted, both counted directly: there are few of either.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from jiandu.access.models import Share
from jiandu.access.scoping import Recusals, Scope, recusals_for, scope_for
from jiandu.insights.models import ProblemTally, Slice
from jiandu.insights.places import UNIT_LEVELS
from jiandu.insights.tallies import TILES, Cell, tally
from jiandu.ledger.models import Problem
from jiandu.org.models import Region

# tile -> figure key -> cell
Figures = dict[str, dict[str, Cell]]


def problem_figures(user: Any) -> Figures:
    """Every problem tile's figures for `user`, equal to counting `Problem.objects.visible_to(user)`."""
    scope = scope_for(user)
    figures: Figures = {tile: defaultdict(Cell) for tile in TILES}
    if scope.nothing:
        return figures
    recusals = recusals_for(user)
    units = tally_units(scope)
    if units is None:
        _add(figures, tally(Problem.objects.filter(scope_part_q(scope))))
    else:
        for tile in TILES:
            for row in tile_rows(scope, units, tile):
                figures[tile][row["key"]].add(row["count"], row["amount"])
    if scope.body_id is not None and not scope.everything:
        shared = Share.objects.filter(
            body=scope.body_id,
            content_type=ContentType.objects.get_for_model(Problem),
            revoked_at__isnull=True,
        ).values("object_id")
        if shared.exists():
            extra = Problem.objects.visible_to(user).filter(pk__in=shared).exclude(scope_part_q(scope))
            _add(figures, tally(extra))
    if recusals:
        hidden = Problem.objects.filter(scope_part_q(scope)).filter(recused_q(recusals))
        _add(figures, tally(hidden), sign=-1)
    return figures


def tally_units(scope: Scope) -> list[int] | None:
    """The region slices that make up a region scope ([] for a department scope); None when the scope goes
    below township level and cannot be read from the summary tables."""
    if scope.everything or scope.department_ids is not None:
        return []
    if any(region.level not in UNIT_LEVELS for region in scope.regions):
        return None
    return list(Region.objects.filter(scope.region_q(""), level__in=UNIT_LEVELS).values_list("pk", flat=True))


def tile_rows(scope: Scope, units: list[int], tile: str) -> Any:
    """One tile's figures for a scope, summed from the summary table: one indexed query."""
    if scope.everything:
        where = Q(slice=Slice.REGION)
    elif scope.department_ids is not None:
        where = Q(slice=Slice.DEPARTMENT, slice_id__in=scope.department_ids)
    else:
        where = Q(slice=Slice.REGION, slice_id__in=units)
    if scope.body_id is not None:
        where |= Q(slice=Slice.FINDER, slice_id=scope.body_id)
    return (
        ProblemTally.objects.filter(where, tile=tile)
        .order_by()
        .values("key")
        .annotate(count=Sum("count"), amount=Sum("amount"))
    )


def scope_part_q(scope: Scope) -> Q:
    """A: the problems the scope gives, as `ProblemQuerySet.scope_q` states it, with the region subtree as
    a subquery on regions, so the database can use the indexes on the finder and the place."""
    if scope.everything:
        return Q(pk__isnull=False)
    own = Q(found_by=scope.body_id)
    if scope.department_ids is not None:
        return own | Q(responsible_department__in=scope.department_ids)
    return own | Q(region__in=Region.objects.filter(scope.region_q("")).values("pk"))


def recused_q(recusals: Recusals) -> Q:
    """R: the problems a user's recusals hide, following the paths `ScopedQuerySet` excludes by."""
    q = Q(pk__in=recusals.records.get(ContentType.objects.get_for_model(Problem).pk, ()))
    path = Problem.objects.all().region_path
    if path is not None:
        for region in recusals.regions:
            q |= region.subtree_q(path)
    return q


def _add(figures: Figures, cells: Any, sign: int = 1) -> None:
    for (tile, _slice, key), cell in cells.items():
        figures[tile][key].add(cell.count, cell.amount, sign)
