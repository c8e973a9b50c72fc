"""Matches marked in titles and snippets: escape every piece of text, then add <mark>.

The text is never trusted: it is split at the matches, each piece is escaped with Django's
`escape`, and only our own <mark> tags are put between them, so an item titled
"<script>…" shows as text. Matching happens on the folded, lower-cased form (a full-width ＡＢＣ
or （） typed either way is found) and is mapped back to the original characters.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import docnumbers
from .text import fold

SNIPPET_CHARS = 120
SCAN_CHARS = 30_000  # look for matches in this much of a long body


def _normalised(value: str) -> tuple[str, list[int] | None]:
    """The normalised text and, when lengths differ, a map from its positions to value's."""
    norm = fold(value).lower()
    if len(norm) == len(value):
        return norm, None
    parts, index = [], []
    for position, char in enumerate(value):
        piece = fold(char).lower()
        parts.append(piece)
        index.extend([position] * len(piece))
    index.append(len(value))
    return "".join(parts), index


def spans(value: str, terms, docno_tokens=(), fallback=()) -> list[tuple[int, int]]:
    """Merged (start, end) spans of value matching any term or document number; where none
    is found, those of terms and fallback together (a quoted phrase's words, see
    query.Chunk.fallback)."""
    if not value:
        return []
    found = _spans(value, terms, docno_tokens)
    if not found and fallback:
        found = _spans(value, [*terms, *fallback], docno_tokens)
    return found


def _spans(value: str, terms, docno_tokens) -> list[tuple[int, int]]:
    norm, index = _normalised(value)
    found = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = norm.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = norm.find(term, start + len(term))
    if docno_tokens:
        wanted = set(docno_tokens)
        for number, start, end in docnumbers.find(norm):
            if wanted.intersection(number.index_tokens()):
                found.append((start, end))
    if index is not None:
        found = [(index[s], index[e]) for s, e in found]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(value: str, marks, start: int = 0, end: int | None = None) -> str:
    end = len(value) if end is None else end
    out, cursor = [], start
    for s, e in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(value[cursor:s]))
        out.append("<mark>" + escape(value[s:e]) + "</mark>")
        cursor = e
    out.append(escape(value[cursor:end]))
    return "".join(out)


def highlight(value: str, terms, docno_tokens=(), fallback=()) -> SafeString:
    value = value or ""
    return marked(value, spans(value, terms, docno_tokens, fallback))


def marked(value: str, marks) -> SafeString:
    """value escaped, with the spans already found (`spans`) marked."""
    return mark_safe(_render(value or "", marks))  # noqa: S308 (every piece escaped)


def snippet(value: str, terms, docno_tokens=(), fallback=(), *, width: int = SNIPPET_CHARS):
    """A window of value around its densest matches, marked; None if nothing matches."""
    value = (value or "")[:SCAN_CHARS]
    marks = spans(value, terms, docno_tokens, fallback)
    if not marks:
        return None
    # The window that holds the most matches, starting a little before one of them.
    best_start, best_hits = 0, -1
    for s, _e in marks:
        start = max(0, s - width // 5)
        hits = sum(1 for ms, _me in marks if start <= ms < start + width)
        if hits > best_hits:
            best_start, best_hits = start, hits
    end = min(len(value), best_start + width)
    body = _render(value, marks, best_start, end)
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(value) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 (every piece escaped in _render)


def plain_snippet(value: str, *, width: int = SNIPPET_CHARS) -> SafeString:
    value = value or ""
    cut = value[:width]
    return mark_safe(escape(cut) + ("…" if len(value) > width else ""))  # noqa: S308
