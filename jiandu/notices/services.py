"""Sending and reading reminders. Every path that reminds goes through `notify`."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from jiandu.notices.models import Notice, render_text

MESSAGE_MAX = 300


def notify(
    *,
    key: str,
    kind: str,
    message: str,
    args: dict[str, Any] | None = None,
    body: Any = None,
    user: Any = None,
    url: str = "",
    due_on: datetime.date | None = None,
) -> tuple[Notice, bool]:
    """Send a reminder once: a second call with the same `key` changes nothing and returns (notice, False).

    `message` is the untranslated text (marked with gettext_noop where it is written) with %(name)s
    placeholders filled from `args` (plain strings and numbers): each reader sees it in their language."""
    if body is None and user is None:
        raise ValueError("a reminder needs a body or a user")
    args = {
        name: value if isinstance(value, int | float) else str(value) for name, value in (args or {}).items()
    }
    with translation.override(settings.LANGUAGE_CODE):
        stored = render_text(message, args)
    return Notice.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "message": stored[:MESSAGE_MAX],
            "text": message[:MESSAGE_MAX],
            "args": args,
            "body": body,
            "user": user,
            "url": url,
            "due_on": due_on,
        },
    )


def mark_read(*, acting_user: Any, notices: Any) -> int:
    """Mark the given reminders (already cut to what the user may see) as read; returns how many."""
    return notices.visible_to(acting_user).filter(read_at__isnull=True).update(read_at=timezone.now())
