"""`jiandu send-filing-reminders`: the nightly run that reminds bodies of filings due and missing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.calendar import days
from jiandu.core.commands import JianduCommand
from jiandu.filing.reminders import send_filing_reminders


class Command(JianduCommand):
    help = "Send the reminders of periodic filing: due soon, and missing after the due date (idempotent)."

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
        run = send_filing_reminders(today=today)
        self.stdout.write(
            _(
                "Periods %(periods)s: sent %(due)d reminders of filings due, %(missing)d of filings missing "
                "and %(summaries)d summaries to county commissions."
            )
            % {
                "periods": ", ".join(run.periods) or "—",
                "due": run.due,
                "missing": run.missing,
                "summaries": run.summaries,
            }
        )
        if run.calendar_missing:
            raise CommandError(days.missing_message(run.calendar_missing))
