"""Text out of attachments (PDF, DOCX, XLSX, plain text) for the index, defensively.

Attachments come from many offices; a file may be huge, a zip bomb dressed as .docx, an
encrypted PDF or simply broken. Nothing here may hang or exhaust the worker, so: a size limit
before reading, the ZIP directory checked (total and per-member expansion) before python-docx or
openpyxl open an OOXML file, encrypted PDFs skipped with a log line, and the text cut at a limit.
Failures are returned as a status, never raised: an unreadable attachment must not keep its item
out of the index.

When gongkai.review's extractor is importable (it reads the same files for the confidentiality
scan, with the same checks and more formats), we use it and keep one way of reading files; the
readers below are the fallback and the reference for what the index needs.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all members
ZIP_MAX_RATIO = 100  # uncompressed / compressed for one member
ZIP_MAX_MEMBERS = 10_000
PDF_MAX_PAGES = 1_000
XLSX_MAX_CELLS = 200_000


@dataclass
class Extracted:
    status: str  # "ok", "empty", "skipped", "failed" (AttachmentText.Status)
    text: str = ""
    note: str = ""


def _limit_bytes() -> int:
    mb = getattr(settings, "GONGKAI_MAX_UPLOAD_MB", None)
    return max(MAX_FILE_BYTES, int(mb) * 1024 * 1024) if mb else MAX_FILE_BYTES


def zip_is_safe(data: bytes) -> tuple[bool, str]:
    """Refuse archives that would expand beyond reason, before any library unpacks them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return False, "not a valid ZIP/OOXML file"
    if len(members) > ZIP_MAX_MEMBERS:
        return False, f"too many ZIP members ({len(members)})"
    total = 0
    for member in members:
        total += member.file_size
        if total > ZIP_MAX_TOTAL:
            return False, "expands beyond the limit (zip bomb?)"
        if member.compress_size and member.file_size / member.compress_size > ZIP_MAX_RATIO:
            return False, f"member {member.filename[:60]} compresses {ZIP_MAX_RATIO}x+ (zip bomb?)"
    return True, ""


def kind_of(data: bytes, name: str = "") -> str:
    name = (name or "").lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if name.endswith((".txt", ".csv")):
        return "text"
    return "unknown"


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return Extracted("skipped", note="encrypted PDF")
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= PDF_MAX_PAGES or size >= MAX_TEXT_CHARS:
            break
        chunk = page.extract_text() or ""
        parts.append(chunk)
        size += len(chunk)
    return _done("\n".join(parts))


def _docx(data: bytes) -> Extracted:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs if p.text]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells if cell.text))
            if sum(map(len, parts)) > MAX_TEXT_CHARS:
                break
    return _done("\n".join(parts))


def _xlsx(data: bytes) -> Extracted:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, cells = [], 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if values:
                    parts.append(" ".join(values))
                if cells > XLSX_MAX_CELLS:
                    break
    finally:
        workbook.close()
    return _done("\n".join(parts))


def _text(data: bytes) -> Extracted:
    for encoding in ("utf-8", "gb18030"):
        try:
            return _done(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return Extracted("failed", note="unknown text encoding")


def _done(text: str) -> Extracted:
    text = (text or "").replace("\x00", " ").strip()
    if not text:
        return Extracted("empty", note="no text (a scan?)")
    return Extracted("ok", text=text[:MAX_TEXT_CHARS])


def _review_extractor():
    """gongkai.review.extract if it is there and has what we use, else None."""
    try:
        from gongkai.review import extract as review_extract
    except Exception:  # not installed, or its app is not loaded
        return None
    needed = ("sniff", "extract", "Unreadable", "Unscannable")
    return review_extract if all(hasattr(review_extract, n) for n in needed) else None


def _with_review(review, data: bytes, name: str) -> Extracted:
    kind = review.sniff(data)
    try:
        out = review.extract(data, kind)
    except review.Unscannable as exc:
        logger.info("search: attachment %s not read (%s): %s", name, kind, exc)
        return Extracted("skipped", note=str(getattr(exc, "code", kind))[:200])
    except review.Unreadable as exc:
        # Encrypted PDFs and Office files, zip bombs, broken files: skipped, with a log line.
        logger.warning("search: attachment %s skipped (%s): %s", name, kind, exc)
        return Extracted("skipped", note=str(getattr(exc, "code", "unreadable"))[:200])
    return _done("\n".join(segment.text for segment in out.segments))


def extract_bytes(data: bytes, *, name: str = "") -> Extracted:
    if len(data) > _limit_bytes():
        return Extracted("skipped", note=f"larger than {_limit_bytes() // (1024 * 1024)} MB")
    review = _review_extractor()
    if review is not None:
        try:
            return _with_review(review, data, name)
        except Exception as exc:  # a bug in either reader must not keep the item out
            logger.warning("search: cannot read %s: %s", name, exc)
            return Extracted("failed", note=f"{type(exc).__name__}: {exc}"[:200])
    return extract_own(data, name=name)


def extract_own(data: bytes, *, name: str = "") -> Extracted:
    """Our own readers (used when gongkai.review's extractor is not available)."""
    kind = kind_of(data, name)
    try:
        if kind == "pdf":
            result = _pdf(data)
        elif kind in ("docx", "xlsx"):
            safe, why = zip_is_safe(data)
            if not safe:
                result = Extracted("skipped", note=why)
            else:
                result = _docx(data) if kind == "docx" else _xlsx(data)
        elif kind == "text":
            result = _text(data)
        else:
            result = Extracted("skipped", note="file type not read for the index")
    except Exception as exc:  # a broken file must not stop indexing; say which and why
        logger.warning("search: cannot read %s (%s): %s", name, kind, exc)
        return Extracted("failed", note=f"{type(exc).__name__}: {exc}"[:200])
    if result.status == "skipped":
        logger.info("search: attachment %s skipped: %s", name, result.note)
    return result


def extract_file(field_file, *, name: str = "") -> Extracted:
    """Text of a stored file (a FieldFile), reading at most the size limit."""
    try:
        size = field_file.size
    except (OSError, ValueError) as exc:
        return Extracted("failed", note=f"cannot open: {exc}"[:200])
    if size > _limit_bytes():
        logger.info("search: attachment %s skipped: %d bytes", name, size)
        return Extracted("skipped", note=f"larger than {_limit_bytes() // (1024 * 1024)} MB")
    try:
        field_file.open("rb")
        try:
            data = field_file.read(_limit_bytes() + 1)
        finally:
            field_file.close()
    except (OSError, ValueError) as exc:
        return Extracted("failed", note=f"cannot open: {exc}"[:200])
    return extract_bytes(data, name=name or getattr(field_file, "name", ""))
