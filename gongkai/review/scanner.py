"""The confidentiality scan: what it found, where, and a fingerprint to pin a decision to.

`scan_text`, `scan_file` and `scan_document` never raise into the caller and never pass
silently what they could not read: a file that cannot be read becomes a finding of its own.
Nothing here writes to the database; storing a report is `services.scan_result_save`.
"""

import hmac
import logging
import os
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from . import detectors
from .htmltext import html_to_text, looks_like_html
from .kinds import PERSONAL_KINDS, Confidence, Kind
from .matchers import Ruleset

logger = logging.getLogger(__name__)

# Characters of context shown on each side of a finding.
CONTEXT_CHARS = 20
ENGINE_VERSION = "1"

# Names callers may use for an item's fields, shown to people in Chinese.
FIELD_LABELS = {
    "title": "标题",
    "summary": "摘要",
    "body": "正文",
}


@dataclass
class Finding:
    kind: str
    field: str
    snippet: str = ""
    value: str = ""  # masked for personal data; the word or mark otherwise
    fingerprint: str = ""
    confidence: str = Confidence.HIGH
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    sheet: str = ""
    cell: str = ""
    message: str = ""
    category: str = ""

    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    def location(self) -> str:
        return location_text(
            page=self.page,
            line=self.line,
            paragraph=self.paragraph,
            sheet=self.sheet,
            cell=self.cell,
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["kind_label"] = self.kind_label()
        data["confidence_label"] = str(Confidence(self.confidence).label)
        data["location"] = self.location()
        return data


def location_text(*, page=None, line=None, paragraph=None, sheet="", cell="") -> str:
    parts = []
    if sheet:
        parts.append(sheet)
    if page:
        parts.append(_("第 %(n)s 页") % {"n": page})
    if cell:
        parts.append(_("单元格 %(cell)s") % {"cell": cell})
    if paragraph:
        parts.append(_("第 %(n)s 段") % {"n": paragraph})
    if line:
        parts.append(_("第 %(n)s 行") % {"n": line})
    return " ".join(parts)


@dataclass
class FileReport:
    name: str
    type: str = ""
    type_label: str = ""
    size: int = 0
    pages: int | None = None
    readable: bool = True


@dataclass
class ScanReport:
    findings: list[Finding] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    suppressed: int = 0  # matches an allowed phrase covered
    characters: int = 0  # characters of text scanned
    engine_version: str = ENGINE_VERSION

    @property
    def clean(self) -> bool:
        return not self.findings

    def extend(self, other: "ScanReport") -> "ScanReport":
        self.findings.extend(other.findings)
        self.files.extend(other.files)
        self.fields.extend(other.fields)
        self.suppressed += other.suppressed
        self.characters += other.characters
        return self

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.kind for f in self.findings))

    def as_dict(self) -> dict:
        return {
            "clean": self.clean,
            "counts": self.counts(),
            "suppressed": self.suppressed,
            "characters": self.characters,
            "fields": self.fields,
            "files": [asdict(f) for f in self.files],
            "findings": [f.as_dict() for f in self.findings],
            "engine_version": self.engine_version,
        }


@dataclass
class Segment:
    """A stretch of text with a place: a field, a PDF page, a Word part, a sheet.

    `unit` says what a line of `text` is: a line, a paragraph (Word), or a row of cells
    (spreadsheets; then `cells` maps offsets to cell names).
    """

    text: str
    page: int | None = None
    sheet: str = ""
    unit: str = "line"
    cells: list[tuple[int, str]] | None = None


# ---------------------------------------------------------------------------------------------
# Fingerprints
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _fingerprint_key(secret: str) -> bytes:
    # Keyed with the site's secret: a fingerprint of an ID number must not be reversible by
    # trying every birth date and serial number.
    return salted_hmac("gongkai.review.fingerprint", "v1", secret=secret).digest()


