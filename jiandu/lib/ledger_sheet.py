"""A problem ledger as units keep it in a spreadsheet: find the header row under the titles, map the Chinese
column names (with their usual variants) to fields, skip total, blank and footnote rows, and read every
row's values. Pure code, no Django: names are matched to the registry and messages are worded by the caller.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

from jiandu.lib.sheet_values import ValueProblem, clean_text, parse_amount, parse_date
from jiandu.lib.spreadsheet import Sheet, SheetError

# Field → the column names people use for it, without a trailing unit in brackets: 所在村（社区） is read
# as 所在村, 涉及金额（万元） as 涉及金额 counted in 万元.
ALIASES: dict[str, tuple[str, ...]] = {
    "found_on": (
        "发现时间", "发现日期", "发现问题时间", "发现问题日期", "问题发现时间", "发现时间日期",
        "检查时间", "检查日期", "监督时间", "监督检查时间", "日期", "时间",
    ),
    "source": ("问题来源", "来源", "监督方式", "发现方式", "监督类型", "问题发现方式"),
    "county": ("所在县", "所在县区", "县区", "县(区)", "所属县区", "县"),
    "township": (
        "所在乡镇", "乡镇", "所属乡镇", "乡镇街道", "所在乡镇街道", "乡(镇)", "乡(镇、街道)", "乡镇(街道)",
        "所在乡(镇)",
    ),
    "village": ("所在村", "所在村居", "村", "村居", "所属村", "村(社区)", "村(居)", "所在村(社区)", "村社区"),
    "place": ("问题发生地", "所在地", "地点", "问题所在地", "发生地点", "所在地点"),
    "category": ("问题类别", "问题类型", "类别", "问题分类", "类型", "问题性质"),
    "facts": (
        "问题描述", "主要问题", "问题表现", "问题内容", "存在问题", "具体问题", "问题简要情况", "问题情况",
        "发现问题", "问题",
    ),
    "amount": ("涉及金额", "金额", "涉及资金", "问题金额", "涉案金额", "涉及资金金额"),
    "responsible": ("责任单位", "整改责任单位", "责任主体", "整改单位", "责任部门", "整改责任主体"),
}  # fmt: skip
REQUIRED = ("found_on", "category", "facts")
PLACE_FIELDS = ("village", "township", "county", "place")
TEXT_FIELDS = ("source", "county", "township", "village", "place", "category", "facts", "responsible")
HEADER_SCAN = 30  # the header is among the first rows
MIN_HEADER_FIELDS = 2

TOTAL_WORDS = ("合计", "小计", "总计", "共计")
FOOTNOTE_WORDS = (
    "注",
    "备注",
    "说明",
    "填表",
    "制表",
    "审核",
    "联系人",
    "联系电话",
    "负责人",
    "填报",
    "签字",
)

_BRACKET = re.compile(r"\(([^()]*)\)$")
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def header_key(title: Any) -> str:
    """A column title folded for comparison: full-width brackets and letters folded, spaces, line breaks
    and required-marks (*) removed."""
    text = unicodedata.normalize("NFKC", str(title or ""))
    return "".join(text.split()).strip("*※")


def field_of(title: Any) -> tuple[str | None, int]:
    """The field a column title names, and the multiplier of its unit (10000 for 万元), or (None, 1)."""
    key = header_key(title)
    if not key:
        return None, 1
    multiplier = 10000 if "万元" in key or key.endswith("(万)") else 1
    if key in _LOOKUP:
        return _LOOKUP[key], multiplier
    base = _BRACKET.sub("", key)
    name = _LOOKUP.get(base)
    if name is None and key.endswith(("(元)", "(万元)")):
        name = _LOOKUP.get(key.rsplit("(", 1)[0])
    return name, multiplier


@dataclass
class Column:
    field: str
    index: int  # 0-based position in the row
    title: str  # as written in the file
    multiplier: int = 1
    alternates: tuple[
        int, ...
    ] = ()  # more columns of the same field (乡镇 | 部门 under 责任单位): first filled


@dataclass
class Layout:
    """Where the table is: the header row (1-based, as shown) and which column holds which field."""

    header_row: int
    columns: dict[str, Column]
    titles: list[str]  # every non-empty title of the header row, as written

    def title(self, name: str) -> str:
        column = self.columns.get(name)
        return column.title if column else ALIASES[name][0]

    @property
    def missing(self) -> list[str]:
        """Required fields with no column; a place column of any level is needed too."""
        gone = [name for name in REQUIRED if name not in self.columns]
        if not any(name in self.columns for name in PLACE_FIELDS):
            gone.append("place")
        return gone


def find_layout(sheet: Sheet) -> Layout:
    """The header row (the row among the first ones naming the most fields) and its columns;
    SheetError("no_header") when no row names at least two fields."""
    best: Layout | None = None
    for number, cells in enumerate(sheet.rows[:HEADER_SCAN], start=1):
        columns: dict[str, Column] = {}
        titles: list[str] = []
        for index, cell in enumerate(cells):
            if not isinstance(cell, str) or not cell.strip():
                continue
            titles.append(cell.strip())
            name, multiplier = field_of(cell)
            if name is not None and name not in columns:
                columns[name] = Column(name, index, " ".join(cell.split()), multiplier)
        if len(columns) >= MIN_HEADER_FIELDS and (best is None or len(columns) > len(best.columns)):
            best = Layout(number, columns, titles)
    if best is None:
        raise SheetError("no_header", rows=min(len(sheet.rows), HEADER_SCAN))
    return _with_sub_header(sheet, best)


def _text(cells: Sequence[Any], index: int) -> str:
    cell = cells[index] if index < len(cells) else ""
    return " ".join(cell.split()) if isinstance(cell, str) else ""


def _with_sub_header(sheet: Sheet, layout: Layout) -> Layout:
    """A two-row header: group titles merged over sub-columns (责任单位 over 乡镇 | 部门, 问题发生地 over 县 |
    乡镇 | 村), the other titles merged down over both rows. The row under the header is a sub-header when
    every cell it fills is text under a group, i.e. below a title whose right-hand neighbours are empty in
    the header row. A sub-column takes its own field inside a place group, else its group's field (the
    unit's 乡镇 and 部门 are one responsible unit: the first filled)."""
    rows = sheet.rows
    if layout.header_row >= len(rows):
        return layout
    top, sub = rows[layout.header_row - 1], rows[layout.header_row]
    filled = [index for index, cell in enumerate(sub) if cell not in ("", None)]
    if not filled or any(not _text(sub, index) for index in filled):
        return layout
    groups: dict[int, list[int]] = {}  # the column of a group's title → its sub-columns
    for index in filled:
        start = index
        while start >= 0 and not _text(top, start):
            start -= 1
        # The title must span: the header cell right of it empty, with a sub-title below.
        if start < 0 or _text(top, start + 1) or not _text(sub, start + 1):
            return layout
        groups.setdefault(start, []).append(index)
    columns = {name: column for name, column in layout.columns.items() if column.index not in groups}
    titles = list(layout.titles)
    for start, members in groups.items():
        group, (group_field, group_multiplier) = _text(top, start), field_of(_text(top, start))
        for index in members:
            title = _text(sub, index)
            titles.append(title)
            own, multiplier = field_of(title)
            name = own if own is not None and group_field in (None, "place") else group_field
            if name is None:
                continue
            multiplier = max(multiplier, group_multiplier)
            if name in columns and columns[name].index in members:
                kept = columns[name]
                kept.alternates = (*kept.alternates, index)
                kept.title = f"{kept.title.removesuffix('）')}、{title}）"  # 责任单位（乡镇、部门）
            elif name not in columns:
                columns[name] = Column(name, index, f"{group}（{title}）", multiplier)
    if len(columns) < len(layout.columns):
        return layout
    return Layout(layout.header_row + 1, columns, titles)


