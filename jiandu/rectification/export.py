"""The rectification ledgers and their reconciliation as xlsx (openpyxl, write-only: rows stream to a
temporary file)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from jiandu.rectification.models import OPEN_STATUSES, Rectification
from jiandu.rectification.selectors import Horizon, Reconciliation, UnitRow

EXPORT_MAX_ROWS = 100_000
OVERDUE_FILL = PatternFill("solid", fgColor="F8D7DA")
DUE_SOON_FILL = PatternFill("solid", fgColor="FFF3CD")


def safe_text(value: str) -> str:
    # A cell that starts like a formula would be run by Excel: names and facts are data, so defuse it.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _workbook(title: str, headers: list[tuple[str, int]]) -> tuple[Workbook, Any]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, (_header, width) in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = []
    for header, _width in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    return book, sheet


def _response(book: Workbook, filename: str) -> FileResponse:
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _styled(sheet: Any, values: list[Any], fill: PatternFill | None) -> list[Any]:
    if fill is None:
        return values
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.fill = fill
        cells.append(cell)
    return cells


def ledger_xlsx(rows: Iterable[Rectification], h: Horizon, filename: str, title: str) -> FileResponse:
    headers = [
        (_("No."), 8),
        (_("Responsible unit"), 24),
        (_("Place"), 16),
        (_("Category"), 14),
        (_("Problem"), 50),
        (_("Measures"), 40),
        (_("Opened on"), 12),
        (_("Deadline"), 12),
        (_("Status"), 16),
        (_("Progress reports"), 10),
        (_("Reported done on"), 14),
        (_("Verified on"), 12),
        (_("Closed on"), 12),
        (_("Supervising body"), 24),
    ]
    book, sheet = _workbook(title, headers)
    for count, r in enumerate(rows):
        if count >= EXPORT_MAX_ROWS:
            sheet.append([_("Cut at %(n)s rows: filter the list to export the rest.") % {"n": count}])
            break
        unit = r.problem.responsible_unit
        values = [
            r.pk,
            safe_text(unit.name) if unit is not None else "",
            safe_text(r.problem.region.name),
            r.problem.category.name,
            safe_text(r.problem.facts),
            safe_text(r.measures),
            r.opened_on,
            r.deadline,
            r.get_status_display(),
            getattr(r, "n_reports", None),
            r.claimed_done_on,
            r.verified_on,
            r.closed_on,
            safe_text(r.supervisor.name),
        ]
        open_ = r.status in OPEN_STATUSES
        fill = None
        if open_ and r.deadline < h.today:
            fill = OVERDUE_FILL
        elif open_ and h.due_soon_until is not None and r.deadline <= h.due_soon_until:
            fill = DUE_SOON_FILL
        sheet.append(_styled(sheet, values, fill))
    return _response(book, filename)


def reconciliation_xlsx(result: Reconciliation, filename: str, title: str) -> FileResponse:
    headers = [
        (_("Responsible unit"), 28),
        (_("Rectifications"), 12),
        (_("Progress reports"), 12),
        (_("Reported done by the unit"), 14),
        (_("Verified by the supervisor"), 14),
        (_("Reported done, not verified"), 14),
        (_("Awaiting verification"), 12),
        (_("Sent back"), 10),
        (_("Closed"), 10),
        (_("Overdue"), 10),
        (_("Due soon"), 10),
    ]
    book, sheet = _workbook(title, headers)

    def values(row: UnitRow, name: str) -> list[Any]:
        return [
            safe_text(name),
            row.total,
            row.reports,
            row.claimed,
            row.verified,
            row.gap,
            row.awaiting,
            row.sent_back,
            row.closed,
            row.overdue,
            row.due_soon,
        ]

    for row in result.rows:
        sheet.append(_styled(sheet, values(row, row.unit_name), OVERDUE_FILL if row.overdue else None))
    sheet.append(values(result.totals, _("Total")))
    return _response(book, filename)
