"""The filing status of a period as an xlsx workbook (openpyxl, write-only: a few hundred rows)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jiandu.filing.reminders import county_of
from jiandu.filing.selectors import STATUS_LABELS
from jiandu.lib.periods import Period
from jiandu.org.models import Region, RegionKind


def safe_text(value: str) -> str:
    # A cell that starts like a formula would be run by Excel: names are data, so defuse it.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def status_workbook(bodies: list[Any], period: Period, region: Region) -> bytes:
    """One row per body of the status page (already filtered and sorted as the page shows them)."""
    counties = {r.code[:6]: r for r in Region.objects.filter(kind=RegionKind.COUNTY)}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(period))
    headers = [
        (_("County"), 16),
        (_("Body"), 30),
        (_("Region"), 16),
        (_("Status"), 12),
        (_("Due on"), 12),
        (_("Filed at"), 18),
        (_("Problems"), 10),
        (_("Nothing to report"), 12),
        (_("Revision"), 10),
    ]
    for index, (_label, width) in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    title = WriteOnlyCell(
        sheet,
        value=safe_text(_("Filing of %(period)s in %(region)s") % {"period": period, "region": region.name}),
    )
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    header_cells = []
    for label, _width in headers:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for body in bodies:
        county = county_of(body.region, counties)
        filed_at = timezone.localtime(body.filed_at).replace(tzinfo=None) if body.filed_at else None
        sheet.append(
            [
                safe_text(county.name) if county else "",
                safe_text(body.name),
                safe_text(body.region.name),
                str(STATUS_LABELS[body.status]),
                body.due_on,
                filed_at,
                body.problem_count,
                (_("yes") if body.nothing_to_report else "") if body.filing_id else "",
                body.revision,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
