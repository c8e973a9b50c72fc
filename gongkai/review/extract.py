"""Reading attachments: find the type from the content, refuse what is unsafe to open, and turn
the rest into text segments with their page, paragraph, sheet or cell.

Every way a file can fail ends as a finding with a message in Chinese, never as an exception
in the caller and never as a silent pass.
"""

import codecs
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from lxml import etree

from .htmltext import html_to_text, looks_like_html
from .kinds import Kind
from .matchers import Ruleset
from .scanner import FileReport, ScanReport, Segment, _Occurrences, file_finding, scan_segments

logger = logging.getLogger(__name__)

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip member above this size whose compression ratio is above the limit is a bomb, not an
# office file: Word and Excel XML compresses 5 to 20 times, a bomb thousands of times.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1 * MB
ZIP_MAX_MEMBERS = 10_000
# A PDF page with fewer characters than this and an image on it is taken for a scanned page.
SCANNED_PAGE_CHARS = 10


def _setting_mb(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        from gongkai.settings.env import env_int

        value = env_int(name, default)
    return int(value)


def max_file_bytes() -> int:
    return _setting_mb("GONGKAI_SCAN_MAX_MB", 100) * MB


def max_unzipped_bytes() -> int:
    return _setting_mb("GONGKAI_SCAN_MAX_UNZIPPED_MB", 300) * MB


class Unreadable(Exception):
    """The file could not be read; the message says why, in Chinese."""

    kind = Kind.UNREADABLE

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class Unscannable(Unreadable):
    """The file was read but holds no text to scan (images, scans, old binary formats)."""

    kind = Kind.UNSCANNABLE


# ---------------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------------

TYPE_LABELS = {
    "pdf": _lazy("PDF"),
    "docx": _lazy("Word 文档（DOCX）"),
    "xlsx": _lazy("Excel 表格（XLSX）"),
    "pptx": _lazy("PowerPoint 演示文稿（PPTX）"),
    "doc": _lazy("旧版 Word 文档（DOC）"),
    "xls": _lazy("旧版 Excel 表格（XLS）"),
    "ppt": _lazy("旧版 PowerPoint 演示文稿（PPT）"),
    "office_encrypted": _lazy("加密的 Office 文件"),
    "ole": _lazy("OLE 复合文档"),
    "txt": _lazy("纯文本"),
    "html": _lazy("网页（HTML）"),
    "image": _lazy("图片"),
    "zip": _lazy("压缩包（ZIP）"),
    "zip_corrupt": _lazy("损坏的压缩文件"),
    "ofd": _lazy("OFD 版式文件"),
    "odf": _lazy("OpenDocument 文档"),
    "rtf": _lazy("RTF 文档"),
    "binary": _lazy("无法识别的二进制文件"),
}

# Which extensions each content type may carry; anything else known is a mismatch.
EXTENSIONS = {
    "pdf": {"pdf"},
    "docx": {"docx", "docm", "dotx", "dotm"},
    "xlsx": {"xlsx", "xlsm", "xltx", "xltm"},
    "pptx": {"pptx", "pptm", "ppsx"},
    "doc": {"doc", "dot", "wps"},
    "xls": {"xls", "xlt", "et"},
    "ppt": {"ppt", "pps", "dps"},
    "office_encrypted": {"docx", "xlsx", "pptx", "doc", "xls", "ppt", "docm", "xlsm", "wps", "et"},
    "txt": {"txt", "text", "csv", "tsv", "md", "log", "htm", "html", "xhtml", "shtml", "xml"},
    "html": {"txt", "text", "htm", "html", "xhtml", "shtml", "xml"},
    "image": {"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "avif", "ico"},
    "zip": {"zip"},
    "ofd": {"ofd"},
    "odf": {"odt", "ods", "odp"},
    "rtf": {"rtf", "doc"},  # Word saves RTF under .doc as often as not
}
KNOWN_EXTENSIONS = set().union(*EXTENSIONS.values()) | {"exe", "rar", "7z", "mp4", "mp3"}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff_ole(data: bytes) -> str:
    # Encrypted OOXML (a password-protected .docx/.xlsx) is an OLE2 container holding the
    # streams EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO 2.3.4).
    if _utf16("EncryptedPackage") in data:
        return "office_encrypted"
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    if _utf16("PowerPoint Document") in data:
        return "ppt"
    return "ole"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()  # reads the central directory only, nothing is inflated
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "zip_corrupt"
    has = set(names)
    if "[Content_Types].xml" in has:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    if "OFD.xml" in has:
        return "ofd"
    if "mimetype" in has:
        return "odf"
    return "zip"


def decode_text(data: bytes) -> str | None:
    """Text files from Chinese offices come in UTF-8, UTF-16 (Notepad's "Unicode") or GBK."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:8192]
        controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
        if controls <= len(sample) // 100:
            return text
    return None


def sniff(data: bytes) -> str:
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _sniff_zip(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    guessed = filetype.guess(data[:8192]) if data else None
    if guessed is not None:
        if guessed.mime.startswith("image/"):
            return "image"
        return guessed.extension
    text = decode_text(data)
    if text is None:
        return "binary"
    return "html" if looks_like_html(text) else "txt"


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def type_label(kind: str) -> str:
    return str(TYPE_LABELS.get(kind, kind.upper()))


# ---------------------------------------------------------------------------------------------
# Zip containers (DOCX, XLSX, PPTX): checked before any library opens them
# ---------------------------------------------------------------------------------------------


def zip_guard(data: bytes) -> zipfile.ZipFile:
    """Refuse zip bombs by the sizes the central directory declares.

    Python's zipfile never inflates a member beyond its declared size (ZipExtFile stops at
    file_size and then checks the CRC), and python-docx and openpyxl read through zipfile, so
    checking the declared sizes here bounds what they can be made to unpack.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Unreadable(_("文件已损坏（压缩结构无法读取）。"), "zip-corrupt") from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise Unreadable(
            _("文件包含 %(n)s 个部件，超过上限，疑似压缩炸弹，已拒绝读取。") % {"n": len(infos)},
            "zip-members",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Unreadable(_("文件中有加密的部件，无法读取。"), "zip-encrypted")
        total += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise Unreadable(
                _("文件中的“%(name)s”压缩比异常（%(ratio)s 倍），疑似压缩炸弹，已拒绝读取。")
                % {"name": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
                "zip-ratio",
            )
    limit = max_unzipped_bytes()
    if total > limit:
        raise Unreadable(
            _("文件解压后共 %(size)s MB，超过 %(limit)s MB 的上限，疑似压缩炸弹，已拒绝读取。")
            % {"size": total // MB, "limit": limit // MB},
            "zip-total",
        )
    return zf


def _safe_xml(blob: bytes):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.fromstring(blob, parser=parser)


# ---------------------------------------------------------------------------------------------
# Extractors
# ---------------------------------------------------------------------------------------------


@dataclass
class Extracted:
    segments: list[Segment] = field(default_factory=list)
    pages: int | None = None
    # (kind, message, page, code): pages without a text layer, pages that failed
    notes: list[tuple[str, str, int | None, str]] = field(default_factory=list)


def _ranges(numbers: list[int]) -> str:
    spans = []
    start = prev = numbers[0]
    for n in numbers[1:]:
        if n == prev + 1:
            prev = n
            continue
        spans.append((start, prev))
        start = prev = n
    spans.append((start, prev))
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _page_has_images(page, depth: int = 0) -> bool:
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is not None:
            xobjects = xobjects.get_object()
            for name in xobjects:
                xobject = xobjects[name].get_object()
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    return True
                if subtype == "/Form" and depth < 2 and _page_has_images(xobject, depth + 1):
                    return True
        if depth == 0:
            contents = page.get_contents()
            if contents is not None and re.search(rb"(?:^|\s)BI\s", contents.get_data()):
                return True  # an inline image
    except Exception:  # a broken resource dictionary: treat as no image, the text decides
        return False
    return False


def extract_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception:
        raise Unreadable(_("PDF 文件已损坏，无法读取。"), "pdf-corrupt") from None
    if reader.is_encrypted:
        try:
            # A PDF with only an owner password ("permissions") opens with an empty one.
            opened = reader.decrypt("")
        except Exception:
            opened = 0
        if not opened:
            raise Unreadable(
                _("PDF 文件已加密（设有打开密码），无法读取。请上传未加密的版本。"),
                "pdf-encrypted",
            )
    try:
        pages = reader.pages
        count = len(pages)
    except Exception:
        raise Unreadable(_("PDF 文件已损坏，无法读取页面。"), "pdf-corrupt") from None
    if count == 0:
        raise Unreadable(_("PDF 文件没有页面。"), "pdf-empty")
    out = Extracted(pages=count)
    no_text, failed = [], []
    for number in range(1, count + 1):
        try:
            page = pages[number - 1]
            text = page.extract_text() or ""
        except Exception:
            failed.append(number)
            continue
        if len("".join(text.split())) < SCANNED_PAGE_CHARS and _page_has_images(page):
            no_text.append(number)
        if text.strip():
            out.segments.append(Segment(text, page=number))
    if no_text:
        out.notes.append(
            (
                Kind.UNSCANNABLE,
                _("第 %(pages)s 页没有文字层（可能是扫描件或图片），无法自动扫描，请人工逐页核对。")
                % {"pages": _ranges(no_text)},
                no_text[0],
                f"pdf-no-text:{_ranges(no_text)}",
            )
        )
    if failed:
        out.notes.append(
            (
                Kind.UNREADABLE,
                _("第 %(pages)s 页无法读取（文件可能已损坏），请人工逐页核对。")
                % {"pages": _ranges(failed)},
                failed[0],
                f"pdf-page-error:{_ranges(failed)}",
            )
        )
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml": _lazy("页眉"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml": _lazy("页脚"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": _lazy("脚注"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": _lazy("尾注"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml": _lazy("批注"),
}


def _word_paragraphs(root) -> list[str]:
    """Text of each paragraph, text boxes and tracked deletions included: deleted text is
    still in the file that gets published."""
    paragraphs: dict = {}
    for node in root.iter(_W + "t", _W + "delText", _W + "tab", _W + "br", _W + "cr"):
        p = node.getparent()
        while p is not None and p.tag != _W + "p":
            p = p.getparent()
        if p is None:
            continue
        tag = node.tag
        piece = (
            (node.text or "")
            if tag in (_W + "t", _W + "delText")
            else ("\t" if tag == _W + "tab" else " ")
        )
        paragraphs.setdefault(p, []).append(piece)
    return ["".join(parts) for parts in paragraphs.values()]


def extract_docx(data: bytes) -> Extracted:
    zip_guard(data)
    from docx.opc.package import OpcPackage

    try:
        package = OpcPackage.open(io.BytesIO(data))
    except Exception:
        raise Unreadable(_("Word 文档已损坏，无法读取。"), "docx-corrupt") from None
    out = Extracted()
    main_seen = False
    for part in package.iter_parts():
        label = _WORD_PARTS.get(part.content_type)
        if label is None:
            continue
        label = str(label)
        main_seen = main_seen or label == ""
        element = getattr(part, "element", None)
        if element is None:
            element = _safe_xml(part.blob)
        paragraphs = [p for p in _word_paragraphs(element) if p.strip()]
        if paragraphs:
            out.segments.append(Segment("\n".join(paragraphs), sheet=label, unit="paragraph"))
    if not main_seen:
        raise Unreadable(_("Word 文档缺少正文部分，文件可能已损坏。"), "docx-no-body")
    return out


def _cell_text(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def extract_xlsx(data: bytes) -> Extracted:
    zip_guard(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise Unreadable(_("Excel 表格已损坏，无法读取。"), "xlsx-corrupt") from None
    out = Extracted()
    try:
        for sheet in workbook.worksheets:  # hidden sheets too: they are published with the file
            lines, cells = [], []
            offset = 0
            for row in sheet.iter_rows():
                parts = []
                row_offset = offset
                for cell in row:
                    text = _cell_text(cell.value)
                    if not text:
                        continue
                    text = text.replace("\n", " ").replace("\t", " ")
                    cells.append((row_offset, cell.coordinate))
                    parts.append(text)
                    row_offset += len(text) + 1
                if parts:
                    line = "\t".join(parts)
                    lines.append(line)
                    offset += len(line) + 1
            if lines:
                out.segments.append(
                    Segment("\n".join(lines), sheet=sheet.title, unit="cells", cells=cells)
                )
    finally:
        workbook.close()
    return out


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SLIDE_RE = re.compile(r"ppt/(slides|notesSlides)/(?:slide|notesSlide)(\d+)\.xml")


def extract_pptx(data: bytes) -> Extracted:
    zf = zip_guard(data)
    slides = []
    for name in zf.namelist():
        m = _SLIDE_RE.fullmatch(name)
        if m:
            slides.append((int(m.group(2)), m.group(1) == "notesSlides", name))
    out = Extracted(pages=sum(1 for s in slides if not s[1]))
    for number, is_notes, name in sorted(slides):
        root = _safe_xml(zf.read(name))
        paragraphs = ["".join(t.text or "" for t in p.iter(_A + "t")) for p in root.iter(_A + "p")]
        text = "\n".join(p for p in paragraphs if p.strip())
        if text:
            out.segments.append(Segment(text, page=number, sheet=_("备注") if is_notes else ""))
    return out


def extract_text(data: bytes, kind: str) -> Extracted:
    text = decode_text(data)
    if text is None:
        raise Unreadable(_("无法识别文本文件的编码。"), "text-encoding")
    if kind == "html":
        text = html_to_text(text)
    return Extracted(segments=[Segment(text)] if text.strip() else [])


_UNSCANNABLE = {
    "image": (_lazy("图片文件无法自动识别其中的文字，请人工核对。"), "image"),
    "doc": (
        _lazy("旧版 Word（.doc）文件无法自动扫描，请另存为 .docx 后重新上传，或人工逐页核对。"),
        "doc",
    ),
    "xls": (
        _lazy("旧版 Excel（.xls）文件无法自动扫描，请另存为 .xlsx 后重新上传，或人工逐表核对。"),
        "xls",
    ),
    "ppt": (
        _lazy(
            "旧版 PowerPoint（.ppt）文件无法自动扫描，请另存为 .pptx 后重新上传，或人工逐页核对。"
        ),
        "ppt",
    ),
    "ole": (_lazy("无法识别的 Office 复合文档，无法自动扫描，请人工核对。"), "ole"),
    "zip": (_lazy("压缩包无法自动扫描，请解压后分别上传。"), "zip"),
    "ofd": (_lazy("OFD 版式文件暂不能自动扫描，请人工逐页核对，或上传 PDF 版本。"), "ofd"),
    "odf": (
        _lazy("OpenDocument 文件暂不能自动扫描，请另存为 .docx/.xlsx 后重新上传，或人工核对。"),
        "odf",
    ),
    "rtf": (_lazy("RTF 文件暂不能自动扫描，请另存为 .docx 后重新上传，或人工核对。"), "rtf"),
}
_EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "xlsx": extract_xlsx,
    "pptx": extract_pptx,
}


def extract(data: bytes, kind: str) -> Extracted:
    if kind in _EXTRACTORS:
        return _EXTRACTORS[kind](data)
    if kind in ("txt", "html"):
        return extract_text(data, kind)
    if kind in _UNSCANNABLE:
        message, code = _UNSCANNABLE[kind]
        raise Unscannable(str(message), code)
    if kind == "office_encrypted":
        raise Unreadable(
            _("Office 文件设有打开密码，无法读取。请取消密码后重新上传。"), "office-encrypted"
        )
    if kind == "zip_corrupt":
        raise Unreadable(_("文件已损坏（压缩结构无法读取）。"), "zip-corrupt")
    raise Unreadable(
        _("无法识别的文件格式（%(type)s），无法扫描。") % {"type": type_label(kind)}, "unknown"
    )


# ---------------------------------------------------------------------------------------------
# Reading the source
# ---------------------------------------------------------------------------------------------


def _too_big(size: int, limit: int) -> Unreadable:
    return Unreadable(
        _("文件大小 %(size)s MB，超过 %(limit)s MB 的扫描上限，未扫描。请拆分后重新上传。")
        % {"size": round(size / MB, 1), "limit": limit // MB},
        "too-big",
    )


def read_source(source, limit: int) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limit:
                raise _too_big(size, limit)
            data = path.read_bytes()
        except OSError as exc:
            raise Unreadable(
                _("无法打开文件：%(error)s") % {"error": exc.strerror or exc}, "os-error"
            ) from None
    else:
        if not hasattr(source, "read") and hasattr(source, "file"):
            source = source.file  # a Wagtail document
        size = getattr(source, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_big(size, limit)
        try:
            if hasattr(source, "seek"):
                source.seek(0)
        except (OSError, ValueError):
            pass
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise _too_big(len(data), limit)
    return data


def scan_file_into(
    source,
    *,
    name: str,
    label: str,
    ruleset: Ruleset,
    report: ScanReport,
    max_bytes: int | None = None,
) -> None:
    occurrences = _Occurrences()
    info = FileReport(name=label)
    report.files.append(info)

    def note(kind, message, page=None, code=""):
        report.findings.append(
            file_finding(kind, label, message, occurrences=occurrences, page=page, code=code)
        )

    try:
        data = read_source(source, max_bytes or max_file_bytes())
        info.size = len(data)
        if not data:
            raise Unreadable(_("文件是空的（0 字节）。"), "empty")
        kind = sniff(data)
        info.type, info.type_label = kind, type_label(kind)
        ext = extension_of(name or label)
        # A damaged or unknown file cannot be said to be of another type; it is unreadable.
        comparable = kind not in ("zip_corrupt", "binary")
        if comparable and ext in KNOWN_EXTENSIONS and ext not in EXTENSIONS.get(kind, set()):
            note(
                Kind.TYPE_MISMATCH,
                _("扩展名为 .%(ext)s，但文件内容是%(type)s；已按实际内容处理。")
                % {"ext": ext, "type": type_label(kind)},
                code=f"mismatch:{ext}:{kind}",
            )
        extracted = extract(data, kind)
        info.pages = extracted.pages
        for kind_, message, page, code in extracted.notes:
            note(kind_, message, page=page, code=code)
        scan_segments(
            extracted.segments,
            field_label=label,
            ruleset=ruleset,
            report=report,
            occurrences=occurrences,
        )
    except Unreadable as exc:
        info.readable = exc.kind != Kind.UNREADABLE
        note(exc.kind, exc.message, code=exc.code)
    except Exception as exc:  # RecursionError and MemoryError included
        # Libraries raise many things on hostile files; the caller gets a finding instead.
        logger.warning("scan of %s failed: %r", label, exc)
        info.readable = False
        note(
            Kind.UNREADABLE,
            _("读取文件时出错（%(error)s），文件可能已损坏，请人工核对。")
            % {"error": type(exc).__name__},
            code=f"error:{type(exc).__name__}",
        )
    if label not in report.fields:
        report.fields.append(label)
