"""The report as a Word document (python-docx): real tables with merged header cells.

Offices exchange Word files; the tables are the same grids as the HTML, merged cell by cell
as the official format draws them, in 宋体/黑体 so Word on a government desktop shows them as
expected (and Noto CJK where those are missing).
"""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .charts import render_all
from .tables import tables_for

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def _east_asian(run_or_style, name: str) -> None:
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    _east_asian(normal, BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = "Arial"
        _east_asian(style, HEADING_FONT)
    _page_number_footer(section)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _paragraph(document, text: str, *, indent=True, bold_prefix: str = ""):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(22)
    if bold_prefix:
        run = paragraph.add_run(bold_prefix)
        run.bold = True
    paragraph.add_run(text)
    return paragraph


def _set_cell(cell, text: str, *, header: bool, number: bool) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or number else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    run.font.size = Pt(8 if len(text) > 24 else 9)
    if header:
        run.bold = True
        _east_asian(run, HEADING_FONT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_grid(document, grid: dict):
    """Place a grid (exports.tables) into a Word table, merging spanned cells."""
    rows, columns = len(grid["rows"]), grid["columns"]
    table = document.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    occupied = [[False] * columns for _ in range(rows)]
    for r, row in enumerate(grid["rows"]):
        c = 0
        for spec in row:
            while c < columns and occupied[r][c]:
                c += 1
            if c >= columns:
                raise ValueError(f"grid {grid['key']} row {r} has too many cells")
            last_r, last_c = r + spec["rowspan"] - 1, c + spec["colspan"] - 1
            for rr in range(r, last_r + 1):
                for cc in range(c, last_c + 1):
                    occupied[rr][cc] = True
            target = table.cell(r, c)
            if (last_r, last_c) != (r, c):
                target = target.merge(table.cell(last_r, last_c))
            _set_cell(target, spec["text"], header=spec["header"], number=spec["number"])
            c = last_c + 1
    widths = grid.get("widths")
    if widths:
        usable = Cm(17)
        for index, column in enumerate(table.columns):
            width = int(usable * widths[index] / 100)
            for cell in column.cells:
                cell.width = width
    return table


def render_docx(data: dict, *, charts: bool = True) -> bytes:
    document = Document()
    _setup(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(data["title"])
    run.bold = True
    run.font.size = Pt(18)
    _east_asian(run, HEADING_FONT)
    if data["no_data_note"]:
        _paragraph(document, _("：本报告各项数据均为零。"), bold_prefix=data["no_data_note"])
    images = render_all(data) if charts else {}
    tables = tables_for(data)
    for section in data["sections"]:
        heading = document.add_heading(section["heading"], level=2)
        heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for text in section["paragraphs"]:
            _paragraph(document, text)
        for sub in section.get("subsections", []):
            _paragraph(document, sub["text"], bold_prefix=f"{sub['number']}{sub['heading']}。")
        for grid in tables.get(section["key"], []):
            if grid.get("caption"):
                caption = document.add_paragraph(grid["caption"])
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_grid(document, grid)
            document.add_paragraph()
        kinds = {"proactive": ["by_channel", "by_category"], "requests": ["outcomes", "on_time"]}
        for kind in kinds.get(section["key"], []):
            if kind in images:
                document.add_picture(
                    io.BytesIO(images[kind]), width=Cm(15 if kind != "on_time" else 10)
                )
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
