"""What an attachment really is, judged by its content, not by the name it was given.

A file called 通知.pdf that is really a PNG, or an executable renamed to .docx, must be refused
where it is uploaded or imported. `filetype` reads the magic bytes of PDF and images; OFD and
OOXML are zip files told apart by the names of their members (the libraries' zip heuristics
only look at the first entry, which office suites order differently); legacy DOC and XLS are
OLE2 compound files, which cannot be told apart without parsing the directory, so either
extension accepts an OLE2 file.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 8192

# kind -> (MIME type stored with the attachment, label shown to people)
KINDS = {
    "pdf": ("application/pdf", gettext_lazy("PDF 文档")),
    "ole2": ("application/x-ole-storage", gettext_lazy("Word/Excel 97-2003 文档")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word 文档（DOCX）"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel 表格（XLSX）"),
    ),
    "ofd": ("application/ofd", gettext_lazy("OFD 版式文档")),
    "jpeg": ("image/jpeg", gettext_lazy("JPEG 图片")),
    "png": ("image/png", gettext_lazy("PNG 图片")),
    "gif": ("image/gif", gettext_lazy("GIF 图片")),
    "webp": ("image/webp", gettext_lazy("WEBP 图片")),
}

# extension -> the kind its content must be, and the MIME type to store for it
EXTENSIONS = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole2", "application/msword"),
    "xls": ("ole2", "application/vnd.ms-excel"),
    "docx": ("docx", KINDS["docx"][0]),
    "xlsx": ("xlsx", KINDS["xlsx"][0]),
    "ofd": ("ofd", "application/ofd"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
    "gif": ("gif", "image/gif"),
    "webp": ("webp", "image/webp"),
}

FILETYPE_KINDS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int


def max_upload_bytes() -> int:
    return int(settings.GONGKAI_MAX_UPLOAD_MB) * 1024 * 1024


def _zip_kind(fileobj) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "OFD.xml" in names:
        return "ofd"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def detect_kind(fileobj) -> str | None:
    """The kind of content (a key of KINDS, "zip" for other archives) or None if unknown.

    Reads from the start of `fileobj` and leaves it rewound.
    """
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    if not head:
        return None
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fileobj)
        fileobj.seek(0)
        return kind
    guessed = filetype.guess(head)
    if guessed is not None:
        return FILETYPE_KINDS.get(guessed.mime, guessed.extension)
    return None


def _kind_label(kind: str | None) -> str:
    if kind is None:
        return _("无法识别的内容")
    if kind == "zip":
        return _("其他压缩包")
    if kind in KINDS:
        return str(KINDS[kind][1])
    return _("%(ext)s 文件") % {"ext": kind.upper()}


def allowed_extensions_text() -> str:
    return _("PDF、DOC、DOCX、XLS、XLSX、OFD，以及 JPEG、PNG、GIF、WEBP 图片")


def check_file(fileobj, name: str, *, size: int | None = None) -> CheckedFile:
    """Refuse a file whose size or content is not acceptable, with a message in Chinese.

    The content must be one of the accepted kinds AND match the file name's extension.
    """
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(0)
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size).1f MB，超过上限 %(limit)d MB。")
            % {"name": name, "size": size / 1024 / 1024, "limit": settings.GONGKAI_MAX_UPLOAD_MB},
            code="too_big",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("不接受“%(name)s”这种文件。可上传的类型：%(allowed)s。")
            % {"name": name, "allowed": allowed_extensions_text()},
            code="extension",
        )
    expected_kind, content_type = EXTENSIONS[extension]
    kind = detect_kind(fileobj)
    if kind != expected_kind:
        raise ValidationError(
            _(
                "文件“%(name)s”的扩展名是 .%(ext)s，但内容是%(actual)s，与扩展名不符。请上传真正的 %(ext_upper)s 文件。"
            )
            % {
                "name": name,
                "ext": extension,
                "ext_upper": extension.upper(),
                "actual": _kind_label(kind),
            },
            code="mismatch",
        )
    return CheckedFile(kind=kind, content_type=content_type, size=size)
