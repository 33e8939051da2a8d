"""Automatic entries: every create, change and delete of a model of Jiandu's apps (accounts included), with
before and after values, and every sign-in, sign-out and failed sign-in.

Signals are connected per model (never for every sender), so Django keeps its fast paths for the models
that are not audited. Paths that bypass signals (`bulk_create`, `QuerySet.update`, raw SQL) write one
summary entry themselves (`jiandu.core.audit.record_import`); a bulk builder that saves row by row turns
the per-row entries off with `suspended()` and writes its summary instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from jiandu.core.audit.actor import Actor, actor_for, current_actor
from jiandu.core.audit.chain import append
from jiandu.core.models import AuditAction, AuditEntry, AuditHead

MASK = "***"
# Never written to the trail, only the fact that they changed.
SENSITIVE_NAMES = {"password", "security_stamp", "key", "secret", "otp_secret"}
SENSITIVE_PARTS = ("password", "secret", "token")
# Saved on every sign-in by Django itself: not a change anyone made.
IGNORED_FIELDS = {"last_login"}
TEXT_MAX = 5000

_suspended: ContextVar[bool] = ContextVar("jiandu_audit_suspended", default=False)


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Turn the automatic per-row entries off for a bulk build; write one summary entry instead."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_audited(model: type[models.Model]) -> bool:
    config = model._meta.app_config
    return (
        config is not None
        and config.name.startswith("jiandu.")
        and model not in (AuditEntry, AuditHead)
        and not model._meta.auto_created
        and getattr(model, "audited", True)
    )


def audited_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_audited(model)]


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def is_sensitive(model: type[models.Model], name: str) -> bool:
    return (
        name in SENSITIVE_NAMES
        or name.endswith("_key")
        or any(part in name for part in SENSITIVE_PARTS)
        or name in getattr(model, "audit_masked_fields", ())
    )


def tracked_fields(model: type[models.Model], update_fields: Any = None) -> list[models.Field]:
    """Concrete fields whose changes are worth recording: not the key, not automatic timestamps."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False) and field.name not in IGNORED_FIELDS
        and not getattr(field, "auto_now_add", False)
    ]  # fmt: skip
    if update_fields is not None:
        wanted = set(update_fields)
        fields = [field for field in fields if field.name in wanted or field.attname in wanted]
    return fields


def _plain(field: models.Field, raw: Any) -> Any:
    """A field value as JSON-friendly data, for comparison and display."""
    if raw is None:
        return None
    try:
        raw = field.to_python(raw)
    except ValidationError:
        pass
    if isinstance(raw, bytes | memoryview):
        return f"<{len(bytes(raw))} bytes>"
    if isinstance(raw, str) and len(raw) > TEXT_MAX:
        return raw[:TEXT_MAX] + "…"
    if isinstance(raw, bool | int | float | str | list | dict):
        return raw
    return str(raw)


def _related(field: models.Field, pk: Any, instance: models.Model | None = None) -> dict[str, Any] | None:
    """A foreign key as its id and the text of the record it points to."""
    if pk is None:
        return None
    related = None
    if instance is not None and field.is_cached(instance):
        related = field.get_cached_value(instance)
    if related is None or related.pk != pk:
        related = field.related_model._base_manager.filter(pk=pk).first()
    return {"id": pk, "repr": str(related) if related is not None else ""}


def _display(model: type[models.Model], field: models.Field, raw: Any, instance: Any = None) -> Any:
    if is_sensitive(model, field.name) or is_sensitive(model, field.attname):
        return MASK if raw not in (None, "") else raw
    if field.is_relation:
        return _related(field, raw, instance)
    return _plain(field, raw)


def _pre_save(
    sender: type[models.Model], instance: models.Model, raw: bool, update_fields: Any, **kw: Any
) -> None:
    if raw or _suspended.get():
        return
    before = None
    if instance.pk is not None:
        names = [field.attname for field in tracked_fields(sender, update_fields)]
        before = sender._base_manager.using(kw.get("using")).filter(pk=instance.pk).values(*names).first()
    instance.__dict__["_audit_before"] = before


