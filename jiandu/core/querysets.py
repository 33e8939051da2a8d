"""The one scoping method every read of user-facing records goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to cut itself down to what a user may see or change.

    Subclasses implement `scope_q(scope, action)`; views, API, exports and jobs call `visible_to`.
    """

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        from jiandu.access.scoping import scope_for

        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        scope = scope_for(user)
        if scope.nothing:
            return self.none()
        if scope.everything:
            return self.all()
        return self.filter(self.scope_q(scope, action)).distinct()

    def scope_q(self, scope: Scope, action: str) -> models.Q:  # pragma: no cover - abstract
        raise NotImplementedError(f"{self.model.__name__} has no scope rule")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
