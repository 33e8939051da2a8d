"""The one scoping method every read of user-facing records goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to cut itself down to what a user may see or change.

    Subclasses implement `scope_q(scope, action)`, and name the paths that recusals follow:
    `region_path` leads to the region a record is about ("" for a Region itself), `person_path` to the
    person it is about ("" for a Person itself); None when the record is not about one. Views, API,
    exports, reports and jobs read through `visible_to` and nothing else.
    """

    region_path: ClassVar[str | None] = None
    person_path: ClassVar[str | None] = None
    # False when `scope_q` follows no to-many relation, so no row can come twice: no DISTINCT, and a
    # newest-first page of millions of rows stays an index scan (the problem ledger).
    scope_may_repeat_rows: ClassVar[bool] = True

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        from jiandu.access.scoping import recusals_for, scope_for

        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        scope = scope_for(user)
        if scope.nothing:
            return self.none()
        if scope.everything:
            qs = self.all()
        else:
            qs = self.filter(self.scope_q(scope, action) | self._shared_q(scope, action))
            if self.scope_may_repeat_rows:
                qs = qs.distinct()
        recusals = recusals_for(user)
        return self._without_recusals(qs, recusals) if recusals else qs

    def scope_q(self, scope: Scope, action: str) -> models.Q:  # pragma: no cover - abstract
        raise NotImplementedError(f"{self.model.__name__} has no scope rule")

    def _shared_q(self, scope: Scope, action: str) -> models.Q:
        from jiandu.access.models import Share

        shares = Share.objects.filter(
            body=scope.body_id,
            content_type=ContentType.objects.get_for_model(self.model),
            revoked_at__isnull=True,
        )
        if action == CHANGE:
            shares = shares.filter(can_change=True)
        return models.Q(pk__in=shares.values("object_id"))

    def _without_recusals(self, qs: Self, recusals: Any) -> Self:
        ids = recusals.records.get(ContentType.objects.get_for_model(self.model).pk)
        if ids:
            qs = qs.exclude(pk__in=ids)
        if self.region_path is not None:
            for region in recusals.regions:
                qs = qs.exclude(region.subtree_q(self.region_path))
        if self.person_path is not None and recusals.person_ids:
            field = f"{self.person_path}__in" if self.person_path else "pk__in"
            qs = qs.exclude(**{field: recusals.person_ids})
        return qs


class DependentQuerySet(ScopedQuerySet):
    """Records that belong to another scoped record (a problem's evidence, a rectification's reports): they
    are visible exactly when every record they hang from is, shares and recusals included.

    `parent_paths` name the foreign keys to those records (their models must be scoped themselves).
    """

    parent_paths: ClassVar[tuple[str, ...]] = ()

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        qs = self.all()
        for path in self.parent_paths:
            parent = self.model._meta.get_field(path).related_model
            qs = qs.filter(**{f"{path}__in": parent.objects.visible_to(user, action).values("pk")})
        return qs


class VocabularyQuerySet(ScopedQuerySet):
    """A shared vocabulary (skills, problem sources, categories), not a record about anyone: every user with
    a scope sees all of it."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        return models.Q(pk__isnull=False)


class AuditEntryQuerySet(ScopedQuerySet):
    """Audit entries: an auditor sees the entries of actors who acted for a body in their scope; a
    superuser without a body sees all. Nothing is ever shared or recused here, and nobody may change an
    entry, so `visible_to(user, "change")` is empty. Writes through the queryset are refused."""

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        from jiandu.access.scoping import scope_for

        scope = scope_for(user)
        if action != VIEW or scope.nothing:
            return self.none()
        if scope.everything:
            return self.all()
        # No join, so no DISTINCT: newest-first pages stay an index scan on millions of rows.
        return self.filter(self.scope_q(scope, action))

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        from jiandu.org.models import Body

        bodies = Body.objects.filter(Body.objects.all().scope_q(scope, action)).values("pk")
        return models.Q(body_id__in=bodies)

    def update(self, **kwargs: Any) -> int:
        raise self._immutable()

    def delete(self) -> Any:
        raise self._immutable()

    def _raw_delete(self, using: Any) -> Any:
        raise self._immutable()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise self._immutable()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        raise self._immutable()

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise self._immutable()

    @staticmethod
    def _immutable() -> Exception:
        from jiandu.core.models import AuditTrailImmutable

        return AuditTrailImmutable("audit entries cannot be changed or deleted")


class VersionStatus(models.TextChoices):
    """The life of a versioned decision (a zone plan, a selection run): drafted, approved, then superseded
    by the next approved version of the same region and kind."""

    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    SUPERSEDED = "superseded", _("superseded")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
