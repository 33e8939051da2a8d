"""In-app reminders: a filing due soon, a rectification overdue. Addressed to a body (everyone acting for
it sees the reminder) or to one user. `key` makes sending idempotent: the nightly job and a re-run after an
import never send the same reminder twice."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import ACTIONS, VIEW, ScopedQuerySet


class NoticeKind(models.TextChoices):
    FILING_DUE = "filing_due", _("filing due")
    FILING_MISSING = "filing_missing", _("filing missing")
    RECTIFICATION_DUE = "rectification_due", _("rectification due soon")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("rectification overdue")
    VERIFICATION_DUE = "verification_due", _("verification waiting")
    OTHER = "other", _("other")


class NoticeQuerySet(ScopedQuerySet):
    """A reminder is for its addressee only: the user, or whoever acts for the body. Nobody else, whatever
    their scope, reads another body's reminders; and none is ever shared."""

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = Q(user=user.pk)
        if user.body_id is not None:
            q |= Q(body=user.body_id, user__isnull=True)
        return self.filter(q)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    body = models.ForeignKey(
        "org.Body", verbose_name=_("body"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    # The message as sent, in the site's language (what the list searches), and what it was made of: the
    # untranslated text and its values, so that each reader gets it in their own language.
    message = models.CharField(_("message"), max_length=300)
    text = models.CharField(max_length=300, blank=True, editable=False)
    args = models.JSONField(default=dict, blank=True, editable=False)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    key = models.CharField(max_length=120, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()
    # Reminders are the platform talking, not a record anyone changes: no audit entry for each.
    audited = False

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["read_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(user__isnull=False), name="notices_notice_addressed"
            ),
            models.UniqueConstraint(fields=["key"], name="notices_notice_unique_key"),
        ]

    def __str__(self) -> str:
        return self.message

    def shown(self) -> str:
        """The message in the reader's language (the active one), with the values of when it was sent."""
        return render_text(self.text, self.args) if self.text else self.message


def render_text(text: str, args: dict[str, Any]) -> str:
    """`text` translated into the active language, its %(name)s placeholders filled from `args`."""
    # A translation that lost a placeholder falls back to the untranslated text, which has them all; a
    # text that is no format at all (a literal with a bare %) is shown as it is.
    for candidate in (gettext(text), text):
        try:
            return candidate % args
        except (KeyError, TypeError, ValueError):
            continue
    return text