def is_total(cells: Sequence[Any]) -> bool:
    """合计, 小计, 总计 in one of the first columns (where the serial number or the first text goes)."""
    for cell in cells[:4]:
        if type(cell) is str and cell and len(cell) <= 12:
            text = "".join(cell.split())
            if text.startswith(TOTAL_WORDS):
                return True
    return False


def is_footnote(cells: Sequence[Any]) -> bool:
    filled = [cell for cell in cells if cell != "" and cell is not None]
    if not filled or len(filled) > 3 or not isinstance(filled[0], str):
        return False
    text = "".join(filled[0].split())
    word = next((word for word in FOOTNOTE_WORDS if text.startswith(word)), "")
    # 注：…, 填表人：…, 审核：… — the word then a colon, perhaps after 人 or 单位.
    rest = text[len(word) :].removeprefix("人").removeprefix("单位")
    return bool(word) and rest[:1] in (":", "：")


def is_blank(cells: Sequence[Any]) -> bool:
    return all(cell == "" or cell is None or (type(cell) is str and not cell.strip()) for cell in cells)


@dataclass(slots=True)
class LedgerRow:
    """One data row: its number as the spreadsheet shows it, the values read, the text of every field as
    written (for the preview), and the problems found, as (field, code, params)."""

    number: int
    found_on: datetime.date | None
    amount: Decimal | None
    texts: dict[str, str]
    errors: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class LedgerColumns:
    """The data rows of a ledger, column by column: `numbers[i]` is the spreadsheet's number of row i,
    `texts[field][i]` its text as written (trimmed, full-width folded; the facts only trimmed), `found_on[i]`
    and `amounts[i]` the values read, `errors[i]` the problems of row i as (field, code, params) — only
    for rows that have some."""

    numbers: list[int]
    texts: dict[str, list[str]]
    found_on: list[datetime.date | None]
    amounts: list[Decimal | None]
    errors: dict[int, list[tuple[str, str, dict[str, Any]]]]

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, index: int) -> LedgerRow:
        texts = {name: values[index] for name, values in self.texts.items()}
        return LedgerRow(
            self.numbers[index],
            self.found_on[index],
            self.amounts[index],
            texts,
            list(self.errors.get(index, ())),
        )


