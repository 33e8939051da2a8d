"""Who must use two-factor sign-in, and the pieces of TOTP enrolment (django-otp, QR codes by segno).

Administrators (superusers, staff, account administrators) must enrol a TOTP device and verify it at every
sign-in; anyone else may enrol, and once enrolled verifies too.
"""

from __future__ import annotations

import enum
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiandu.access.roles import ACCOUNT_ADMINISTRATORS

BACKUP_CODES = 10


class Step(enum.Enum):
    """What a signed-in, not yet verified user must do before anything else."""

    NONE = "none"
    ENROL = "enrol"
    VERIFY = "verify"


def is_administrator(user: Any) -> bool:
    """Superusers, staff and account administrators: the accounts that must use two-factor sign-in."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name=ACCOUNT_ADMINISTRATORS).exists()


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_for(user: Any) -> Step:
    """One query: is the user an administrator, and has the user a confirmed device?"""
    from jiandu.access.models import User

    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            admin=Exists(
                User.groups.through.objects.filter(user=OuterRef("pk"), group__name=ACCOUNT_ADMINISTRATORS)
            ),
            device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .values("admin", "device")
        .first()
    )
    if row is None:
        return Step.NONE
    if row["device"]:
        return Step.VERIFY
    if row["admin"] or user.is_superuser or user.is_staff:
        return Step.ENROL
    return Step.NONE


def otpauth_url(user: Any, key: str) -> str:
    """The otpauth:// URL an authenticator app reads from the QR code (issuer: OTP_TOTP_ISSUER)."""
    return TOTPDevice(user=user, key=key).config_url


def qr_svg(data: str) -> str:
    """An inline SVG QR code, drawn on the server: no image service, no script."""
    return segno.make(data, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def readable_secret(key: str) -> str:
    """The hex key as the base32 text authenticator apps accept, in groups of four for typing."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
