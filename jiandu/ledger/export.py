"""The ledger as an xlsx workbook (openpyxl in write-only mode: rows go straight to a temporary file, so
memory stays flat whatever the size; the file is then streamed to the browser).

At most EXPORT_MAX_ROWS rows: a larger ledger is cut by its filters first (the list page says so), and a
cut export says it in its last row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jiandu.ledger.models import Problem

EXPORT_MAX_ROWS = 100_000
# Rows read from the database at a time.
CHUNK = 2_000


def columns() -> list[tuple[str, int]]:
    """(header, width) of each column."""
    return [
        (_("No."), 10),
        (_("Date found"), 12),
        (_("Source"), 10),
        (_("Found by"), 24),
        (_("Place"), 18),
        (_("Ledger"), 14),
        (_("Responsible unit"), 24),
        (_("Category"), 16),
        (_("Facts"), 60),
        (_("Amount involved (yuan)"), 16),
        (_("Status"), 12),
    ]


def safe_text(value: str) -> str:
    # A cell that starts like a formula would be run by Excel: facts are data, so defuse it.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def row_of(problem: Problem) -> list[Any]:
    unit = problem.responsible_unit
    return [
        problem.pk,
        problem.found_on,
        problem.source.name,
        problem.found_by.name,
        safe_text(problem.region.name),
        problem.get_ledger_display(),
        safe_text(unit.name) if unit is not None else "",
        problem.category.name,
        safe_text(problem.facts),
        float(problem.amount) if problem.amount is not None else None,
        problem.get_status_display(),
    ]


def _rows(qs: QuerySet, limit: int) -> Iterator[Problem]:
    yield from qs[:limit].iterator(chunk_size=CHUNK)


def problems_xlsx(qs: QuerySet, *, filters: dict[str, Any]) -> tuple[IO[bytes], int, bool]:
    """Write the problems of `qs` (already scoped, filtered and ordered) to a workbook.

    Returns the open file (at its start), how many rows were written, and whether the cap cut the list.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Problems"))
    for index, (_header, width) in enumerate(columns()):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    title = _("Problem ledger, exported %(when)s") % {
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    if filters:
        title += "  " + "; ".join(f"{name}={value}" for name, value in sorted(filters.items()))
    sheet.append([safe_text(title)])
    bold = Font(bold=True)
    header = []
    for name, _width in columns():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    truncated = False
    date_format = "yyyy-mm-dd"
    for count, problem in enumerate(_rows(qs, EXPORT_MAX_ROWS + 1), start=1):
        if count > EXPORT_MAX_ROWS:
            truncated = True
            count = EXPORT_MAX_ROWS
            break
        values = row_of(problem)
        date = WriteOnlyCell(sheet, value=values[1])
        date.number_format = date_format
        values[1] = date
        sheet.append(values)
    if truncated:
        sheet.append(
            [
                _("Only the first %(count)s rows are exported; narrow the filters for the rest.")
                % {"count": EXPORT_MAX_ROWS}
            ]
        )
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle, count, truncated
