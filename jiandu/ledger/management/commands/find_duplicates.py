"""`jiandu find-duplicates [--region CODE]`: look for likely duplicates across the ledger, for batch use."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.ledger.duplicates import duplicates_find
from jiandu.org.models import Region


class Command(JianduCommand):
    help = (
        "Find likely duplicate problems (the same problem reported by several sources) and store the pairs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", help="only problems placed in this region's subtree (12-digit division code)"
        )
        parser.add_argument(
            "--threshold", type=float, default=None, help="least score of a pair (default: the tuned one)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        code = (options.get("region") or "").strip()
        if code:
            if not (code.isdigit() and len(code) == 12):
                raise CommandError(
                    _("--region %(code)s: a division code has exactly 12 digits, e.g. 520400000000.")
                    % {"code": code}
                )
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise CommandError(_("--region %(code)s: no region has this code.") % {"code": code})
        threshold = options.get("threshold")
        if threshold is not None and not 0 < threshold <= 1:
            raise CommandError(
                _("--threshold %(value)s: give a number above 0 and at most 1.") % {"value": threshold}
            )
        started = time.perf_counter()
        created = duplicates_find(region=region, threshold=threshold)
        self.stdout.write(
            _("%(count)d new likely duplicate pairs stored (%(seconds).1f s).")
            % {"count": created, "seconds": time.perf_counter() - started}
        )
