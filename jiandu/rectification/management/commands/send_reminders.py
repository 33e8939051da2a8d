"""`jiandu send-reminders`: the nightly run that reminds of rectifications due soon, overdue, and waiting
for verification (idempotent: a second run the same day sends nothing new)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.rectification.reminders import send_rectification_reminders


class Command(JianduCommand):
    help = "Send the rectification reminders: due soon, overdue, waiting for verification (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="act as on this day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("--date: “%(value)s” is not a date; write it as 2026-11-25.")
                    % {"value": options["date"]}
                ) from None
        run = send_rectification_reminders(today=today)
        self.stdout.write(
            _(
                "Sent %(due)d reminders of rectifications due soon, %(overdue)d of overdue ones and "
                "%(verification)d of verifications waiting; %(again)d had been sent before."
            )
            % {
                "due": run.due_soon,
                "overdue": run.overdue,
                "verification": run.verification,
                "again": run.already_sent,
            }
        )
        if run.calendar_missing:
            raise CommandError(
                _(
                    "The holiday arrangement of %(year)s is not entered: reminders that count working days "
                    "into it were not sent. Enter the State Council's arrangement for %(year)s on the "
                    "working-day calendar page (or with jiandu calendar-import)."
                )
                % {"year": run.calendar_missing}
            )
