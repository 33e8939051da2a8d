"""A list as an xlsx download: one sheet, a header row, cells safe from formula injection."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook


def safe_cell(value: Any) -> Any:
    # Names and notes are data: a cell that starts like a formula would be run by Excel.
    return "'" + value if isinstance(value, str) and value[:1] in "=+-@" and value else value


def xlsx_response(title: str, header: list[str], rows: list[list[Any]], filename: str) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename)
