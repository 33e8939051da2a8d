import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.org.models import Region
from jiandu.org.selectors import staffing_report


class Command(JianduCommand):
    help = "Posts and headcount per kind and level of body, and village posts, for a region's subtree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="12-digit division code, e.g. 520400000000")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"].strip()
        if not (code.isdigit() and len(code) == 12):
            raise CommandError(
                _("--region %(code)s: a division code has exactly 12 digits, e.g. 520400000000.")
                % {"code": code}
            )
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(_("--region %(code)s: no region has this code.") % {"code": code})
        report = staffing_report(region)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{report.region_name} ({report.region_code})")
        header = (_("kind"), _("level"), _("bodies"), _("establishment"), _("headcount"))
        self.stdout.write("\t".join(str(h) for h in header))
        for row in report.bodies:
            self.stdout.write(
                f"{row.kind_label}\t{row.level_label}\t{row.bodies}\t{row.establishment}\t{row.headcount}"
            )
        for vrow in report.village_posts:
            self.stdout.write(f"{vrow.label}\t{vrow.posts}")
        self.stdout.write(
            _("Village affairs supervision committee members: %(n)d")
            % {"n": report.village_committee_members}
        )
        self.stdout.write(
            _("Persons holding the three village posts (三员合一): %(n)d") % {"n": report.three_in_one}
        )
