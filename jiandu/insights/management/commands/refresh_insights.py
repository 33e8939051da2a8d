import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.insights.services import insights_refresh
from jiandu.org.models import Region


class Command(JianduCommand):
    help = (
        "Recount the dashboard's summary tables: all of them (nightly), or for the problems of some regions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            help="12-digit division code whose problems changed (repeatable); all when left out",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        regions = None
        if options["region"]:
            regions = []
            for code in (value.strip() for value in options["region"]):
                if not (code.isdigit() and len(code) == 12):
                    raise CommandError(
                        _("--region %(code)s: a division code has exactly 12 digits, e.g. 520400000000.")
                        % {"code": code}
                    )
                region = Region.objects.filter(code=code).first()
                if region is None:
                    raise CommandError(_("--region %(code)s: no region has this code.") % {"code": code})
                regions.append(region)
        result = insights_refresh(regions=regions)
        if options["json"]:
            self.stdout.write(json.dumps({"rows": result.rows, "seconds": round(result.seconds, 3)}))
            return
        self.stdout.write(
            _("Statistics recounted: %(rows)d summary rows in %(seconds).1f s.")
            % {"rows": result.rows, "seconds": result.seconds}
        )
