"""The minutes of a consultation session as a .docx file, laid out as Chinese official documents are.

After GB/T 9704-2012 where it is simple to follow: A4 paper; margins 37 mm top, 35 mm bottom, 28 mm left,
26 mm right; the title in 小标宋 (方正小标宋简体) 2号 (22 pt), centred; first-level headings in 黑体 3号,
second-level in 楷体; body text in 仿宋 (仿宋_GB2312) 3号 (16 pt) at a fixed 28 pt line spacing, each
paragraph indented by two characters; the page number as "— 1 —" at the foot. The East Asian font is set
on every run (`w:eastAsia`): Word and WPS pick fonts for Chinese text from it, not from the Latin name.

Only what the reader may see goes in: the problems are those the caller passes, already cut by
`visible_to`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jiandu.consultation.models import Participant, Session, SessionItem

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四
CHINESE_NUMERALS = "一二三四五六七八九十"


def _font(run: Any, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _paragraph(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    bold: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
) -> Any:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    _font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, SIZE_4)
    # A PAGE field as Word writes one: begin, instruction, end, each in a run of its own.
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = paragraph.add_run()
        _font(run, BODY_FONT, SIZE_4)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), BODY_FONT, SIZE_4)


def _set_page(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)
    # The default style too, so that text typed into the file later looks like the rest.
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _unit(item: SessionItem) -> str:
    problem = item.problem
    unit = problem.responsible_region if problem.responsible_region_id else problem.responsible_department
    return unit.name if unit is not None else ""


def _decision_text(item: SessionItem) -> str:
    if not item.decision:
        return _("not decided")
    text = item.get_decision_display()
    if item.systemic_id:
        text += _(" (systemic problem #%(id)s)") % {"id": item.systemic_id}
    return text


def _heading(doc: Any, number: int, text: str) -> None:
    _paragraph(doc, f"{CHINESE_NUMERALS[number - 1]}、{text}", font=HEADING_FONT)


def _table(doc: Any, items: Sequence[SessionItem]) -> None:
    headers = [_("No."), _("Problem"), _("Responsible unit"), _("Category"), _("Decision"), _("Note")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(12), Mm(58), Mm(28), Mm(22), Mm(22), Mm(14)]
    rows = [headers] + [
        [
            str(n),
            item.problem.facts,
            _unit(item),
            str(item.problem.category),
            _decision_text(item),
            item.note,
        ]
        for n, item in enumerate(items, start=1)
    ]
    for index, values in enumerate(rows):
        cells = table.rows[0].cells if index == 0 else table.add_row().cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.LEFT
            font = HEADING_FONT if index == 0 else BODY_FONT
            _font(paragraph.add_run(value), font, SIZE_TABLE)
    # Repeat the header row on every page the table runs over.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)


def minutes_docx(
    session: Session, participants: Sequence[Participant], items: Sequence[SessionItem]
) -> bytes:
    """The minutes of `session`, with the given participants and problems (those the reader may see)."""
    doc = Document()
    _set_page(doc)
    doc.core_properties.title = session.title
    doc.core_properties.author = session.convener.name
    _paragraph(
        doc,
        _("Minutes of the consultation session"),  # zh: 会商研判会议纪要
        font=TITLE_FONT,
        size=SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _paragraph(doc, session.title, font=SUBHEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, "", indent=False)
    facts = [
        (_("Date"), date_format(session.held_on, "DATE_FORMAT")),
        (_("Place"), session.place or "—"),
        (_("Convened by"), session.convener.name),
        (_("Participants"), "、".join(str(p) for p in participants) or "—"),
    ]
    for label, value in facts:
        _paragraph(doc, _("%(label)s: %(value)s") % {"label": label, "value": value})
    _heading(doc, 1, _("Analysis"))  # zh: 分析研判情况
    for line in (session.analysis or "—").splitlines() or ["—"]:
        if line.strip():
            _paragraph(doc, line.strip())
    _heading(doc, 2, _("Decisions on the problems"))  # zh: 研判意见
    counts = {
        label: sum(1 for item in items if item.decision == value)
        for value, label in (
            ("rectify", _("to rectify")),
            ("transfer", _("transferred as clues")),
            ("systemic", _("treated as systemic")),
        )
    }
    summary = _("%(total)s problems were weighed: %(detail)s.") % {
        "total": len(items),
        "detail": _(", ").join(  # zh: ，
            f"{label} {count}" for label, count in counts.items()
        ),
    }
    _paragraph(doc, summary)
    if items:
        _table(doc, items)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
