"""Sending and reading reminders. Every path that reminds goes through `notify`."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from jiandu.notices.models import Notice


def notify(
    *,
    key: str,
    kind: str,
    message: str,
    body: Any = None,
    user: Any = None,
    url: str = "",
    due_on: datetime.date | None = None,
) -> tuple[Notice, bool]:
    """Send a reminder once: a second call with the same `key` changes nothing and returns (notice, False)."""
    if body is None and user is None:
        raise ValueError("a reminder needs a body or a user")
    return Notice.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "message": message, "body": body, "user": user, "url": url, "due_on": due_on},
    )


def mark_read(*, acting_user: Any, notices: Any) -> int:
    """Mark the given reminders (already cut to what the user may see) as read; returns how many."""
    return notices.visible_to(acting_user).filter(read_at__isnull=True).update(read_at=timezone.now())
