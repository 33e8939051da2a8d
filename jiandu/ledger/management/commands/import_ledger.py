"""`jiandu import-ledger FILE --as USERNAME [--dry-run] [--json]`: file a ledger spreadsheet as that user's
body. Exits 0 when imported (or, with --dry-run, when it would be), 1 when rejected; nothing is written then."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.core.commands import JianduCommand
from jiandu.ledger.imports import problem_import


class Command(JianduCommand):
    help = "Import a problem ledger (.xlsx, .xls, .ods or .csv) as the body of a user; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the ledger spreadsheet")
        parser.add_argument("--as", dest="username", required=True, help="the user whose body files the rows")
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
            report = problem_import(
                acting_user=user, data=path.read_bytes(), filename=path.name, dry_run=options["dry_run"]
            )
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
            if report.accepted and options["dry_run"]:
                self.stdout.write(
                    _(
                        "Checked, nothing written: %(new)d rows would be created, %(unchanged)d are already in the ledger."
                    )
                    % {"new": report.new, "unchanged": report.unchanged}
                )
            elif report.accepted:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Imported: %(created)d problems created, %(unchanged)d already in the ledger.")
                        % {"created": report.created, "unchanged": report.unchanged}
                    )
                )
            else:
                self.stdout.write(
                    self.style.ERROR(
                        _("Rejected, nothing written: %(count)d errors.") % {"count": len(result["errors"])}
                    )
                )
        if not report.accepted:
            raise SystemExit(1)