def _post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool,
    update_fields: Any,
    **kw: Any,
) -> None:
    if raw or _suspended.get():
        return
    before = instance.__dict__.pop("_audit_before", None)
    changes: dict[str, list[Any]] = {}
    for field in tracked_fields(sender, update_fields):
        new = field.value_from_object(instance)
        if created or before is None:
            if new not in (None, ""):
                changes[field.name] = [None, _display(sender, field, new, instance)]
            continue
        old = before.get(field.attname)
        if _plain(field, old) != _plain(field, new):
            changes[field.name] = [_display(sender, field, old), _display(sender, field, new, instance)]
    creating = created or before is None
    if not creating and not changes:
        return
    action = AuditAction.CREATE if creating else AuditAction.CHANGE
    hook = getattr(instance, "audit_action", None)
    if callable(hook):
        action = hook(created=creating, changes=changes) or action
    append(action, model=label(sender), object_id=instance.pk, object_repr=str(instance), changes=changes)


def _post_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if _suspended.get():
        return
    changes = {}
    for field in tracked_fields(sender):
        value = field.value_from_object(instance)
        if value not in (None, ""):
            try:
                changes[field.name] = [_display(sender, field, value, instance), None]
            except ObjectDoesNotExist:  # pragma: no cover - the record pointed to went first
                changes[field.name] = [{"id": value, "repr": ""}, None]
    append(
        AuditAction.DELETE,
        model=label(sender),
        object_id=instance.pk,
        object_repr=str(instance),
        changes=changes,
    )


def _m2m_accessor(instance: models.Model, through: type[models.Model], reverse: bool) -> str | None:
    meta = type(instance)._meta
    if not reverse:
        for field in meta.many_to_many:
            if field.remote_field.through is through:
                return field.name
        return None
    for relation in meta.related_objects:
        if relation.many_to_many and relation.through is through:
            return relation.get_accessor_name()
    return None


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kw: Any,
) -> None:
    if _suspended.get() or action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove",
                                          "post_clear"):  # fmt: skip
        return
    accessor = _m2m_accessor(instance, sender, reverse)
    if accessor is None:
        return
    stash = instance.__dict__.setdefault("_audit_m2m", {})
    if action.startswith("pre_"):
        stash[accessor] = set(getattr(instance, accessor).values_list("pk", flat=True))
        return
    before = stash.pop(accessor, set())
    if action == "post_add":
        after = before | set(pk_set or ())
    elif action == "post_remove":
        after = before - set(pk_set or ())
    else:
        after = set()
    if after == before:
        return
    texts = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=before ^ after)}
    detail = {
        "added": [{"id": pk, "repr": texts.get(pk, "")} for pk in sorted(after - before)],
        "removed": [{"id": pk, "repr": texts.get(pk, "")} for pk in sorted(before - after)],
    }
    append(
        AuditAction.CHANGE,
        model=label(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance),
        changes={accessor: [sorted(before), sorted(after)]},
        detail=detail,
    )


def _where(request: Any) -> Actor:
    return actor_for(request) if request is not None else current_actor()


def _logged_in(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    where = _where(request)
    actor = replace(actor_for(user), ip=where.ip, user_agent=where.user_agent)
    append(
        AuditAction.LOGIN,
        actor=actor,
        model=label(type(user)),
        object_id=user.pk,
        object_repr=user.get_username(),
    )


def _logged_out(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    where = _where(request)
    actor = replace(actor_for(user), ip=where.ip, user_agent=where.user_agent) if user is not None else where
    append(
        AuditAction.LOGOUT,
        actor=actor,
        model=label(get_user_model()),
        object_id=user.pk if user is not None else "",
        object_repr=user.get_username() if user is not None else "",
    )


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # Django has already replaced the password in `credentials` with stars; only the name is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    where = _where(request)
    actor = Actor(ip=where.ip, user_agent=where.user_agent, detail=where.detail)
    append(
        AuditAction.LOGIN_FAILED,
        actor=actor,
        model=label(get_user_model()),
        object_repr=username[:150],
        detail={"username": username[:150]},
    )


def connect() -> None:
    """Connect the handlers, per audited model and per many-to-many table that touches one."""
    throughs: set[type[models.Model]] = set()
    for model in audited_models():
        uid = label(model)
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"audit-pre-save-{uid}")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"audit-post-save-{uid}")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"audit-post-delete-{uid}")
        throughs.update(field.remote_field.through for field in model._meta.many_to_many)
        throughs.update(rel.through for rel in model._meta.related_objects if rel.many_to_many)
    for through in throughs:
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"audit-m2m-{label(through)}")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