def fingerprint(kind: str, field_key: str, value: str, occurrence: int) -> str:
    key = _fingerprint_key(settings.SECRET_KEY)
    message = f"{kind}\x1f{field_key}\x1f{value}\x1f{occurrence}".encode()
    return hmac.digest(key, message, "sha256").hex()[:40]


def _normal_value(kind: str, value: str) -> str:
    # Reformatting a number (spaces, +86) must not change its fingerprint.
    if kind in (Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD):
        digits = "".join(ch for ch in value if ch.isdigit() or ch in "Xx").upper()
        return digits[-11:] if kind == Kind.MOBILE else digits
    return value.lower()


class _Occurrences:
    """Counts each value per field so that the nth occurrence keeps its fingerprint."""

    def __init__(self):
        self._seen: Counter = Counter()

    def next(self, kind: str, field_key: str, value: str) -> str:
        norm = _normal_value(kind, value)
        key = (kind, field_key, norm)
        n = self._seen[key]
        self._seen[key] += 1
        return fingerprint(kind, field_key, norm, n)


# ---------------------------------------------------------------------------------------------
# Scanning a segment
# ---------------------------------------------------------------------------------------------


def _snippet(text: str, hit: detectors.Hit, masks: list[detectors.Hit], starts: list[int]):
    lo = max(0, hit.start - CONTEXT_CHARS)
    hi = min(len(text), hit.end + CONTEXT_CHARS)
    # Every piece of personal data in the window is masked, not only the one found.
    overlapping = []
    i = max(0, bisect_right(starts, lo) - 1)
    while i < len(masks) and masks[i].start < hi:
        m = masks[i]
        if m.end > lo:
            overlapping.append(m)
            lo = min(lo, m.start)
            hi = max(hi, m.end)
        i += 1
    pieces = []
    pos = lo
    for m in overlapping:
        if m.start < pos:
            continue
        pieces.append(text[pos : m.start])
        pieces.append(m.masked)
        pos = m.end
    pieces.append(text[pos:hi])
    body = "".join(pieces)
    for ch in "\r\n\t\f\v":
        body = body.replace(ch, " ")
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _raw_hits(text: str, ruleset: Ruleset) -> list[detectors.Hit]:
    hits = detectors.find_marks(text)
    marks = [(h.start, h.end) for h in hits]
    hits += detectors.find_numbers(text)
    if "@" in text:
        hits += detectors.find_emails(text)
    hits += detectors.find_addresses(text)
    if ruleset.words is not None:
        for start, end, word, category in ruleset.words.find(text):
            # A listed word inside a classification mark already found says nothing new.
            if any(s <= start and end <= e for s, e in marks):
                continue
            hits.append(
                detectors.Hit(
                    start, end, Kind.SENSITIVE_WORD, Confidence.HIGH, word, word, category
                )
            )
    return hits


def scan_segment(
    segment: Segment,
    *,
    field_label: str,
    ruleset: Ruleset,
    occurrences: _Occurrences,
    report: ScanReport,
) -> None:
    text = segment.text
    report.characters += len(text)
    hits = _raw_hits(text, ruleset)
    if not hits:
        return
    hits.sort(key=lambda h: (h.start, h.end))
    if ruleset.allowed is not None:
        kept = [h for h in hits if not ruleset.allowed.covers(text, h.start, h.end)]
        report.suppressed += len(hits) - len(kept)
        hits = kept
    masks = [h for h in hits if h.kind in PERSONAL_KINDS]
    starts = [h.start for h in masks]
    line = 1
    pos = 0
    cell_offsets = [c[0] for c in segment.cells] if segment.cells else None
    for h in hits:
        line += text.count("\n", pos, h.start)
        pos = h.start
        finding = Finding(
            kind=h.kind,
            field=field_label,
            snippet=_snippet(text, h, masks, starts),
            value=h.masked,
            fingerprint=occurrences.next(h.kind, field_label, h.value),
            confidence=h.confidence,
            page=segment.page,
            sheet=segment.sheet,
            category=h.category,
        )
        if cell_offsets is not None:
            finding.cell = segment.cells[max(0, bisect_right(cell_offsets, h.start) - 1)][1]
        elif segment.unit == "paragraph":
            finding.paragraph = line
        else:
            finding.line = line
        report.findings.append(finding)