def read_rows(sheet: Sheet, layout: Layout) -> list[LedgerRow]:
    """Every data row below the header, one `LedgerRow` each (see `read_columns`)."""
    table = read_columns(sheet, layout)
    return [table.row(index) for index in range(len(table))]


def read_columns(sheet: Sheet, layout: Layout) -> LedgerColumns:
    """Every data row below the header, read column by column; total rows (合计, 小计 …), blank rows and
    footnotes (注：, 填表人：) are left out. Values that cannot be read are errors of their row, not
    exceptions. Ledgers repeat their dates, names, categories and amounts, so each distinct cell value of a
    column is read once."""
    numbers: list[int] = []
    data: list[list[Any]] = []
    for number, cells in enumerate(sheet.rows[layout.header_row :], start=layout.header_row + 1):
        lead = cells[0] if cells else ""
        # A row led by a number or a date (the serial number, the date found) is a data row.
        if (lead == "" or type(lead) is str) and (is_blank(cells) or is_total(cells) or is_footnote(cells)):
            continue
        numbers.append(number)
        data.append(cells)
    errors: dict[int, list[tuple[str, str, dict[str, Any]]]] = {}
    texts: dict[str, list[str]] = {}
    columns = layout.columns
    shortest = min(map(len, data), default=0)
    for name in TEXT_FIELDS:
        if name in columns:
            raw = _column(data, columns[name].index, shortest)
            for index in columns[name].alternates:
                raw = [
                    a if _filled(a) else b for a, b in zip(raw, _column(data, index, shortest), strict=True)
                ]
            texts[name] = _facts(raw) if name == "facts" else _mapped(raw, clean_text)
    found_on: list[datetime.date | None] = [None] * len(data)
    if "found_on" in columns:
        raw = _column(data, columns["found_on"].index, shortest)
        found_on, texts["found_on"] = _read(raw, _date, "found_on", errors)
    amounts: list[Decimal | None] = [None] * len(data)
    amount_column = columns.get("amount")
    if amount_column is not None:
        raw = _column(data, amount_column.index, shortest)
        multiplier = amount_column.multiplier
        amounts, texts["amount"] = _read(raw, lambda value: _amount(value, multiplier), "amount", errors)
    for name in ("category", "facts"):
        if name in texts:
            for index, text in enumerate(texts[name]):
                if not text:
                    errors.setdefault(index, []).append((name, "required", {}))
    return LedgerColumns(numbers, texts, found_on, amounts, errors)


