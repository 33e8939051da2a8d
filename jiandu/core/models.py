"""The audit trail: an append-only, hash-chained record of every change and of every view or export of a
confidential record (jiandu/core/audit/ writes and verifies it; docs/architecture.md, "Audit trail")."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import AuditEntryQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("create")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    VIEW = "view", _("view")
    EXPORT = "export", _("export")
    SHARE = "share", _("share")
    REVOKE = "revoke", _("revoke a share")
    RECUSE = "recuse", _("recuse")
    LIFT = "lift", _("lift a recusal")
    LOGIN = "login", _("sign in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("sign out")
    IMPORT = "import", _("import")
    COMMAND = "command", _("command")


class AuditTrailImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry through the application."""


class AuditEntry(models.Model):
    """One entry of the audit trail. Entries are only ever appended, by `jiandu.core.audit.chain.append`.

    The actor is kept as plain values, not foreign keys: deleting or renaming a user or a body never
    rewrites history. `hash` is SHA-256 over a canonical JSON of every other field, `prev_hash` included,
    so that editing, removing or inserting an entry breaks the chain (`jiandu audit-verify`).
    """

    seq = models.BigAutoField(_("sequence number"), primary_key=True)
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    body_id = models.BigIntegerField(_("body id"), null=True, blank=True)
    body_name = models.CharField(_("acting for"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("kind of record"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    prev_hash = models.CharField(_("hash of the previous entry"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        # Only viewing: nobody is given a permission to add, change or delete entries.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["body_id", "-seq"], name="core_audit_body_seq"),
            models.Index(fields=["model", "object_id"], name="core_audit_object"),
            models.Index(fields=["actor_id", "-seq"], name="core_audit_actor_seq"),
            models.Index(fields=["at"], name="core_audit_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model} {self.object_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only the chain creates entries (it sets `_chained` after computing the hash under the head lock).
        if not self._state.adding or not getattr(self, "_chained", False):
            raise AuditTrailImmutable("audit entries are appended by jiandu.core.audit, never saved directly")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailImmutable("audit entries cannot be deleted")


class AuditHead(models.Model):
    """The one row (pk 1) that serialises appends: a writer locks it (SELECT … FOR UPDATE) inside the
    transaction of its change, reads the last sequence number and hash, and moves them on."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit trail head")
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
