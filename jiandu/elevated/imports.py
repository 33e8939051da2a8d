"""Import of villages' 三资 figures from a spreadsheet (.xlsx, .xls, .ods or .csv), all rows or none.

Columns (header in the first rows, titles in Chinese or English): 村代码/code (the 12-digit division code,
required), 村名称/village (optional, checked against the code when given), 年度/year, 资金/funds,
资产/assets, 资源/resources (万元; an amount with its own unit, such as 1.2亿, is converted), 来源/source.
Every error names its row and column; a file with any error writes nothing. Importing the same file again
changes nothing (a village and year is replaced, not added).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.elevated import services
from jiandu.elevated.models import VillageAssets
from jiandu.ledger.import_messages import message as sheet_message
from jiandu.lib.sheet_values import ValueProblem, clean_text, fold, parse_amount
from jiandu.lib.spreadsheet import SheetError, column_letter, read_workbook
from jiandu.org.models import Level, Region

HEADER_SEARCH_ROWS = 10
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("村代码", "代码", "区划代码", "村区划代码", "code"),
    "village": ("村名称", "村", "村名", "所在村", "village", "name"),
    "year": ("年度", "年份", "year"),
    "funds": ("资金", "资金万元", "资金(万元)", "funds"),
    "assets": ("资产", "资产万元", "资产(万元)", "assets"),
    "resources": ("资源", "资源万元", "资源(万元)", "resources"),
    "source": ("来源", "数据来源", "备注", "source"),
}
REQUIRED = ("code", "year", "funds", "assets", "resources")
WAN = Decimal(10_000)


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class AssetsRow:
    row: int
    village: Region
    year: int
    funds: Decimal
    assets: Decimal
    resources: Decimal
    source: str
    status: str = "new"  # new, changed, unchanged


@dataclass
class AssetsImport:
    errors: list[RowError] = field(default_factory=list)
    rows: list[AssetsRow] = field(default_factory=list)
    written: bool = False

    @property
    def accepted(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "written": self.written,
            "rows": len(self.rows),
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "errors": [e.as_dict() for e in self.errors],
        }


def _key(text: str) -> str:
    return fold(text).replace("（", "(").replace("）", ")").replace(" ", "").lower()


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    wanted = {_key(t): name for name, titles in COLUMNS.items() for t in titles}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = wanted.get(_key(clean_text(cell)))
            if name and name not in found:
                found[name] = col
        if "code" in found and len(found) >= 3:
            return index, found
    return None


def _amount(value: Any) -> Decimal:
    """万元 as written; a value with its own unit (1.2亿, 3000元) is converted to 万元."""
    yuan = parse_amount(value, multiplier=WAN)
    if yuan is None:
        return Decimal(0)
    return (yuan / WAN).quantize(Decimal("0.01"))


def assets_import(*, acting_user: Any, data: bytes, dry_run: bool = False) -> AssetsImport:
    """Check every row; when all are good (and not `dry_run`), write them in one transaction."""
    if not acting_user.has_perm("elevated.add_villageassets"):
        raise PermissionDenied(_("You may not change elevated supervision."))
    report = AssetsImport()
    try:
        workbook = read_workbook(data)
    except SheetError as exc:
        report.errors.append(RowError(exc.row, "", sheet_message(exc.code, exc.params)))
        return report
    rows = workbook.sheets[0].rows if workbook.sheets else []
    header = _find_header(rows)
    if header is None:
        report.errors.append(
            RowError(
                None, "", _("No header row with the columns 村代码, 年度, 资金, 资产 and 资源 was found.")
            )
        )
        return report
    header_index, columns = header
    titles = {name: clean_text(rows[header_index][col]) for name, col in columns.items()}
    for name in REQUIRED:
        if name not in columns:
            report.errors.append(
                RowError(
                    None,
                    COLUMNS[name][0],
                    _("The required column %(column)s is missing.") % {"column": COLUMNS[name][0]},
                )
            )
    if report.errors:
        return report
    villages = {
        r.code: r
        for r in Region.objects.visible_to(acting_user, CHANGE)
        .filter(level=Level.VILLAGE)
        .only("code", "name")
    }
    seen: dict[tuple[str, int], int] = {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index + 1
        cells = {name: (row[col] if col < len(row) else "") for name, col in columns.items()}
        if not any(clean_text(v) for v in cells.values()):
            continue

        def error(name: str, text: str, number: int = number) -> None:
            title = titles.get(name, name)
            letter = column_letter(columns[name] + 1) if name in columns else ""
            report.errors.append(RowError(number, f"{title} ({letter})" if letter else title, text))

        code = clean_text(cells["code"]).split(".")[0]
        village = villages.get(code)
        if village is None:
            error("code", _("“%(value)s” is not the code of a village in your scope.") % {"value": code})
        elif (
            "village" in cells
            and clean_text(cells["village"])
            and clean_text(cells["village"]) != village.name
        ):
            error(
                "village",
                _("“%(value)s” is not the name of village %(code)s (%(name)s).")
                % {"value": clean_text(cells["village"]), "code": code, "name": village.name},
            )
        year_text = clean_text(cells["year"]).split(".")[0]
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            error("year", _("“%(value)s” is not a year.") % {"value": clean_text(cells["year"])})
        values: dict[str, Decimal] = {}
        for name in ("funds", "assets", "resources"):
            try:
                values[name] = _amount(cells[name])
            except ValueProblem as problem:
                error(name, sheet_message(problem.code, problem.params))
        if village is None or year is None or len(values) < 3:
            continue
        key = (code, year)
        if key in seen:
            error(
                "code",
                _("Village %(code)s and year %(year)s are already in row %(row)s.")
                % {"code": code, "year": year, "row": seen[key]},
            )
            continue
        seen[key] = number
        report.rows.append(
            AssetsRow(number, village, year, source=clean_text(cells.get("source", "")), **values)
        )
    if report.errors:
        report.rows = []
        return report
    existing = {
        (a.village_id, a.year): a
        for a in VillageAssets.objects.filter(village__in=[r.village.pk for r in report.rows])
    }
    for r in report.rows:
        old = existing.get((r.village.pk, r.year))
        if old is None:
            r.status = "new"
        elif (old.funds, old.assets, old.resources, old.source) == (r.funds, r.assets, r.resources, r.source):
            r.status = "unchanged"
        else:
            r.status = "changed"
    if dry_run:
        return report
    try:
        with transaction.atomic():
            for r in report.rows:
                if r.status == "unchanged":
                    continue
                services.village_assets_save(
                    acting_user=acting_user, village=r.village, year=r.year, funds=r.funds,
                    assets=r.assets, resources=r.resources, source=r.source,
                )  # fmt: skip
            audit.audit_import(VillageAssets, detail=report.as_dict() | {"errors": []})
    except ValidationError as exc:
        report.errors.append(RowError(None, "", "; ".join(exc.messages)))
        return report
    report.written = True
    return report
