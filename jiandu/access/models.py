"""Accounts: every user acts for one body, which sets what they may see."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import ScopedQuerySet

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class UserQuerySet(ScopedQuerySet):
    """An account is seen by those whose scope holds the body it acts for (an account without a body, a
    superuser's, only by superusers); a recusal from a person or a region hides their accounts too."""

    region_path = "body__region"
    person_path = "person"

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        from jiandu.org.models import Body

        bodies = Body.objects.filter(Body.objects.all().scope_q(scope, action))
        return models.Q(body__in=bodies)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user …) with `visible_to`."""


class User(AbstractUser):
    """A platform account. `body` is the body the user acts for; `person` links to the registry entry."""

    body = models.ForeignKey(
        "org.Body",
        verbose_name=_("acts for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    # Part of the session hash: a new stamp ends every session of the user ("log out everywhere").
    security_stamp = models.CharField(_("security stamp"), max_length=32, default="", editable=False)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator chose the password; the user sets their own at next sign-in."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def rotate_security_stamp(self) -> None:
        """Invalidate every session of the user (the caller saves `security_stamp`)."""
        self.security_stamp = secrets.token_hex(16)

    def _stamped_session_hash(self, secret: str | None = None) -> str:
        key_salt = "jiandu.access.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.security_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        # Django's hash covers the password only; the stamp lets a user end their sessions without one.
        return self._stamped_session_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._stamped_session_hash(secret=fallback_secret)


class Share(models.Model):
    """A record shared with a body outside its scope (a township shares a problem with its zone group).

    Sharing is an explicit act with a reason; revoking keeps the row, so the history stays readable.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("record"))
    record = GenericForeignKey("content_type", "object_id")
    body = models.ForeignKey(
        "org.Body", verbose_name=_("shared with"), on_delete=models.PROTECT, related_name="shares"
    )
    can_change = models.BooleanField(_("may change"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    shared_by = models.ForeignKey(
        User, verbose_name=_("shared by"), on_delete=models.PROTECT, related_name="shares_made"
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shares_revoked",
    )

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["body", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id} → {self.body}"

    def audit_action(self, *, created: bool, changes: dict[str, Any]) -> str | None:
        """The trail says "share" and "revoke a share", not create and change."""
        from jiandu.core.models import AuditAction

        if created:
            return AuditAction.SHARE
        return AuditAction.REVOKE if "revoked_at" in changes and self.revoked_at else None


class RecusalQuerySet(ScopedQuerySet):
    """A recusal is seen by those whose scope holds the body of the recused user."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        from jiandu.org.models import Body

        bodies = Body.objects.filter(Body.objects.all().scope_q(scope, action))
        return models.Q(user__body__in=bodies)


class Recusal(models.Model):
    """回避: hides one record, or everything about a person or a region, from a user whatever their scope.

    Exactly one target is set: a record (`content_type` + `object_id`), a `person` or a `region`.
    """

    user = models.ForeignKey(
        User, verbose_name=_("recused user"), on_delete=models.PROTECT, related_name="recusals"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("about person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recusals",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("about region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recusals",
    )
    reason = models.CharField(_("reason"), max_length=200)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="recusals_decided"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recusals_lifted",
    )

    objects = RecusalQuerySet.as_manager()

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        content_type__isnull=False,
                        object_id__isnull=False,
                        person__isnull=True,
                        region__isnull=True,
                    )
                    | models.Q(
                        content_type__isnull=True,
                        object_id__isnull=True,
                        person__isnull=False,
                        region__isnull=True,
                    )
                    | models.Q(
                        content_type__isnull=True,
                        object_id__isnull=True,
                        person__isnull=True,
                        region__isnull=False,
                    )
                ),
                name="access_recusal_one_target",
            )
        ]

    def __str__(self) -> str:
        target = self.region or self.person or f"{self.content_type} #{self.object_id}"
        return f"{self.user} ⟂ {target}"

    def audit_action(self, *, created: bool, changes: dict[str, Any]) -> str | None:
        """The trail says "recuse" and "lift a recusal", not create and change."""
        from jiandu.core.models import AuditAction

        if created:
            return AuditAction.RECUSE
        return AuditAction.LIFT if "lifted_at" in changes and self.lifted_at else None
