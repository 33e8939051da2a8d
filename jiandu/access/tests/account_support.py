"""Helpers of the account tests: clients that sign in as a person does, and verified administrators."""

from __future__ import annotations

from binascii import unhexlify
from collections.abc import Iterator
from typing import Any

import pytest
from axes.utils import reset as axes_reset
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Jiandu-test-2024"  # the factories' password


@pytest.fixture(autouse=True)
def no_lockouts(db: None) -> Iterator[None]:
    """Each test starts with no failed attempt on record (the transaction rollback also drops them)."""
    axes_reset()
    yield
    axes_reset()


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(username: str, password: str = PASSWORD, client: Client | None = None) -> Client:
    """Through the login page, like a browser: the lockout and the session hash are really exercised."""
    client = client or english()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_for(key: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app set up with `key` shows now (or `steps_ahead` periods later)."""
    totp = TOTP(unhexlify(key))
    totp.time = totp.time + 30 * steps_ahead
    return f"{totp.token():06d}"


def add_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def verified_client(user: Any) -> Client:
    """A signed-in administrator who has completed two-factor sign-in."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_device(user)
    client = english()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
