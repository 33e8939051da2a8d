"""Ledger files as units hand them in, made in the tests: an .xlsx with a title, a merged cell and a
footnote above and below the table, the same rows as GBK or UTF-8 CSV, and the committed .xls (files/)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl

FILES = Path(__file__).with_name("files")
TITLE = "普定县纪委监委2026年问题台账"
HEADER = [
    "序号",
    "发现日期",
    "来源",
    "所在乡镇",
    "所在村（社区）",
    "问题类型",
    "主要问题",
    "涉及金额（万元）",
    "整改责任单位",
]
# The rows of files/ledger.xls (make_xls.py), amounts in 万元.
ROWS: list[list[Any]] = [
    [1, datetime.date(2026, 3, 5), "巡察", "马官", "天星村", "民生资金发放", "天星村低保资金延迟发放三个月", 1.2, "马官镇人民政府"],
    [2, datetime.date(2026, 3, 6), "日常监督", "马官镇", "马场村", "医疗卫生", "村卫生室药品台账缺失", 0.3, "县卫健局"],
    [3, datetime.date(2026, 3, 7), "派驻监督", "马官镇", "", "作风问题", "镇政府值班人员脱岗", "", ""],
]  # fmt: skip


def xlsx(rows: list[list[Any]] | None = None, header: list[str] | None = None) -> bytes:
    """A workbook as a unit keeps it: a merged title row, a subtitle, the header on row 3, a total row and
    a footnote under the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "填报单位：普定县纪委监委          填报时间：2026年4月1日"
    sheet.append(header or HEADER)
    for row in ROWS if rows is None else rows:
        sheet.append(row)
    sheet.append(["合  计", None, None, None, None, None, None, 1.5, None])
    sheet.append([])
    sheet.append(["填表人：王芳", None, None, None, "审核人：张伟"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list[Any]] | None = None, *, encoding: str = "gbk", header: list[str] | None = None
) -> bytes:
    """The same ledger saved as CSV by a spreadsheet program: dates as text, no merged cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(header or HEADER)
    for row in ROWS if rows is None else rows:
        writer.writerow(
            [value.strftime("%Y/%m/%d") if isinstance(value, datetime.date) else value for value in row]
        )
    writer.writerow(["合计", "", "", "", "", "", "", "1.5", ""])
    return out.getvalue().encode(encoding)


def xls() -> bytes:
    return (FILES / "ledger.xls").read_bytes()
