"""The words for what the pure readers (jiandu/lib/spreadsheet.py, sheet_values.py, ledger_sheet.py) report
as codes: Chinese by default, English with the English interface."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    # The file as a whole.
    "empty": _("The file is empty."),
    # zh: 这不是电子表格文件（只接受 .xlsx、.xls、.ods 和 .csv）。
    "not_spreadsheet": _("This is not a spreadsheet (.xlsx, .xls, .ods and .csv are accepted)."),
    # zh: 文件编码既不是 UTF-8 也不是 GBK：第 %(row)s 行第 %(column)s 列的文字无法识别。请另存为“CSV UTF-8”后再导入。
    "encoding": _(
        "The file is neither UTF-8 nor GBK: the text in row %(row)s, column %(column)s cannot be read. Save it "
        "as “CSV UTF-8” and import it again."
    ),
    "csv": _("The CSV file cannot be read here: %(detail)s."),
    # zh: 在前 %(rows)s 行中没有找到表头（如“发现时间”“问题类别”“问题描述”）。
    "no_header": _(
        "No header row found in the first %(rows)s rows: the table needs columns such as 发现时间, 问题类别, "
        "问题描述 and 所在村 or 所在乡镇."
    ),
    "missing_column": _("The required column %(column)s is missing (the header has: %(titles)s)."),
    "missing_place": _(
        "A column naming the place is missing: 所在村, 所在乡镇, 所在县 or 问题发生地 (the header has: %(titles)s)."
    ),
    "no_rows": _("The table has a header but no rows below it."),
    # Values.
    "required": _("This cell is empty; it is required."),
    "date_empty": _("The date is empty; it is required."),
    "date_format": _(
        "“%(value)s” is not a date (write it as 2021-03-05, 2021/3/5, 2021.3.5 or 2021年3月5日)."
    ),
    "date_invalid": _("“%(value)s” is not a date of the calendar."),
    "date_serial_range": _("%(value)s is not an Excel date."),
    "date_future": _("The date found %(value)s is in the future."),
    "amount_format": _("“%(value)s” is not an amount of money (write it as 12000, 12,000.50 or 1.2万)."),
    "amount_negative": _("The amount “%(value)s” is negative."),
    "amount_too_large": _("The amount “%(value)s” is too large."),
    # Names.
    "unknown_county": _("“%(value)s” is not a county in your scope."),
    "unknown_township": _("“%(value)s” is not a township in your scope."),
    "unknown_village": _("“%(value)s” is not a village or community in your scope."),
    "unknown_place": _("“%(value)s” is not a place in your scope."),
    "unknown_unit": _("“%(value)s” is not a township or a department in your scope."),
    "not_a_unit": _(
        "“%(value)s” is a village; the responsible unit must be a township or a county department."
    ),
    "no_unit": _("No responsible unit: name a township or a department in this column."),
    "no_place": _("The place is empty; name the village, township or county."),
    # zh: “%(value)s”对应多个：%(candidates)s。
    "ambiguous": _("“%(value)s” could be several: %(candidates)s."),
    "unknown_source": _("“%(value)s” is not a problem source of the catalogue (%(choices)s)."),
    "unknown_category": _("“%(value)s” is not a problem category of the catalogue (%(choices)s)."),
    "ambiguous_category": _("“%(value)s” could be several categories: %(choices)s."),
}


def message(code: str, params: dict[str, Any] | None = None) -> str:
    text = str(MESSAGES[code])
    return text % params if params else text
