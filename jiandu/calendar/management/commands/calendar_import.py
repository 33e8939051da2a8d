"""`jiandu calendar-import FILE [--source NOTICE] [--complete] [--as USERNAME] [--dry-run] [--json]`: enter a
year's holiday arrangement from a `date,kind,name` file, all rows or none. Exits 0 when imported (or, with
--dry-run, when it would be), 1 when rejected; nothing is written then."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.calendar.imports import RowError
from jiandu.calendar.services import ArrangementRejected, calendar_import
from jiandu.core.commands import JianduCommand


class Command(JianduCommand):
    help = "Enter holiday arrangements (放假安排) from a CSV file date,kind,name; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8 or GBK) or spreadsheet: date,kind,name")
        parser.add_argument("--source", default="", help="the notice (needed for a year not entered yet)")
        parser.add_argument("--complete", action="store_true", help="mark the file's years complete")
        parser.add_argument(
            "--as", dest="username", default="", help="enter as this user (their permissions)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": path})
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(_("There is no active user %(name)s.") % {"name": options["username"]})
        try:
            result = calendar_import(
                acting_user=user,
                data=path.read_bytes(),
                source=options["source"],
                complete=options["complete"],
                dry_run=options["dry_run"],
            )
        except PermissionDenied:
            raise CommandError(
                _("%(name)s may not enter the calendar.") % {"name": options["username"]}
            ) from None
        except ArrangementRejected as rejected:
            self._rejected(rejected.errors, options["json"])
        except ValidationError as refused:
            self._rejected([RowError(None, None, m) for m in refused.messages], options["json"])
        else:
            if options["json"]:
                out = {**vars(result), "dry_run": options["dry_run"], "errors": []}
                self.stdout.write(json.dumps(out, ensure_ascii=False))
            else:
                done = _("Checked, nothing written") if options["dry_run"] else _("Imported")
                self.stdout.write(
                    self.style.SUCCESS(
                        _(
                            "%(done)s: %(years)s, %(created)d days added, %(changed)d changed, %(unchanged)d unchanged."
                        )
                        % {
                            "done": done,
                            "years": "、".join(str(y) for y in result.years),
                            "created": result.created,
                            "changed": result.changed,
                            "unchanged": result.unchanged,
                        }
                    )
                )

    def _rejected(self, errors: list[RowError], as_json: bool) -> None:
        if as_json:
            rows = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
            self.stdout.write(json.dumps({"errors": rows}, ensure_ascii=False))
        else:
            for error in errors:
                self.stdout.write(str(error))
            self.stdout.write(
                self.style.ERROR(_("Rejected, nothing written: %(count)d errors.") % {"count": len(errors)})
            )
        raise SystemExit(1)
