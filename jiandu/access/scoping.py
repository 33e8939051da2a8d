"""What a user may see: the scope of the body they act for, what is shared with it, minus recusals.

A body's scope is its region's subtree, widened by the regions it covers (a zone group covers the
townships of its zone). A dispatched group's scope is the departments it supervises (and the group
itself). A user with no body sees nothing, unless a superuser, who sees everything. Records shared with
the body (`Share`) are added; recusals (`Recusal`) of the user are taken away whatever the scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from jiandu.org.models import Body, BodyKind, Region


@dataclass(frozen=True)
class Scope:
    body_id: int | None = None
    regions: tuple[Region, ...] = ()
    department_ids: frozenset[int] | None = None
    everything: bool = False
    nothing: bool = False

    @property
    def region(self) -> Region | None:
        """The body's own region (the first of `regions`)."""
        return self.regions[0] if self.regions else None

    def region_q(self, path: str) -> Q:
        """Rows whose region (reached by `path`, "" for a Region itself) is inside the scope."""
        q = Q(pk__in=[])
        for region in self.regions:
            q |= region.subtree_q(path)
        return q


NOTHING = Scope(nothing=True)
EVERYTHING = Scope(everything=True)


@dataclass(frozen=True)
class Recusals:
    """What a user is recused from: single records (content type id → object ids), regions, persons."""

    records: dict[int, frozenset[int]] = field(default_factory=dict)
    regions: tuple[Region, ...] = ()
    person_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.records or self.regions or self.person_ids)


def scope_of_body(body: Body) -> Scope:
    departments = None
    if body.kind == BodyKind.DISPATCHED_GROUP:
        departments = frozenset(body.supervised_departments.values_list("pk", flat=True))
    covered = tuple(body.covered_regions.exclude(pk=body.region_id).order_by("code"))
    return Scope(body_id=body.pk, regions=(body.region, *covered), department_ids=departments)


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_jiandu_scope", None)
    if cached is not None:
        return cached
    if user.body_id is not None:
        body = Body.objects.select_related("region").get(pk=user.body_id)
        scope = scope_of_body(body) if body.is_active else NOTHING
    elif user.is_superuser:
        scope = EVERYTHING
    else:
        scope = NOTHING
    user._jiandu_scope = scope
    return scope


def recusals_for(user: Any) -> Recusals:
    """The user's recusals in force, read once per user object (one request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Recusals()
    cached = getattr(user, "_jiandu_recusals", None)
    if cached is not None:
        return cached
    from jiandu.access.models import Recusal

    records: dict[int, set[int]] = {}
    regions: list[Region] = []
    persons: set[int] = set()
    for recusal in Recusal.objects.filter(user=user, lifted_at__isnull=True).select_related("region"):
        if recusal.region is not None:
            regions.append(recusal.region)
        elif recusal.person_id is not None:
            persons.add(recusal.person_id)
        elif recusal.content_type_id is not None and recusal.object_id is not None:
            records.setdefault(recusal.content_type_id, set()).add(recusal.object_id)
    result = Recusals(
        records={ct: frozenset(ids) for ct, ids in records.items()},
        regions=tuple(regions),
        person_ids=frozenset(persons),
    )
    user._jiandu_recusals = result
    return result


def forget(user: Any) -> None:
    """Drop the scope and recusals cached on `user` (after its body, shares or recusals change)."""
    for name in ("_jiandu_scope", "_jiandu_recusals"):
        if hasattr(user, name):
            delattr(user, name)
