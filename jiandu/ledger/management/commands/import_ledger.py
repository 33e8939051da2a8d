"""`jiandu import-ledger FILE --as USERNAME [--dry-run] [--json] [--choose NAME=CHOICE …] [--choices FILE]`:
file a ledger spreadsheet as that user's body. Exits 0 when imported (or, with --dry-run, when it would be),
1 when rejected; nothing is written then.

An ambiguous name (two villages called 天星村 in the user's scope) is decided by `--choose "天星村=CHOICE"`,
repeated for each name, or by a JSON file of such pairs (`{"天星村": "520422103201"}`): CHOICE is the code
of the region meant, or a candidate's name or label exactly as the error message lists it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.core.commands import JianduCommand
from jiandu.ledger.imports import import_follow_up, problem_import


class Command(JianduCommand):
    help = "Import a problem ledger (.xlsx, .xls, .ods or .csv) as the body of a user; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the ledger spreadsheet")
        parser.add_argument("--as", dest="username", required=True, help="the user whose body files the rows")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="NAME=CHOICE",
            help="decide an ambiguous name: the region code, or a candidate as the error lists it (repeatable)",
        )
        parser.add_argument(
            "--choices", metavar="FILE", help='a JSON file of such decisions: {"NAME": "CHOICE", …}'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": path})
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user %(name)s.") % {"name": options["username"]})
        choose = _choices_file(options["choices"]) if options["choices"] else {}
        choose.update(_choose_pairs(options["choose"]))
        try:
            report = problem_import(
                acting_user=user,
                data=path.read_bytes(),
                filename=path.name,
                choose=choose,
                dry_run=options["dry_run"],
            )
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        follow_up = import_follow_up(report) if report.written else None
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
                if follow_up is not None and follow_up.duplicates_deferred:
                    self.stdout.write(
                        _(
                            "Likely duplicates among so many new problems are looked for by the nightly find-duplicates run."
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


def _choose_pairs(pairs: list[str]) -> dict[str, str]:
    chosen = {}
    for pair in pairs:
        name, sep, choice = pair.partition("=")
        if not sep or not name.strip() or not choice.strip():
            raise CommandError(
                _("--choose %(value)s: write it as NAME=CHOICE, e.g. 天星村=520422103201.") % {"value": pair}
            )
        chosen[name.strip()] = choice.strip()
    return chosen


def _choices_file(name: str) -> dict[str, str]:
    path = Path(name)
    try:
        loaded = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise CommandError(_("%(file)s cannot be read: %(error)s") % {"file": path, "error": error}) from None
    except ValueError as error:
        # zh: %(file)s 不是有效的 JSON（第 %(line)s 行第 %(column)s 列）：%(error)s
        line, column = getattr(error, "lineno", "?"), getattr(error, "colno", "?")
        raise CommandError(
            _("%(file)s is not valid JSON (line %(line)s, column %(column)s): %(error)s")
            % {"file": path, "line": line, "column": column, "error": getattr(error, "msg", error)}
        ) from None
    if not isinstance(loaded, dict) or not all(
        isinstance(key, str) and isinstance(value, str | int) for key, value in loaded.items()
    ):
        raise CommandError(
            _('%(file)s must hold one JSON object of names and choices: {"天星村": "520422103201"}.')
            % {"file": path}
        )
    return {key.strip(): str(value).strip() for key, value in loaded.items()}
