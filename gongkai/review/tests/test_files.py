"""Attachments: real PDF, Word, Excel and PowerPoint files, and the ways a file can be bad."""

import io
import os
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from gongkai.review import extract
from gongkai.review.kinds import Kind
from gongkai.review.matchers import Ruleset, WordMatcher
from gongkai.review.scanner import scan_document, scan_file

from .helpers import ID_A

MASKED_A = ID_A[:6] + "********" + ID_A[-4:]


def by_kind(report):
    out = {}
    for f in report.findings:
        out.setdefault(f.kind, []).append(f)
    return out


# -- builders ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    """Three pages of real text, rendered with WeasyPrint and the Noto CJK fonts."""
    from weasyprint import HTML

    html = f"""<html><head><meta charset="utf-8"><style>
      body {{ font-family: "Noto Sans CJK SC"; font-size: 12pt }}
      section {{ page-break-after: always }}
    </style></head><body>
      <section><p>寮步镇人民政府关于做好2012年防汛工作的通知</p></section>
      <section><p>秘密★1年</p><p>申请人王五，身份证号{ID_A}，联系电话13800138000。</p></section>
      <section><p>附件：防汛物资清单</p></section>
    </body></html>"""
    return HTML(string=html).write_pdf()


def image_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, format="PDF")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "内部资料　注意保存"
    document.add_paragraph("关于2012年低保对象的公示")
    document.add_paragraph(f"户主：李四，身份证号 {ID_A}。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系电话"
    table.cell(0, 1).text = "13900139000"
    kept = document.add_paragraph("保留的文字")
    # A tracked deletion: still inside the file that would be published.
    kept._p.append(
        docx.oxml.parse_xml(
            '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:id="9" w:author="editor"><w:r><w:delText>原手机15012345678</w:delText></w:r></w:del>'
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号", "手机"])
    sheet.append(["王五", ID_A, 13800138000])
    hidden = workbook.create_sheet("备用")
    hidden.sheet_state = "hidden"
    hidden["C4"] = "秘密★长期"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    slide = (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>'
        "<p:sp><p:txBody><a:p><a:r><a:t>工作汇报</a:t></a:r></a:p>"
        "<a:p><a:r><a:t>内部资料</a:t></a:r></a:p></p:txBody></p:sp>"
        "</p:spTree></p:cSld></p:sld>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "<p/>")
        zf.writestr("ppt/slides/slide1.xml", slide)
    return buffer.getvalue()


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def ole_with(*stream_names: str) -> bytes:
    # The OLE2 signature and directory entry names (UTF-16) are what the type check reads.
    header = extract.OLE_MAGIC + b"\x00" * 504
    return header + b"".join(name.encode("utf-16-le") + b"\x00" * 16 for name in stream_names)


# -- formats ----------------------------------------------------------------------------------


def test_it_scans_a_real_pdf_page_by_page(text_pdf):
    report = scan_file(text_pdf, "通知.pdf")
    found = by_kind(report)
    assert report.files[0].type == "pdf" and report.files[0].pages == 3
    (mark,) = found[Kind.CLASSIFICATION]
    (id_number,) = found[Kind.ID_NUMBER]
    assert (mark.page, mark.value) == (2, "秘密★1年")
    assert id_number.page == 2 and id_number.field == "通知.pdf"
    assert id_number.value == MASKED_A and ID_A not in id_number.snippet
    assert [f.page for f in found[Kind.MOBILE]] == [2]


def test_it_marks_pdf_pages_without_a_text_layer_for_checking_by_eye(text_pdf):
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf)))
    writer.append(PdfReader(io.BytesIO(image_pdf())))
    writer.append(PdfReader(io.BytesIO(image_pdf())))
    buffer = io.BytesIO()
    writer.write(buffer)
    report = scan_file(buffer.getvalue(), "扫描件.pdf")
    (unscannable,) = by_kind(report)[Kind.UNSCANNABLE]
    assert unscannable.page == 4
    assert "第 4–5 页没有文字层" in unscannable.message
    assert Kind.ID_NUMBER in by_kind(report)  # the text pages were still scanned


def test_it_never_passes_an_image_silently():
    report = scan_file(png(), "照片.png")
    assert [f.kind for f in report.findings] == [Kind.UNSCANNABLE]
    assert "人工" in report.findings[0].message
    only_image = scan_file(image_pdf(), "扫描件.pdf")
    assert [f.kind for f in only_image.findings] == [Kind.UNSCANNABLE]


def test_it_scans_word_body_tables_headers_and_tracked_deletions():
    report = scan_file(docx_bytes(), "公示.docx")
    found = by_kind(report)
    assert report.files[0].type == "docx"
    (id_number,) = found[Kind.ID_NUMBER]
    assert (id_number.paragraph, id_number.sheet) == (2, "")
    marks = {(f.value, f.sheet) for f in found[Kind.CLASSIFICATION]}
    assert marks == {("内部资料", "页眉"), ("注意保存", "页眉")}
    assert sorted(f.value for f in found[Kind.MOBILE]) == ["139****9000", "150****5678"]


def test_it_scans_every_sheet_and_names_the_cell():
    report = scan_file(xlsx_bytes(), "名单.xlsx")
    found = by_kind(report)
    assert [(f.sheet, f.cell) for f in found[Kind.ID_NUMBER]] == [("名单", "B2")]
    assert [(f.sheet, f.cell) for f in found[Kind.MOBILE]] == [("名单", "C2")]
    assert [(f.sheet, f.cell, f.value) for f in found[Kind.CLASSIFICATION]] == [
        ("备用", "C4", "秘密★长期")
    ]
    assert found[Kind.MOBILE][0].location() == "名单 单元格 C2"


def test_it_scans_slides():
    report = scan_file(pptx_bytes(), "汇报.pptx")
    (mark,) = report.findings
    assert (mark.kind, mark.page, mark.line) == (Kind.CLASSIFICATION, 1, 2)


def test_it_reads_chinese_text_files_in_gbk_and_html_comments():
    text = scan_file(f"联系人手机13800138000\n身份证{ID_A}".encode("gb18030"), "名单.txt")
    assert {f.kind for f in text.findings} == {Kind.MOBILE, Kind.ID_NUMBER}
    html = scan_file(
        f"<html><body><p>通知</p><!-- 旧稿：{ID_A} --></body></html>".encode(), "page.html"
    )
    assert [f.kind for f in html.findings] == [Kind.ID_NUMBER]
    assert html.files[0].type == "html"


def test_it_accepts_paths_bytes_and_file_objects(tmp_path):
    data = "手机13800138000".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    sources = [
        str(path),
        path,
        data,
        io.BytesIO(data),
        ContentFile(data, name="a.txt"),
        SimpleUploadedFile("a.txt", data),
    ]
    for source in sources:
        report = scan_file(source, "a.txt")
        assert [f.kind for f in report.findings] == [Kind.MOBILE], source
    assert scan_file(str(path)).files[0].name == "a.txt"


# -- bad input --------------------------------------------------------------------------------


def test_it_refuses_an_encrypted_pdf_with_a_clear_message(text_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    report = scan_file(buffer.getvalue(), "加密.pdf")
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "已加密" in report.findings[0].message
    assert report.files[0].readable is False


def test_it_scans_a_pdf_that_has_only_an_owner_password(text_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    report = scan_file(buffer.getvalue(), "限制编辑.pdf")
    assert Kind.ID_NUMBER in by_kind(report)


def test_it_refuses_password_protected_office_files():
    report = scan_file(ole_with("EncryptionInfo", "EncryptedPackage"), "名单.xlsx")
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "设有打开密码" in report.findings[0].message


def test_it_marks_legacy_word_files_as_not_scannable():
    report = scan_file(ole_with("WordDocument", "1Table"), "旧通知.doc")
    assert [f.kind for f in report.findings] == [Kind.UNSCANNABLE]
    assert ".docx" in report.findings[0].message


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "坏.pdf", "损坏"),
        (b"PK\x03\x04" + b"\x00" * 100, "坏.docx", "损坏"),
        (os.urandom(64) + b"\x00\x01\x02" * 100, "数据.bin", "无法识别"),
        (b"", "空.txt", "空"),
    ],
)
def test_it_reports_corrupt_and_unknown_files(data, name, words):
    report = scan_file(data, name)
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert words in report.findings[0].message


