"""Reading a spreadsheet as people hand it in: .xlsx, .xls, .ods (python-calamine) or .csv (UTF-8 or GBK,
with or without a byte-order mark, comma, semicolon or tab separated). Pure code, no Django.

The kind of file is told by its content, not its name: a workbook renamed .csv is still read as a workbook.
Rows keep the numbers the spreadsheet program shows (the first row is 1), blank rows included, so every
later message can name the row a person sees. Errors carry a `code` and parameters; the caller words them
(in the user's language).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

ZIP_MAGIC = b"PK\x03\x04"  # xlsx and ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # xls (and other old Office files)
SNIFF_BYTES = 64 * 1024


class SheetError(ValueError):
    """A file that cannot be read as a table. `code` says why; `params` fill the caller's message."""

    def __init__(self, code: str, *, row: int | None = None, column: int | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.row = row
        self.column = column  # 1-based column number, when one is known
        self.params = params


@dataclass
class Sheet:
    """One sheet: `rows[i]` is the row the spreadsheet shows as number i + 1 (cells: str, float, int,
    bool, date or datetime; an empty cell is "")."""

    name: str
    rows: list[list[Any]]


@dataclass
class Workbook:
    format: str  # "xlsx", "xls", "ods" or "csv"
    sheets: list[Sheet]
    encoding: str | None = None  # for csv: "utf-8", "gb18030" or "utf-16"


def read_workbook(data: bytes) -> Workbook:
    """Every sheet of the file in `data`; SheetError("empty" | "not_spreadsheet" | "encoding" | "csv")."""
    if not data.strip():
        raise SheetError("empty")
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return _read_calamine(data)
    return _read_csv(data)


def _read_calamine(data: bytes) -> Workbook:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise SheetError("not_spreadsheet", detail=str(exc)) from None
    kind = "xls" if data.startswith(OLE_MAGIC) else ("ods" if b"opendocument" in data[:200] else "xlsx")
    sheets = []
    try:
        for index, name in enumerate(book.sheet_names):
            sheet = book.get_sheet_by_index(index)
            # skip_empty_area=False keeps row 1 as rows[0], so numbers match what people see.
            sheets.append(Sheet(name=name, rows=sheet.to_python(skip_empty_area=False)))
    except (CalamineError, ValueError, OSError) as exc:
        raise SheetError("not_spreadsheet", detail=str(exc)) from None
    finally:
        book.close()
    return Workbook(format=kind, sheets=sheets)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (BOM or not), UTF-16 with a BOM (Excel's
    "Unicode text"), else GBK (read as GB18030, its superset). SheetError("encoding") names the line and
    column of the first byte that fits neither UTF-8 nor GBK."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        if b"\x00" in data[:SNIFF_BYTES]:
            raise SheetError("not_spreadsheet", detail="binary")
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    # Locate the first byte that is neither UTF-8 nor GBK, for the message.
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("gb18030", "replace")
        raise SheetError(
            "encoding",
            row=data.count(b"\n", 0, exc.start) + 1,
            column=len(next(csv.reader([before]), [""])) or 1,
        ) from None
    raise SheetError("encoding")


def _read_csv(data: bytes) -> Workbook:
    text, encoding = decode_text(data)
    sample = text[:SNIFF_BYTES]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[list[Any]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        raise SheetError("csv", row=len(rows) + 1, detail=str(exc)) from None
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise SheetError("empty")
    return Workbook(format="csv", sheets=[Sheet(name="", rows=rows)], encoding=encoding)


def column_letter(number: int) -> str:
    """Spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
