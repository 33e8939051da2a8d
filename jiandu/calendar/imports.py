"""Reading a holiday arrangement file: `date,kind,name`, one day a row (CSV in UTF-8 or GBK, or a workbook).

A first row naming the columns (date/日期, kind/类型, name/名称, in any order) is optional; without it the
columns are taken in that order. `kind` is `holiday` (a day off; also 休, 放假) or `workday` (an adjusted
working day; also 班, 上班, 调休上班). Every problem is named by the row the file shows and its column;
nothing is written while any row is wrong (the service checks the whole file first).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jiandu.calendar.models import FIRST_YEAR, LAST_YEAR
from jiandu.lib.sheet_values import ValueProblem, clean_text, parse_date
from jiandu.lib.spreadsheet import SheetError, column_letter, read_workbook

OFF_WORDS = {"holiday", "off", "rest", "休", "休息", "放假", "假", "假日", "节假日"}
WORKED_WORDS = {"workday", "work", "worked", "班", "上班", "补班", "调休上班", "工作日"}
HEADERS = {
    "date": {"date", "日期"},
    "kind": {"kind", "type", "类型", "类别", "种类"},
    "name": {"name", "名称", "节日", "说明", "备注"},
}
NAME_MAX = 40


@dataclass(frozen=True)
class DayRow:
    row: int
    date: datetime.date
    is_workday: bool
    name: str


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None  # "B（kind）"
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _column(index: int, field: str) -> str:
    return f"{column_letter(index + 1)}（{field}）"


def _header(cells: list[str]) -> dict[str, int] | None:
    folded = [cell.strip().lower() for cell in cells]
    found = {field: i for field, words in HEADERS.items() for i, cell in enumerate(folded) if cell in words}
    return found if "date" in found else None


def read_arrangement(data: bytes) -> tuple[list[DayRow], list[RowError]]:
    """The days of the file and every error in it (rows as the file numbers them)."""
    try:
        book = read_workbook(data)
    except SheetError as error:
        return [], [_sheet_error(error)]
    rows: list[list[Any]] = book.sheets[0].rows if book.sheets else []
    numbered = [(i + 1, row) for i, row in enumerate(rows) if any(clean_text(cell) for cell in row)]
    if not numbered:
        return [], [RowError(None, None, _("The file holds no day."))]
    columns = {"date": 0, "kind": 1, "name": 2}
    header = _header([clean_text(cell) for cell in numbered[0][1]])
    if header is not None:
        if "kind" not in header:
            return [], [RowError(numbered[0][0], None, _("The header row names no kind column (kind/类型)."))]
        columns = {"name": -1, **header}
        numbered = numbered[1:]
    days: list[DayRow] = []
    errors: list[RowError] = []
    first_row: dict[datetime.date, int] = {}
    for number, cells in numbered:
        day = _read_row(number, cells, columns, errors)
        if day is None:
            continue
        if day.date in first_row:
            errors.append(
                RowError(
                    number,
                    _column(columns["date"], "date"),
                    _("%(date)s is already given in row %(first)s.")
                    % {"date": day.date.isoformat(), "first": first_row[day.date]},
                )
            )
            continue
        first_row[day.date] = number
        days.append(day)
    if not days and not errors:
        errors.append(RowError(None, None, _("The file holds no day.")))
    return days, errors


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if 0 <= index < len(cells) else ""


def _read_row(
    number: int, cells: list[Any], columns: dict[str, int], errors: list[RowError]
) -> DayRow | None:
    before = len(errors)
    date_column = _column(columns["date"], "date")
    date: datetime.date | None = None
    try:
        date = parse_date(_cell(cells, columns["date"]))
    except ValueProblem as problem:
        value = problem.params.get("value", "")
        if problem.code == "date_empty":
            message = _("the date is missing.")
        else:
            message = _("“%(value)s” is not a date; write it as 2027-02-06.") % {"value": value}
        errors.append(RowError(number, date_column, message))
    if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
        errors.append(
            RowError(
                number,
                date_column,
                _("%(date)s is outside the years %(first)s–%(last)s.")
                % {"date": date.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
            )
        )
    kind = clean_text(_cell(cells, columns["kind"]))
    is_workday: bool | None = None
    if kind.lower() in OFF_WORDS:
        is_workday = False
    elif kind.lower() in WORKED_WORDS:
        is_workday = True
    else:
        message = (
            _("the kind is missing; write holiday (a day off) or workday (an adjusted working day).")
            if not kind
            else _(
                "“%(value)s” is not a kind; write holiday (a day off) or workday (an adjusted working day)."
            )
            % {"value": kind}
        )
        errors.append(RowError(number, _column(columns["kind"], "kind"), message))
    name = clean_text(_cell(cells, columns["name"]))
    if len(name) > NAME_MAX:
        errors.append(
            RowError(
                number,
                _column(columns["name"], "name"),
                _("the name is longer than %(max)s characters.") % {"max": NAME_MAX},
            )
        )
    if len(errors) > before or date is None or is_workday is None:
        return None
    return DayRow(number, date, is_workday, name)


def _sheet_error(error: SheetError) -> RowError:
    if error.code == "empty":
        return RowError(None, None, _("The file is empty."))
    if error.code == "encoding":
        return RowError(
            error.row,
            column_letter(error.column) if error.column else None,
            _("this text is neither UTF-8 nor GBK; save the file as CSV UTF-8."),
        )
    if error.code == "csv":
        return RowError(error.row, None, _("this line is not valid CSV (%(detail)s).") % error.params)
    return RowError(None, None, _("The file is neither CSV nor a spreadsheet."))