def _filled(cell: Any) -> bool:
    return cell is not None and cell != "" and not (type(cell) is str and not cell.strip())


def _column(data: list[list[Any]], index: int, shortest: int) -> list[Any]:
    if index < shortest:
        return list(map(itemgetter(index), data))
    return [cells[index] if index < len(cells) else "" for cells in data]


_NUMERIC = frozenset({bool, int, float, Decimal})


def _keys(values: list[Any]) -> list[Any]:
    """Dictionary keys for the values of a column: the values themselves, or (type, value) when the
    column mixes numbers of different types (1, 1.0 and True are equal keys but read differently)."""
    if len(_NUMERIC.intersection(map(type, values))) > 1:
        return [(type(value), value) for value in values]
    return values


def _table(values: list[Any], read: Any) -> tuple[list[Any], dict[Any, Any]]:
    """The keys of the values and `read` of each distinct value."""
    keys = _keys(values)
    if keys is values:
        return keys, {value: read(value) for value in set(values)}
    return keys, {key: read(key[1]) for key in set(keys)}


def _mapped(values: list[Any], read: Any) -> list[Any]:
    """`read` of every value, computed once per distinct value."""
    keys, table = _table(values, read)
    return list(map(table.__getitem__, keys))


def _read(
    values: list[Any], read: Any, name: str, errors: dict[int, list[tuple[str, str, dict[str, Any]]]]
) -> tuple[list[Any], list[str]]:
    """The values read (None where unreadable) and their texts, each distinct value read once by `read`
    (value → (value read or ValueProblem, text)); unreadable ones are noted in `errors` by row index."""
    keys, table = _table(values, read)
    parsed = {
        key: None if isinstance(result[0], ValueProblem) else result[0] for key, result in table.items()
    }
    shown = {key: result[1] for key, result in table.items()}
    bad = {key for key, result in table.items() if isinstance(result[0], ValueProblem)}
    if bad:
        for index, key in enumerate(keys):
            if key in bad:
                problem = table[key][0]
                errors.setdefault(index, []).append((name, problem.code, problem.params))
    return list(map(parsed.__getitem__, keys)), list(map(shown.__getitem__, keys))


def _facts(values: list[Any]) -> list[str]:
    # The facts are kept as written (full-width punctuation is Chinese prose), only trimmed.
    return [value.strip() if type(value) is str else clean_text(value) for value in values]


def _date(value: Any) -> tuple[datetime.date | ValueProblem, str]:
    try:
        parsed: datetime.date | ValueProblem = parse_date(value)
    except ValueProblem as problem:
        parsed = problem
    if isinstance(value, datetime.datetime):
        value = value.date()
    return parsed, value.isoformat() if isinstance(value, datetime.date) else clean_text(value)


def _amount(value: Any, multiplier: int) -> tuple[Decimal | None | ValueProblem, str]:
    try:
        parsed: Decimal | None | ValueProblem = parse_amount(value, multiplier)
    except ValueProblem as problem:
        parsed = problem
    return parsed, clean_text(value)
