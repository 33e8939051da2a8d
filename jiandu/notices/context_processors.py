"""The unread-reminders badge in the navbar: one count query per page for a signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jiandu.notices.models import Notice


def unread_notices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never shows the badge (a redirect, a download) never counts.
    return {"unread_notices": lambda: Notice.objects.visible_to(user).unread().count()}
