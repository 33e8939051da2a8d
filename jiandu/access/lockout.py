"""Lockout after repeated failed sign-ins (django-axes): the client address, and the page a locked-out
person sees, in their language, with the time they may try again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address they saw in X-Forwarded-For.

    Only the entries the trusted proxies appended are believed: a client can put anything at the left.
    """
    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Axes' AXES_LOCKOUT_CALLABLE. Each attempt during the lockout starts the cool-off again, so the time
    to retry is counted from now."""
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        # An API client reads JSON, in the API's one error shape.
        detail = _("Too many failed sign-ins: try again after %(time)s.") % {
            "time": retry_at.strftime("%H:%M")
        }
        return JsonResponse({"detail": detail, "errors": {}}, status=429)
    context = {"retry_at": retry_at, "minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}
    return render(request, "access/locked_out.html", context, status=429)