def test_it_refuses_a_zip_bomb_before_python_docx_opens_it(monkeypatch):
    opened = []
    monkeypatch.setattr(
        "docx.opc.package.OpcPackage.open", classmethod(lambda cls, f: opened.append(f))
    )
    bomb = zip_with(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (20 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000
    report = scan_file(bomb, "炸弹.docx")
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "压缩炸弹" in report.findings[0].message
    assert opened == []


def test_it_refuses_a_container_that_unpacks_beyond_the_limit(settings, monkeypatch):
    settings.GONGKAI_SCAN_MAX_UNZIPPED_MB = 1
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    members = {"[Content_Types].xml": b"<Types/>"}
    for i in range(3):
        members[f"xl/worksheets/sheet{i}.xml"] = os.urandom(300_000).hex().encode()
    report = scan_file(zip_with(members), "大表.xlsx")
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "超过 1 MB" in report.findings[0].message
    assert opened == []


def test_it_refuses_files_over_the_size_limit(settings, tmp_path):
    settings.GONGKAI_SCAN_MAX_MB = 1
    big = tmp_path / "大文件.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    report = scan_file(str(big))
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "超过 1 MB" in report.findings[0].message
    small = scan_file(b"a" * 2048, "a.txt", max_bytes=1024)
    assert [f.kind for f in small.findings] == [Kind.UNREADABLE]


def test_it_reads_the_type_from_the_content_and_reports_a_wrong_extension():
    report = scan_file(docx_bytes(), "通知.pdf")
    found = by_kind(report)
    (mismatch,) = found[Kind.TYPE_MISMATCH]
    assert ".pdf" in mismatch.message and "DOCX" in mismatch.message
    assert Kind.ID_NUMBER in found  # scanned as what it really is
    assert scan_file(png(), "图.jpg").findings[0].kind == Kind.UNSCANNABLE  # same family: fine


def test_it_turns_a_library_crash_into_a_finding(monkeypatch, text_pdf):
    def explode(data):
        raise RuntimeError("pypdf exploded")

    monkeypatch.setitem(extract._EXTRACTORS, "pdf", explode)
    report = scan_file(text_pdf, "a.pdf")
    assert [f.kind for f in report.findings] == [Kind.UNREADABLE]
    assert "RuntimeError" in report.findings[0].message


def test_it_scans_a_whole_item_fields_and_attachments(text_pdf):
    words = WordMatcher([("防汛物资", "测试")])
    report = scan_document(
        fields={"title": "关于防汛工作的通知", "summary": "", "body": "<p>防汛物资已到位。</p>"},
        attachments=[("通知.pdf", text_pdf), ("照片.png", png())],
        ruleset=Ruleset(words=words),
    )
    places = sorted({(f.kind, f.field) for f in report.findings})
    assert places == sorted(
        {
            (Kind.SENSITIVE_WORD, "正文"),
            (Kind.SENSITIVE_WORD, "通知.pdf"),
            (Kind.CLASSIFICATION, "通知.pdf"),
            (Kind.ID_NUMBER, "通知.pdf"),
            (Kind.MOBILE, "通知.pdf"),
            (Kind.UNSCANNABLE, "照片.png"),
        }
    )
    assert report.fields == ["标题", "正文", "通知.pdf", "照片.png"]
    assert [f.name for f in report.files] == ["通知.pdf", "照片.png"]
