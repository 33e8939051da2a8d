"""Importing a ledger spreadsheet: formats, loose names within scope, idempotency across formats, and every
kind of bad input refused with its row and column, nothing written."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from factories import RegionFactory, UserFactory

from jiandu.core.models import AuditAction, AuditEntry
from jiandu.ledger.import_messages import MESSAGES
from jiandu.ledger.imports import problem_import
from jiandu.ledger.models import Ledger, Problem
from jiandu.ledger.tests.ledger_files import HEADER, ROWS, csv_bytes, xls, xlsx
from jiandu.org.models import RegionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(registry):
    return UserFactory(body=registry.commission, permissions=["ledger.add_problem"])


def run(user, data, **kwargs):
    with translation.override("zh-hans"):
        return problem_import(acting_user=user, data=data, filename="台账.xlsx", **kwargs)


def row(**changes):
    """One row of HEADER, changed by field position name."""
    values = dict(zip(HEADER, ROWS[0], strict=True))
    values.update(changes)
    return [values[title] for title in HEADER]


def test_an_xlsx_with_titles_merged_cells_and_loose_names_is_filed_as_the_users_body(registry, editor):
    report = run(editor, xlsx())

    assert report.accepted, report.as_dict()
    assert (report.format, report.header_row, report.created, report.unchanged) == ("xlsx", 3, 3, 0)
    first, second, third = Problem.objects.order_by("found_on")
    assert first.region == registry.tianxing and first.responsible_region == registry.maguan
    assert first.amount == Decimal("12000.00") and first.found_by == registry.commission
    assert first.source.name == "巡察" and first.category.name == "民生资金发放"
    assert second.ledger == Ledger.DEPARTMENT and second.responsible_department == registry.health
    assert second.amount == Decimal("3000.00") and second.region == registry.machang
    # No village, no unit: the township is the place and answers for it.
    assert third.region == registry.maguan and third.responsible_region == registry.maguan
    assert third.amount is None and third.created_by == editor


def test_one_audit_entry_summarises_the_import(registry, editor):
    run(editor, xlsx())
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT, model="ledger.problem")
    assert [entry.detail["created"] for entry in entries] == [3]
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE, model="ledger.problem").exists()


@pytest.mark.parametrize(
    "again",
    [xlsx, lambda: csv_bytes(encoding="gbk"), lambda: csv_bytes(encoding="utf-8-sig"), xls],
    ids=["same-xlsx", "gbk-csv", "utf8-bom-csv", "xls"],
)
def test_the_same_rows_again_in_any_format_create_nothing(registry, editor, again):
    run(editor, xlsx())
    report = run(editor, again())
    assert report.accepted, report.as_dict()
    assert (report.created, report.unchanged) == (0, 3)
    assert Problem.objects.count() == 3


def test_the_committed_xls_is_read_like_the_xlsx(registry, editor):
    report = run(editor, xls())
    assert report.accepted, report.as_dict()
    assert (report.format, report.created) == ("xls", 3)


def test_dates_and_amounts_as_people_type_them(registry, editor):
    rows = [
        row(**{"发现日期": "2026年3月5日", "涉及金额（万元）": "１.２"}),
        row(**{"发现日期": "2026.3.6", "主要问题": "二", "涉及金额（万元）": "0.5万"}),
        row(**{"发现日期": "2026/03/07", "主要问题": "三", "涉及金额（万元）": "无"}),
        row(**{"发现日期": 46087, "主要问题": "四"}),  # an Excel serial date: 2026-03-06
        row(**{"发现日期": "2026-3-8", "主要问题": "五", "涉及金额（万元）": "1,000"}),
    ]
    report = run(editor, xlsx(rows))
    assert report.accepted, report.as_dict()
    got = {p.facts: (p.found_on, p.amount) for p in Problem.objects.all()}
    assert got[ROWS[0][6]] == (datetime.date(2026, 3, 5), Decimal("12000.00"))
    assert got["二"] == (datetime.date(2026, 3, 6), Decimal("5000.00"))  # 万 in the value wins
    assert got["三"] == (datetime.date(2026, 3, 7), None)
    assert got["四"][0] == datetime.date(2026, 3, 6)
    assert got["五"] == (datetime.date(2026, 3, 8), Decimal("10000000.00"))


def test_a_dry_run_counts_and_writes_nothing(registry, editor):
    report = run(editor, xlsx(), dry_run=True)
    assert report.accepted and report.new == 3 and not report.written
    assert not Problem.objects.exists()


def zh(text):
    with translation.override("zh-hans"):
        return str(text)


def error_of(report):
    errors = report.as_dict()["errors"]
    assert errors, "the file was accepted"
    return errors[0]


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (lambda: xlsx([row(**{"发现日期": "2026-02-30"})]), (4, "发现日期"), "2026-02-30"),
        (lambda: xlsx([row(**{"发现日期": "上个月"})]), (4, "发现日期"), "上个月"),
        (lambda: xlsx([row(**{"发现日期": datetime.date(2999, 1, 1)})]), (4, "发现日期"), "2999-01-01"),
        (lambda: xlsx([row(**{"涉及金额（万元）": "一万二"})]), (4, "涉及金额（万元）"), "一万二"),
        (lambda: xlsx([row(**{"涉及金额（万元）": "-5"})]), (4, "涉及金额（万元）"), "-5"),
        (lambda: xlsx([row(**{"所在乡镇": "火星镇"})]), (4, "所在乡镇"), "火星镇"),
        (lambda: xlsx([row(**{"所在乡镇": "南街街道", "所在村（社区）": ""})]), (4, "所在乡镇"), "南街街道"),
        (lambda: xlsx([row(**{"所在乡镇": "白岩镇", "所在村（社区）": ""})]), (4, "所在乡镇"), "白岩镇"),
        (lambda: xlsx([row(**{"整改责任单位": "区卫健局"})]), (4, "整改责任单位"), "区卫健局"),
        (lambda: xlsx([row(**{"整改责任单位": "天星村"})]), (4, "整改责任单位"), "天星村"),
        (lambda: xlsx([row(**{"问题类型": "外星问题"})]), (4, "问题类型"), "外星问题"),
        (lambda: xlsx([row(**{"来源": "托梦"})]), (4, "来源"), "托梦"),
        (lambda: xlsx([row(**{"主要问题": None})]), (4, "主要问题"), None),
        (lambda: xlsx([row(), row(**{"发现日期": "2026-13-01"})]), (5, "发现日期"), "2026-13-01"),
        (lambda: csv_bytes([row(**{"发现日期": "昨天"})]), (3, "发现日期"), "昨天"),
    ],
    ids=[
        "impossible-date", "no-date", "future-date", "bad-amount", "negative-amount", "unknown-township",
        "out-of-scope-township", "carved-out-township", "out-of-scope-department", "village-as-unit",
        "unknown-category", "unknown-source", "empty-facts", "second-row", "csv-row-number",
    ],
)  # fmt: skip
def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_written(
    registry, editor, data, where, words
):
    report = run(editor, data())
    error = error_of(report)
    assert (error["row"], error["column"]) == where
    assert words in error["message"] if words else error["message"] == zh(MESSAGES["required"])
    assert not report.accepted and not report.written
    assert not Problem.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


@pytest.mark.parametrize(
    ("data", "where", "code"),
    [
        (lambda: b"", (None, ""), "empty"),
        (lambda: b"   \r\n", (None, ""), "empty"),
        (lambda: b"%PDF-1.7\x00\x01\x02binary", (None, ""), "not_spreadsheet"),
        (lambda: b"PK\x03\x04 not really a workbook", (None, ""), "not_spreadsheet"),
        (lambda: "发现时间,问题描述\n2026-3-5,".encode() + b"\xff\xfe\xfa\n", (2, "B"), "encoding"),
        (lambda: xlsx(header=[h if h != "发现日期" else "备注" for h in HEADER]), (3, "发现时间"), "missing_column"),
        (lambda: xlsx(header=[h if h != "问题类型" else "备注" for h in HEADER]), (3, "问题类别"), "missing_column"),
        (lambda: xlsx(header=["甲", "乙", "丙"]), (None, ""), "no_header"),
        (lambda: xlsx([]), (3, ""), "no_rows"),
    ],
    ids=[
        "empty", "blank", "binary", "broken-zip", "wrong-encoding", "missing-date-column",
        "missing-category-column", "no-header", "no-rows",
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_a_clear_message(registry, editor, data, where, code):
    report = run(editor, data())
    error = error_of(report)
    assert (error["row"], error["column"]) == where
    # The message of that code, its placeholders filled (the header's titles, the column …).
    template = zh(MESSAGES[code]).split("%(")[0]
    assert error["message"].startswith(template), error["message"]
    if code == "missing_column":
        assert "序号" in error["message"] and where[1] in error["message"]
    assert not Problem.objects.exists()
    assert not Problem.objects.exists()


def test_an_ambiguous_village_is_put_to_the_person_and_their_choice_decides(registry, editor):
    other_township = RegionFactory(
        code="520422103000", name="化处镇", kind=RegionKind.TOWNSHIP, parent=registry.puding
    )
    other = RegionFactory(code="520422103201", name="天星村", kind=RegionKind.VILLAGE, parent=other_township)
    data = xlsx(
        [
            row(**{"所在乡镇": None, "整改责任单位": None}),
            row(**{"所在乡镇": None, "主要问题": "二", "整改责任单位": None}),
        ]
    )

    report = run(editor, data)
    assert not report.accepted
    [choice] = report.choices
    assert choice.column == "所在村（社区）" and choice.rows == [4, 5]
    assert {pk for pk, _label in choice.candidates} == {registry.tianxing.pk, other.pk}
    assert any("化处镇" in label for _pk, label in choice.candidates)
    error = error_of(report)
    assert (error["row"], error["column"]) == (4, "所在村（社区）") and "化处镇" in error["message"]
    assert not Problem.objects.exists()

    report = run(editor, data, choices={choice.key: other.pk})
    assert report.accepted and report.created == 2
    assert set(Problem.objects.values_list("region", "responsible_region")) == {(other.pk, other_township.pk)}


def test_a_choice_outside_the_candidates_decides_nothing(registry, editor):
    other_township = RegionFactory(
        code="520422103000", name="化处镇", kind=RegionKind.TOWNSHIP, parent=registry.puding
    )
    RegionFactory(code="520422103201", name="天星村", kind=RegionKind.VILLAGE, parent=other_township)
    data = xlsx([row(**{"所在乡镇": None, "整改责任单位": None})])
    key = run(editor, data).choices[0].key
    report = run(editor, data, choices={key: registry.nanjie.pk})
    assert not report.accepted and not Problem.objects.exists()


def test_a_dispatched_group_files_for_its_departments_only(registry):
    user = UserFactory(body=registry.group, permissions=["ledger.add_problem"])
    good = row(**{"整改责任单位": "普定县卫生健康局"})
    assert run(user, xlsx([good])).created == 1
    report = run(user, xlsx([row(**{"整改责任单位": "县教育局", "主要问题": "二"})]))
    assert error_of(report)["column"] == "整改责任单位"


def test_without_the_permission_nothing_is_read(registry):
    user = UserFactory(body=registry.commission)
    with pytest.raises(PermissionDenied):
        run(user, xlsx())


def test_english_messages_when_asked(registry, editor):
    with translation.override("en"):
        report = problem_import(acting_user=editor, data=xlsx([row(**{"发现日期": "soon"})]))
    assert "is not a date" in error_of(report)["message"]


def test_a_two_row_header_with_the_unit_split_into_township_and_department(registry, editor):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["普定县问题台账"])
    sheet.append(["序号", "发现日期", "来源", "所在乡镇", "所在村", "问题类型", "主要问题", "责任单位", None])
    sheet.append([None, None, None, None, None, None, None, "乡镇", "部门"])
    for cell in "ABCDEFG":
        sheet.merge_cells(f"{cell}2:{cell}3")
    sheet.merge_cells("H2:I2")
    sheet.append(
        [
            1,
            datetime.date(2026, 3, 5),
            "巡察",
            "马官镇",
            "天星村",
            "民生资金发放",
            "低保延迟发放",
            "马官镇",
            None,
        ]
    )
    sheet.append(
        [
            2,
            datetime.date(2026, 3, 6),
            "巡察",
            "马官镇",
            "马场村",
            "医疗卫生",
            "药品台账缺失",
            None,
            "县卫健局",
        ]
    )
    sheet.append(
        [3, datetime.date(2026, 3, 7), "巡察", "马官镇", "马场村", "医疗卫生", "无人负责", None, None]
    )
    out = io.BytesIO()
    book.save(out)

    report = run(editor, out.getvalue())
    assert report.header_row == 3
    # The row without a unit falls back to the place's township; nothing is read from the sub-header row.
    assert report.accepted, report.as_dict()
    assert report.created == 3
    units = dict(Problem.objects.values_list("facts", "ledger"))
    assert units == {
        "低保延迟发放": Ledger.TOWNSHIP,
        "药品台账缺失": Ledger.DEPARTMENT,
        "无人负责": Ledger.TOWNSHIP,
    }
    assert Problem.objects.get(facts="药品台账缺失").responsible_department.short_name == "县卫健局"


def test_a_two_row_header_names_the_unit_column_by_its_group_and_sub_titles(registry, editor):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "发现日期", "所在村", "问题类型", "主要问题", "责任单位", None])
    sheet.append([None, None, None, None, None, "乡镇", "部门"])
    sheet.append([1, datetime.date(2026, 3, 5), "天星村", "民生资金发放", "低保延迟发放", None, "没有这个局"])
    out = io.BytesIO()
    book.save(out)

    report = run(editor, out.getvalue())
    error = error_of(report)
    assert (error["row"], error["column"]) == (3, "责任单位（乡镇、部门）") and "没有这个局" in error[
        "message"
    ]
