"""How ledger.xls was made (xlwt 1.3.0, outside the project's dependencies: it only writes this file).

    pip install --target /tmp/xlwt xlwt==1.3.0 && PYTHONPATH=/tmp/xlwt python make_xls.py

The rows are those of `ledger_rows()` in test_import.py, so the .xls and the .xlsx hold the same problems.
"""

import datetime
from pathlib import Path

import xlwt

ROWS = [
    (
        1,
        datetime.date(2026, 3, 5),
        "巡察",
        "马官",
        "天星村",
        "民生资金发放",
        "天星村低保资金延迟发放三个月",
        1.2,
        "马官镇人民政府",
    ),
    (
        2,
        datetime.date(2026, 3, 6),
        "日常监督",
        "马官镇",
        "马场村",
        "医疗卫生",
        "村卫生室药品台账缺失",
        3000,
        "县卫健局",
    ),
    (3, datetime.date(2026, 3, 7), "派驻监督", "马官镇", "", "作风问题", "镇政府值班人员脱岗", "", ""),
]

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("台账")
sheet.write_merge(0, 0, 0, 8, "普定县纪委监委2026年问题台账")
sheet.write(1, 0, "填报单位：普定县纪委监委")
header = [
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
for column, title in enumerate(header):
    sheet.write(2, column, title)
dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
for number, row in enumerate(ROWS, start=3):
    for column, value in enumerate(row):
        if isinstance(value, datetime.date):
            sheet.write(number, column, value, dates)
        elif value in ("", None):
            continue
        elif column == 7 and not isinstance(value, str):
            sheet.write(number, column, value / 10000 if value > 100 else value)
        else:
            sheet.write(number, column, value)
sheet.write(len(ROWS) + 3, 0, "合计")
book.save(str(Path(__file__).with_name("ledger.xls")))
