"""The Word version of an issue, for offices and printers that work in Word."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...printing import item_body_paragraphs
from .layout import masthead as paper_masthead

PAGE_MM = {"A3": (297, 420), "A4": (210, 297)}
BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def _east_asian(run_or_style, name: str) -> None:
    run_or_style.font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _columns(section, count: int) -> None:
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = sect_pr.makeelement(qn("w:cols"), {})
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), "425")


def _page(section, size: str) -> None:
    width, height = PAGE_MM[size]
    section.page_width = Mm(width)
    section.page_height = Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))


def issue_docx(issue) -> bytes:
    channel = issue.channel
    document = Document()
    document.core_properties.title = str(issue)
    document.core_properties.language = "zh-CN"
    normal = document.styles["Normal"]
    _east_asian(normal, BODY_FONT)
    normal.font.size = Pt(10.5)

    first = document.sections[0]
    _page(first, issue.page_size)
    masthead = document.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = masthead.add_run(paper_masthead(channel))
    run.bold = True
    run.font.size = Pt(36)
    _east_asian(run, HEADING_FONT)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run(
        _("%(year)s年第%(number)s期 · %(date)s · 印数 %(copies)s 份 · %(owner)s 主办")
        % {
            "year": issue.date.year,
            "number": issue.number,
            "date": issue.date.strftime("%Y-%m-%d"),
            "copies": f"{issue.copies:,}",
            "owner": channel.organisation.name,
        }
    )

    body = document.add_section(WD_SECTION.CONTINUOUS)
    _page(body, issue.page_size)
    _columns(body, issue.columns)
    appearances = issue.appearances.select_related("item", "item__organisation").order_by(
        "position", "id"
    )
    for appearance in appearances:
        item = appearance.item
        heading = document.add_paragraph()
        title = heading.add_run(item.title)
        title.bold = True
        title.font.size = Pt(14)
        _east_asian(title, HEADING_FONT)
        meta = document.add_paragraph()
        meta_run = meta.add_run(
            "　".join(
                part
                for part in (
                    item.publisher_name,
                    item.index_number or "",
                    item.published_on.strftime("%Y-%m-%d") if item.published_on else "",
                )
                if part
            )
        )
        meta_run.font.size = Pt(8)
        paragraphs = item_body_paragraphs(item) or ([item.summary] if item.summary else [])
        for text in paragraphs:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(21)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