def file_finding(
    kind: str,
    field_label: str,
    message: str,
    *,
    occurrences: _Occurrences,
    page: int | None = None,
    code: str = "",
) -> Finding:
    return Finding(
        kind=kind,
        field=field_label,
        message=message,
        value="",
        snippet=message,
        page=page,
        fingerprint=occurrences.next(kind, field_label, code or message),
        confidence=Confidence.HIGH,
    )


def scan_segments(
    segments, *, field_label: str, ruleset: Ruleset | None, report: ScanReport, occurrences=None
) -> ScanReport:
    ruleset = ruleset or Ruleset()
    occurrences = occurrences or _Occurrences()
    for segment in segments:
        scan_segment(
            segment,
            field_label=field_label,
            ruleset=ruleset,
            occurrences=occurrences,
            report=report,
        )
    return report


# ---------------------------------------------------------------------------------------------
# The public entry points
# ---------------------------------------------------------------------------------------------


def _field_value_is_html(value) -> tuple[str, bool]:
    source = getattr(value, "source", None)  # wagtail.rich_text.RichText
    if isinstance(source, str):
        return source, True
    text = "" if value is None else str(value)
    return text, looks_like_html(text)


def scan_text(
    text, *, field: str = "正文", ruleset: Ruleset | None = None, html: bool | None = None
) -> ScanReport:
    """Scan one field. HTML (a rich-text body) is turned into text first; `html=None` decides
    by looking for tags."""
    label = FIELD_LABELS.get(field, field)
    report = ScanReport(fields=[label])
    try:
        raw, detected = _field_value_is_html(text)
        plain = html_to_text(raw) if (detected if html is None else html) else raw
        scan_segments([Segment(plain)], field_label=label, ruleset=ruleset, report=report)
    except Exception:  # a scan never raises into the caller: say so instead
        logger.exception("scan_text failed on field %s", label)
        occ = _Occurrences()
        report.findings.append(
            file_finding(
                Kind.UNREADABLE,
                label,
                _("扫描该字段时出错，请人工核对。"),
                occurrences=occ,
                code="scan-error",
            )
        )
    return report


def scan_file(
    source,
    filename: str | None = None,
    *,
    ruleset: Ruleset | None = None,
    field: str | None = None,
    max_bytes: int | None = None,
) -> ScanReport:
    """Scan a file given as a path, bytes or a file object. The type is read from the content."""
    from .extract import scan_file_into

    if filename:
        name = str(filename)
    elif isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
    else:
        name = str(getattr(source, "name", "") or "")
    label = field or (os.path.basename(name) if name else _("附件"))
    report = ScanReport()
    scan_file_into(
        source,
        name=name,
        label=label,
        ruleset=ruleset or Ruleset(),
        report=report,
        max_bytes=max_bytes,
    )
    return report


def scan_document(
    *,
    organisation=None,
    fields: dict,
    attachments=(),
    ruleset: Ruleset | None = None,
) -> ScanReport:
    """Scan an item: its fields (plain text or HTML) and its attachments `(name, file)`.

    The organisation's word list and allow-list (with those of the organisations above it)
    apply; pass `ruleset` to use another one.
    """
    if ruleset is None and organisation is not None:
        from .selectors import ruleset_for_organisation

        ruleset = ruleset_for_organisation(organisation=organisation)
    report = ScanReport()
    for key, value in fields.items():
        if value is None or value == "":
            continue
        report.extend(scan_text(value, field=key, ruleset=ruleset))
    for name, source in attachments:
        report.extend(scan_file(source, name, ruleset=ruleset))
    return report
