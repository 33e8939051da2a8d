"""Sharing records with other bodies and recusing users: explicit acts, each with who and why."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.access.models import Recusal, Share, User
from jiandu.access.scoping import forget
from jiandu.org.models import Body, Person, Region


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept with the decision.")})
    return reason


@transaction.atomic
def share_record(
    *, acting_user: User, record: models.Model, body: Body, reason: str, can_change: bool = False
) -> Share:
    """Share `record` with `body`. The sharer must be able to change the record themselves."""
    model = type(record)
    if not model.objects.visible_to(acting_user, "change").filter(pk=record.pk).exists():
        raise ValidationError(_("You can only share a record you may change."))
    if not body.is_active:
        raise ValidationError({"body": _("%(body)s is no longer active.") % {"body": body}})
    share, created = Share.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=record.pk,
        body=body,
        revoked_at=None,
        defaults={"can_change": can_change, "reason": _reason(reason), "shared_by": acting_user},
    )
    if not created and share.can_change != can_change:
        share.can_change = can_change
        share.reason = _reason(reason)
        share.save(update_fields=["can_change", "reason"])
    return share


@transaction.atomic
def revoke_share(*, acting_user: User, share: Share) -> Share:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = acting_user
        share.save(update_fields=["revoked_at", "revoked_by"])
    return share


@transaction.atomic
def recuse(*, acting_user: User, user: User, target: models.Model, reason: str) -> Recusal:
    """Hide `target` (a record, a Person: everything about them, a Region: everything about it) from `user`."""
    if user.pk == acting_user.pk:
        raise ValidationError(_("A recusal is decided by someone other than the recused person."))
    fields: dict[str, Any]
    if isinstance(target, Region):
        fields = {"region": target}
    elif isinstance(target, Person):
        fields = {"person": target}
    else:
        fields = {"content_type": ContentType.objects.get_for_model(type(target)), "object_id": target.pk}
    recusal, _created = Recusal.objects.get_or_create(
        user=user,
        lifted_at=None,
        **fields,
        defaults={"reason": _reason(reason), "decided_by": acting_user},
    )
    forget(user)
    return recusal


@transaction.atomic
def lift_recusal(*, acting_user: User, recusal: Recusal) -> Recusal:
    if recusal.lifted_at is None:
        recusal.lifted_at = timezone.now()
        recusal.lifted_by = acting_user
        recusal.save(update_fields=["lifted_at", "lifted_by"])
    forget(recusal.user)
    return recusal
