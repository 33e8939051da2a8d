"""Who is acting: the user (or command), the body they act for, and where from, for the current request or
command. The middleware and JianduCommand set it; every audit entry written meanwhile carries it."""

from __future__ import annotations

import contextlib
import getpass
import ipaddress
import os
import socket
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX = 300


@dataclass(frozen=True)
class Actor:
    """Plain values, copied into each entry: an entry never points to a row that could change."""

    user_id: int | None = None
    username: str = ""
    body_id: int | None = None
    body_name: str = ""
    ip: str = ""
    user_agent: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


# What is acting now: an Actor, or a request whose user is read when an entry is written (the API
# authenticates its token inside the view, after the middleware has run).
_current: ContextVar[Actor | HttpRequest | None] = ContextVar("jiandu_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(actor: Actor | HttpRequest | None) -> Iterator[None]:
    """Entries written inside the block name `actor` (or the user of the request)."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def current_actor() -> Actor:
    """The actor of the current request or command; outside both (a shell, a script), the OS user."""
    current = _current.get()
    if isinstance(current, Actor):
        return current
    if current is not None:
        return actor_for(current)
    return Actor(detail=process_detail())


def actor_for(request_or_user: Any) -> Actor:
    """The actor for a request (its user, address and browser) or for a user alone; for None, whoever is
    acting now."""
    if request_or_user is None:
        return current_actor()
    if isinstance(request_or_user, HttpRequest):
        request = request_or_user
        user = getattr(request, "user", None)
        return _user_actor(user, ip=client_ip(request), user_agent=user_agent(request))
    current = _current.get()
    if isinstance(current, HttpRequest) and getattr(current, "user", None) == request_or_user:
        return actor_for(current)
    return _user_actor(request_or_user)


def _user_actor(user: Any, *, ip: str = "", user_agent: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(ip=ip, user_agent=user_agent)
    body = user.body if getattr(user, "body_id", None) else None
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        body_id=body.pk if body else None,
        body_name=body.name if body else "",
        ip=ip,
        user_agent=user_agent,
    )


def command_actor(name: str) -> Actor:
    """A management command acts as "command:<name>"; the OS user and host say who ran it."""
    return Actor(username=f"command:{name}", detail=process_detail())


@cache
def process_detail() -> dict[str, Any]:
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        os_user = str(os.getuid())
    return {"os_user": os_user, "host": socket.gethostname()}


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the nearest trusted proxy saw
    (X-Forwarded-For, counted from the right: a client can write anything at the left)."""
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    address = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def user_agent(request: HttpRequest) -> str:
    value = request.META.get("HTTP_USER_AGENT", "")
    return "".join(ch for ch in value if ch.isprintable())[:USER_AGENT_MAX]
