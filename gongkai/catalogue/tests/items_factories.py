"""Data for the staff-side catalogue tests: items through the services, real file bytes."""

import io
import json
import struct
import zipfile
import zlib
from datetime import date

from gongkai.catalogue.models import Category
from gongkai.catalogue.services import item_create


def info_category(code="yewu") -> Category:
    return Category.objects.get(scheme=Category.Scheme.INFO, code=code)


def make_item(organisation, *, actor=None, **fields):
    fields.setdefault("title", "寮步镇关于开展安全生产大检查的通知")
    fields.setdefault("created_date", date(2026, 3, 2))
    fields.setdefault("category", info_category())
    return item_create(actor=actor, organisation=organisation, **fields)


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("寮步镇人民政府")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "预算"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ofd_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "OFD.xml", '<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'
        )
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return out.getvalue()


def ole2_bytes() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def draftail(text: str) -> str:
    """The rich text editor posts Draft.js content state, not HTML."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "k1",
                    "type": "unstyled",
                    "text": text,
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                }
            ],
            "entityMap": {},
        }
    )


def item_post_data(*, organisation, category, attachments=(), initial_attachments=0, **overrides):
    """What the browser posts from the item form: every field, as text."""
    data = {
        "title": "寮步镇关于做好2026年防汛工作的通知",
        "summary": "部署全镇防汛备汛工作。",
        "organisation": str(organisation.pk),
        "publisher": "",
        "created_date": "2026-03-02",
        "document_number": "寮府〔2026〕8号",
        "genre": "通知",
        "subject": "",
        "category": str(category.pk),
        "keywords": "防汛",
        "validity": "in_force",
        "effective_from": "",
        "validity_changed_on": "",
        "replaced_by": "",
        "regulatory_kind": "",
        "disclosure_mode": "proactive",
        "withheld_reason": "",
        "body": draftail("各村（社区）、各单位：现将防汛工作通知如下。"),
        "go_live_at": "",
        "expire_at": "",
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": str(initial_attachments),
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    for index, (title, upload) in enumerate(attachments):
        data[f"attachments-{index}-title"] = title
        data[f"attachments-{index}-file"] = upload
        data[f"attachments-{index}-id"] = ""
        data[f"attachments-{index}-ORDER"] = str(index + 1)
        data[f"attachments-{index}-DELETE"] = ""
    data.update(overrides)
    return data
