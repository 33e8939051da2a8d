"""Writes of the access app: sharing records, recusals, and accounts (creation, roles, deactivation,
passwords, two-factor devices, ending sessions). Each is an explicit act by `acting_user`, atomic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiandu.access import two_factor
from jiandu.access.models import Recusal, Share, User
from jiandu.access.roles import ROLES, role_group
from jiandu.access.scoping import forget
from jiandu.access.selectors import assignable_bodies, manageable_users
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


# --- accounts --------------------------------------------------------------------------------------------


def _delete_api_tokens(user: User) -> int:
    if not apps.is_installed("rest_framework.authtoken"):
        return 0
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).delete()[0]


def _end_sessions(user: User) -> list[str]:
    """A new security stamp ends every session (the session hash includes it); API tokens are deleted.
    Returns the fields to save."""
    user.rotate_security_stamp()
    _delete_api_tokens(user)
    return ["security_stamp"]


def _managed(acting_user: User, user: User) -> None:
    if not manageable_users(acting_user).filter(pk=user.pk).exists():
        raise PermissionDenied


def _check_body(acting_user: User, body: Body | None) -> None:
    if body is None or not assignable_bodies(acting_user).filter(pk=body.pk).exists():
        raise ValidationError({"body": _("Choose an active body within your scope.")})


def _check_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    if unknown := roles - set(ROLES):
        raise ValidationError(
            {"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}}
        )
    return roles


def _set_roles(user: User, roles: set[str]) -> None:
    """Give the user exactly these roles; groups that are not roles are left alone."""
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if remove := current - roles:
        user.groups.remove(*user.groups.filter(name__in=remove))
    if add := roles - current:
        user.groups.add(*(role_group(name) for name in add))


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def user_create(
    *, acting_user: User, username: str, first_name: str, body: Body, roles: Iterable[str], password: str
) -> User:
    """A new account acting for a body in the administrator's scope. The administrator chose the password,
    so the user must set their own at first sign-in. Never superuser or staff."""
    if not acting_user.has_perm("access.add_user"):
        raise PermissionDenied
    _check_body(acting_user, body)
    role_names = _check_roles(roles)
    user = User(
        username=username.strip(), first_name=first_name.strip(), body=body, must_change_password=True
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    _set_roles(user, role_names)
    return user


@transaction.atomic
def user_update(
    *,
    acting_user: User,
    user: User,
    first_name: str | None = None,
    body: Body | None = None,
    roles: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> User:
    """Change an account's name, body, roles or active state (arguments left None stay as they are).

    Administrators cannot change their own roles or deactivate themselves: another administrator must.
    """
    _managed(acting_user, user)
    fields: list[str] = []
    if first_name is not None and first_name.strip() != user.first_name:
        user.first_name = first_name.strip()
        fields.append("first_name")
    if body is not None and body.pk != user.body_id:
        _check_body(acting_user, body)
        user.body = body
        fields.append("body")
    role_names = _check_roles(roles) if roles is not None else None
    own = user.pk == acting_user.pk
    if (
        own
        and role_names is not None
        and role_names != set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    ):
        raise ValidationError({"roles": _("You cannot change your own roles; ask another administrator.")})
    if is_active is not None and is_active != user.is_active:
        if own:
            raise ValidationError(_("You cannot deactivate your own account."))
        user.is_active = is_active
        fields.append("is_active")
        if not is_active:
            fields += _end_sessions(user)
    if fields:
        user.full_clean()
        user.save(update_fields=fields)
    if role_names is not None:
        _set_roles(user, role_names)
    forget(user)
    return user


def user_deactivate(*, acting_user: User, user: User) -> User:
    """Deactivate an account (kept, never deleted): its sessions end and its API tokens are deleted."""
    return user_update(acting_user=acting_user, user=user, is_active=False)


@transaction.atomic
def user_reset_password(*, acting_user: User, user: User, password: str) -> User:
    """Set a temporary password chosen by an administrator; the user replaces it at next sign-in."""
    _managed(acting_user, user)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password", *_end_sessions(user)])
    return user


@transaction.atomic
def user_reset_2fa(*, acting_user: User, user: User) -> int:
    """Delete the user's two-factor devices (a lost phone) and end their sessions: at next sign-in an
    administrator enrols again. Returns the number of devices deleted."""
    _managed(acting_user, user)
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    user.save(update_fields=_end_sessions(user))
    return deleted


@transaction.atomic
def user_logout_everywhere(*, acting_user: User, user: User) -> User:
    """End every session of the user and delete their API tokens. The caller keeps its own session with
    `update_session_auth_hash` when the user is the acting user."""
    if user.pk != acting_user.pk:
        _managed(acting_user, user)
    user.save(update_fields=_end_sessions(user))
    return user


@transaction.atomic
def user_password_change(*, acting_user: User, password: str) -> User:
    """The user's own new password (the old one was checked by the form). Other sessions end."""
    _check_password(password, acting_user)
    acting_user.set_password(password)
    acting_user.must_change_password = False
    acting_user.save(update_fields=["password", "must_change_password", *_end_sessions(acting_user)])
    return acting_user


# --- two-factor devices ----------------------------------------------------------------------------------


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(two_factor.BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enrol(*, acting_user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator app set up with `key` by one of its codes; returns the new device and a
    fresh set of single-use backup codes, to be shown once."""
    if TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationError(_("Two-factor sign-in is already set up for this account."))
    device = TOTPDevice(user=acting_user, key=key, name=_("authenticator app"), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    token = "".join(token.split())
    if not (token.isdigit() and totp.verify(int(token), device.tolerance)):
        raise ValidationError(
            {"token": _("This code is not right. Check the time on your phone and enter the current code.")}
        )
    device.last_t = totp.t()
    device.full_clean()
    device.save()
    return device, _new_backup_codes(acting_user)


@transaction.atomic
def two_factor_backup_codes(*, acting_user: User) -> list[str]:
    """Replace the user's backup codes with a new set (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationError(_("Set up two-factor sign-in first."))
    return _new_backup_codes(acting_user)


@transaction.atomic
def two_factor_remove(*, acting_user: User) -> None:
    """Turn off one's own two-factor sign-in; administrators cannot, it is required of them."""
    if two_factor.is_administrator(acting_user):
        raise ValidationError(_("Administrators must use two-factor sign-in; it cannot be turned off."))
    TOTPDevice.objects.filter(user=acting_user).delete()
    StaticDevice.objects.filter(user=acting_user).delete()
