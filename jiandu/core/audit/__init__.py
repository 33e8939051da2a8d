"""The audit trail's public API. Changes to models are recorded automatically (capture.py); views and
exports of confidential records, imports and other acts are recorded by calling these functions, in the
transaction of the act.

    from jiandu.core import audit
    audit.audit_view(request, clue)                         # someone opened a confidential record
    audit.audit_export(request, Person, count, {"q": "王"})  # someone exported rows
    audit.audit_import(Region, detail={"created": 12})     # a bulk path that bypasses the signals
    audit.record(AuditAction.SHARE, obj=share, detail={...})
"""

from __future__ import annotations

from typing import Any

from django.db import models

from jiandu.core.audit.actor import Actor, acting_as, actor_for, command_actor, current_actor
from jiandu.core.audit.capture import suspended
from jiandu.core.audit.chain import append
from jiandu.core.models import AuditAction, AuditEntry

__all__ = [
    "Actor",
    "AuditAction",
    "acting_as",
    "audit_export",
    "audit_import",
    "audit_view",
    "command_actor",
    "current_actor",
    "record",
    "suspended",
]


def _label(model: type[models.Model] | str | None) -> str:
    if model is None:
        return ""
    return model if isinstance(model, str) else model._meta.label_lower


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    model: type[models.Model] | str | None = None,
    object_id: Any = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditEntry:
    """Append an entry about `obj` (or about a kind of record, `model`) by the current actor."""
    if obj is not None:
        model = model or type(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    return append(
        action,
        actor=actor,
        model=_label(model),
        object_id=object_id,
        object_repr=object_repr,
        changes=changes,
        detail=detail,
    )


def audit_view(
    request_or_user: Any, obj: models.Model, *, detail: dict[str, Any] | None = None
) -> AuditEntry:
    """Someone opened a confidential record."""
    return record(AuditAction.VIEW, obj=obj, detail=detail, actor=actor_for(request_or_user))


def audit_export(
    request_or_user: Any,
    model: type[models.Model] | str,
    count: int,
    filters: dict[str, Any] | None = None,
    *,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Someone exported `count` rows of `model`, chosen by `filters` (the query they asked for)."""
    return record(
        AuditAction.EXPORT,
        model=model,
        detail={"count": count, "filters": filters or {}, **(detail or {})},
        actor=actor_for(request_or_user),
    )


def audit_import(
    model: type[models.Model] | str, *, detail: dict[str, Any], object_repr: str = ""
) -> AuditEntry:
    """One summary entry for a bulk path that bypasses the per-row signals (counts in `detail`)."""
    return record(AuditAction.IMPORT, model=model, object_repr=object_repr, detail=detail)
