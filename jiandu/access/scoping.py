"""What a user may see: the scope of the body they act for.

A body's scope is its region's subtree. A dispatched group's scope is the departments it supervises (and
the group itself). A user with no body sees nothing, unless a superuser, who sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jiandu.org.models import Body, BodyKind, Region


@dataclass(frozen=True)
class Scope:
    body_id: int | None = None
    region: Region | None = None
    department_ids: frozenset[int] | None = None
    everything: bool = False
    nothing: bool = False

    def region_q(self, path: str) -> Q:
        """Rows whose region (reached by `path`, "" for a Region itself) is inside the scope."""
        if self.region is None:
            return Q(pk__in=[])
        return self.region.subtree_q(path)


NOTHING = Scope(nothing=True)
EVERYTHING = Scope(everything=True)


def scope_of_body(body: Body) -> Scope:
    departments = None
    if body.kind == BodyKind.DISPATCHED_GROUP:
        departments = frozenset(body.supervised_departments.values_list("pk", flat=True))
    return Scope(body_id=body.pk, region=body.region, department_ids=departments)


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_jiandu_scope", None)
    if cached is not None:
        return cached
    if user.body_id is not None:
        body = Body.objects.select_related("region").get(pk=user.body_id)
        scope = scope_of_body(body)
    elif user.is_superuser:
        scope = EVERYTHING
    else:
        scope = NOTHING
    user._jiandu_scope = scope
    return scope
