"""Dates and amounts as people type them: every way of writing one value reads back as that value, and
what is not a value is refused with a code, never a wrong value."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.ledger_sheet import field_of, find_layout, is_footnote, is_total, read_rows
from jiandu.lib.sheet_values import EXCEL_EPOCH, ValueProblem, nfkc, parse_amount, parse_date
from jiandu.lib.spreadsheet import Sheet, SheetError, column_letter, read_workbook

dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31))
FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def date_forms(day: datetime.date) -> list[object]:
    y, m, d = day.year, day.month, day.day
    return [
        day,
        datetime.datetime(y, m, d, 9, 30),
        (day - EXCEL_EPOCH).days,
        float((day - EXCEL_EPOCH).days),
        str((day - EXCEL_EPOCH).days),
        f"{y}年{m}月{d}日",
        f"{y}.{m}.{d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}-{m}-{d}",
        f"{y}{m:02d}{d:02d}",
        f" {y} 年 {m} 月 {d} 日 ",
        f"{y}-{m:02d}-{d:02d} 08:15:00",
        f"{y}年{m}月{d}日".translate(FULL_WIDTH),
    ]


@given(dates)
def test_every_way_of_writing_a_date_reads_back_as_that_date(day):
    for form in date_forms(day):
        assert parse_date(form) == day, form


@given(st.text(alphabet="年月日0123456789./-号abc ", max_size=12))
def test_a_date_is_either_read_or_refused_with_a_code(text):
    try:
        value = parse_date(text)
    except ValueProblem as problem:
        assert problem.code.startswith("date_")
    else:
        assert isinstance(value, datetime.date)


@pytest.mark.parametrize("text", ["2021-02-30", "2021.13.1", "2021年0月5日"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueProblem) as refused:
        parse_date(text)
    assert refused.value.code == "date_invalid"


@pytest.mark.parametrize("value", ["", "上月", "2021年3月", "2021", True, 0, 10_000_000])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueProblem):
        parse_date(value)


amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False)


@given(amounts)
def test_every_way_of_writing_an_amount_reads_back_as_that_amount(amount):
    plain = f"{amount:.2f}"
    grouped = f"{amount:,.2f}"
    forms = [plain, grouped, grouped.translate(FULL_WIDTH), f"¥{grouped}", f"{plain}元", float(plain)]
    for form in forms:
        assert parse_amount(form) == amount, form
    assert parse_amount(f"{amount / 10000}万") == amount
    assert parse_amount(f"{amount / 10000}", multiplier=10000) == amount
    assert parse_amount(float(amount) / 10000, multiplier=10000) == amount


@given(st.text(max_size=10))
def test_an_amount_is_either_a_non_negative_number_none_or_refused(text):
    try:
        value = parse_amount(text)
    except ValueProblem as problem:
        assert problem.code.startswith("amount_")
    else:
        assert value is None or (value >= 0 and value == value.quantize(Decimal("0.01")))


@pytest.mark.parametrize("text", ["1,2", "12,0000", "1.2.3", "一万", "abc", "--5", "5-", "1e5"])
def test_malformed_amounts_are_refused(text):
    with pytest.raises(ValueProblem) as refused:
        parse_amount(text)
    assert refused.value.code == "amount_format"


@pytest.mark.parametrize("text", ["", "无", "-", "/", "不涉及"])
def test_no_amount(text):
    assert parse_amount(text) is None


def test_negative_and_huge_amounts_are_refused():
    with pytest.raises(ValueProblem, match="amount_negative"):
        parse_amount("-1")
    with pytest.raises(ValueProblem, match="amount_too_large"):
        parse_amount("100000000000000000")
    with pytest.raises(ValueProblem, match="amount_too_large"):
        parse_amount(1e20)


@pytest.mark.parametrize(
    ("title", "field", "multiplier"),
    [
        ("发现时间", "found_on", 1),
        ("发现日期", "found_on", 1),
        ("所在村（社区）", "village", 1),
        ("所在村", "village", 1),
        ("问题类型", "category", 1),
        ("涉及金额（元）", "amount", 1),
        ("涉及金额\n（万元）", "amount", 10000),
        ("金额(万元)", "amount", 10000),
        ("*整改责任单位", "responsible", 1),
        ("问题表现", "facts", 1),
        ("来源", "source", 1),
        ("备注", None, 1),
    ],
)
def test_column_names_and_their_variants(title, field, multiplier):
    assert field_of(title) == (field, multiplier)


def test_the_header_is_found_under_titles_and_totals_and_footnotes_are_left_out():
    sheet = Sheet(
        "台账",
        [
            ["某县问题台账", "", ""],
            ["", "", ""],
            ["序号", "发现时间", "问题描述", "问题类别", "所在村"],
            [1, "2021-3-5", "甲", "其他", "天兴村"],
            ["", "", "", "", ""],
            [2, "2021-3-6", "乙", "其他", "天兴村"],
            ["合 计", "", "", "", ""],
            ["注：金额单位为元", "", "", "", ""],
            ["填表人：王芳", "", "审核人：张伟", "", ""],
        ],
    )
    layout = find_layout(sheet)
    assert layout.header_row == 3 and layout.missing == []
    assert [row.number for row in read_rows(sheet, layout)] == [4, 6]
    assert is_total(["小计", 3]) and not is_total(["合作社问题", 3])
    assert is_footnote(["注：以上为初步核实情况"]) and not is_footnote(
        ["注射器管理混乱", "医疗卫生", "x", "y"]
    )


def test_csv_in_gbk_utf8_and_utf16_reads_the_same_rows():
    text = "发现时间\t问题描述\n2021-3-5\t低保\n"
    for encoding in ("gbk", "utf-8", "utf-8-sig", "utf-16"):
        book = read_workbook(text.encode(encoding))
        assert book.sheets[0].rows == [["发现时间", "问题描述"], ["2021-3-5", "低保"]], encoding


def test_unreadable_files():
    for data, code in [(b"", "empty"), (b"\x00\x01", "not_spreadsheet"), (b"a,b\n\xff\xfe\xfd", "encoding")]:
        with pytest.raises(SheetError) as refused:
            read_workbook(data)
        assert refused.value.code == code


@given(st.integers(min_value=1, max_value=18278))
def test_column_letters_count_like_a_spreadsheet(number):
    letters = column_letter(number)
    assert letters.isalpha() and letters.isupper()
    back = 0
    for letter in letters:
        back = back * 26 + ord(letter) - ord("A") + 1
    assert back == number


# Chinese prose, full-width and plain ASCII, the ideographic space, combining marks that compose with what
# comes before them (Ａ + ◌́ is Á), half-width katakana and their voicing marks (ｶﾞ is ガ), Hangul jamo.
NORMALISATION_TRAPS = (
    "低保资金延迟发放，（第１项）：；Ａａ１Ｚ～！　 aA1,()\u0301\u0308\u0327ｶﾞﾟｰ\u1100\u1161①㎡ﬁ\x1f"
)


@given(st.text(alphabet=NORMALISATION_TRAPS, max_size=40))
def test_nfkc_is_unicode_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_composes_a_full_width_letter_with_the_mark_after_it():
    assert nfkc("Ａ\u0301，") == "Á,"
