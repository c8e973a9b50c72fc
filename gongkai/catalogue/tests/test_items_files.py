"""Attachments are judged by their bytes, not by their names."""

import io

import pytest
from django.core.exceptions import ValidationError

from gongkai.catalogue.filetypes import check_file, detect_kind

from .items_factories import (
    docx_bytes,
    ofd_bytes,
    ole2_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
    zip_bytes,
)

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("通知.pdf", pdf_bytes(), "application/pdf"),
        (
            "通知.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "预算.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("公文.ofd", ofd_bytes(), "application/ofd"),
        ("旧文件.doc", ole2_bytes(), "application/msword"),
        ("旧表格.xls", ole2_bytes(), "application/vnd.ms-excel"),
        ("现场.png", png_bytes(), "image/png"),
        ("现场.JPG", JPEG, "image/jpeg"),
        ("现场.jpeg", JPEG, "image/jpeg"),
        ("动图.gif", GIF, "image/gif"),
        ("图.webp", WEBP, "image/webp"),
    ],
)
def test_it_accepts_each_allowed_kind_by_content(name, content, content_type):
    checked = check_file(io.BytesIO(content), name)
    assert checked.content_type == content_type
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("通知.pdf", png_bytes(), ["PNG", "不符"]),
        ("通知.docx", xlsx_bytes(), ["XLSX", "不符"]),
        ("预算.xlsx", docx_bytes(), ["DOCX", "不符"]),
        ("公文.ofd", docx_bytes(), ["不符"]),
        ("通知.docx", zip_bytes(), ["压缩包"]),
        ("旧文件.doc", pdf_bytes(), ["PDF"]),
        ("照片.jpg", b"MZ\x90\x00" + b"\x00" * 100, ["EXE", "不符"]),
        ("照片.png", b"just some text, not an image", ["无法识别"]),
        ("脚本.exe", b"MZ\x90\x00" + b"\x00" * 100, ["不接受"]),
        ("无扩展名", pdf_bytes(), ["不接受"]),
        ("空.pdf", b"", ["空文件"]),
    ],
)
def test_it_refuses_content_that_does_not_match_the_name(name, content, words):
    with pytest.raises(ValidationError) as caught:
        check_file(io.BytesIO(content), name)
    message = caught.value.messages[0]
    assert name in message or name == "无扩展名"
    for word in words:
        assert word in message


def test_it_refuses_a_file_over_the_limit(settings):
    settings.GONGKAI_MAX_UPLOAD_MB = 2
    content = pdf_bytes() + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError, match="超过上限 2 MB"):
        check_file(io.BytesIO(content), "大.pdf")


def test_it_leaves_the_file_rewound():
    handle = io.BytesIO(ofd_bytes())
    assert detect_kind(handle) == "ofd"
    assert handle.tell() == 0
