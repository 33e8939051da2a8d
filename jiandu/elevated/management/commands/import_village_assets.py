"""`jiandu import-village-assets FILE --as USERNAME [--dry-run] [--json]`: import villages' 三资 figures
(.xlsx, .xls, .ods or .csv) as that user; all rows or none. Exits 0 when imported (or, with --dry-run,
when it would be), 1 when rejected, every error named by row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.core.commands import JianduCommand
from jiandu.elevated.imports import assets_import


class Command(JianduCommand):
    help = (
        "Import villages' 三资 figures (村代码, 年度, 资金, 资产, 资源 in 万元) as a user; all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the spreadsheet")
        parser.add_argument("--as", dest="username", required=True, help="the user importing")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": path})
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user %(name)s.") % {"name": options["username"]})
        try:
            report = assets_import(acting_user=user, data=path.read_bytes(), dry_run=options["dry_run"])
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        result = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for error in result["errors"]:
                where = _("row %(row)s") % {"row": error["row"]} if error["row"] else _("the file")
                column = f" [{error['column']}]" if error["column"] else ""
                self.stdout.write(f"{where}{column}: {error['message']}")
            if report.accepted:
                text = (
                    _("Checked, nothing written: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.")
                    if options["dry_run"]
                    else _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.")
                )
                self.stdout.write(text % result)
        if not report.accepted:
            raise CommandError(_("Rejected: nothing was written."), returncode=1)
