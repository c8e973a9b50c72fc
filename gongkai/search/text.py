"""Text for the index: plain text out of rich text, normalisation, tokens and character grams.

Both backends receive the same tokens: words from rjieba's search mode, full-width forms folded,
lower-cased and cut at every character that is not a letter or digit (the rule FTS5's
unicode61 tokenizer applies), so SQLite re-tokenising our space-joined text (with its `ascii`
tokenizer, which splits at ASCII spaces and punctuation only) changes nothing and
PostgreSQL gets identical lexemes.
"""

import html
import re

from . import segment

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN_RE = re.compile(f"[{CJK}]+")
NON_WORD_RE = re.compile(r"[\W_]+")
# Control characters (PostgreSQL refuses NUL in text; none of them means anything in a query).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
SPACE_RE = re.compile(r"\s+")

# Rich text is Wagtail's own, well-formed HTML: regular expressions take it apart much faster
# than an HTML parser (which cost a millisecond per body at bulk indexing).
SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
BLOCK_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|pre|section|article|header"
    r"|footer|hr)\b[^>]*>",
    re.IGNORECASE,
)
TAG_RE = re.compile(r"<[^>]*>")
LINE_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def html_to_text(value: str) -> str:
    """Rich text (Wagtail's HTML) as plain text with one line per block."""
    if not value:
        return ""
    if "<" not in value:
        return html.unescape(value).strip()
    value = SCRIPT_RE.sub(" ", value)
    value = BLOCK_RE.sub("\n", value)
    value = html.unescape(TAG_RE.sub("", value))
    lines = (LINE_SPACE_RE.sub(" ", line).strip() for line in value.split("\n"))
    return "\n".join(line for line in lines if line)


# Full-width letters, digits and brackets (ＡＢＣ１２３（）［］) become ASCII, the ideographic space
# a space, small tortoise-shell brackets the usual ones: the part of NFKC that matters for
# Chinese government text, one character for one character (so a match maps back to the
# original text), and far cheaper than NFKC on every body. Full-width punctuation is left as it
# is: it separates tokens either way.
FOLD_RE = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff08\uff09\uff3b\uff3d\u3000\ufe5d\ufe5e]"
)
FOLD_SPECIAL = {"\u3000": " ", "\ufe5d": "\u3014", "\ufe5e": "\u3015"}


def _fold_char(match) -> str:
    char = match.group()
    return FOLD_SPECIAL.get(char) or chr(ord(char) - 0xFEE0)


def fold(text: str) -> str:
    """Full-width letters, digits and brackets to ASCII (see FOLD_RE), character for character."""
    return FOLD_RE.sub(_fold_char, text or "")


def clean(text: str) -> str:
    """Folded (full-width letters, digits and brackets become ASCII), no control characters."""
    text = fold(text)
    return CONTROL_RE.sub(" ", text) if CONTROL_RE.search(text) else text


def normalise(text: str) -> str:
    return clean(text).lower()


# Characters jieba keeps inside a run of letters and digits (its block pattern is
# [汉字a-zA-Z0-9+#&._%-]+), and the "\r" of "\r\n" (one token to it). Each becomes a space
# before segmenting, so that every token jieba returns is letters and digits only or a single
# character (a space, a punctuation mark) that is dropped: one filter in C instead of a test of
# every token in Python (a third of the cost of tokens() at bulk indexing). The tokens are the
# pieces the old split (at every character that is not a letter or digit) gave, except that
# search mode no longer doubles the sub-words of runs such as covid-19 or v2.0, and that the
# few dictionary words holding these characters (c++, at&t) are cut as their pieces at once.
# Queries are cut the same way (query_words, through `_words`), so both sides agree.
JOINER_RE = re.compile(r"[+#&._%\-\r]")


def _words(text: str, cut) -> list[str]:
    """The letter-and-digit words cut (a segment function) finds in the normalised text."""
    text = normalise(text)
    if not text.strip():
        return []
    return list(filter(str.isalnum, cut(JOINER_RE.sub(" ", text))))


def tokens(text: str) -> list[str]:
    """Index tokens of a text, in order (search mode: long words also yield their parts)."""
    return _words(text, segment.cut_for_search)


def query_words(text: str) -> list[str]:
    """Words of a query chunk in precise mode (each character in one word), normalised."""
    return _words(text, segment.cut)


def subwords(word: str) -> list[str]:
    """The 2- and 3-character dictionary words inside a long word, if they cover all of it.

    The index holds a long word only where the document was segmented into that same word;
    its parts are there too (search mode), so a query asks for the word or all its parts.
    """
    if len(word) < 3 or not CJK_RUN_RE.fullmatch(word):
        return []
    parts = [part for part in segment.cut_for_search(word) if part != word and 2 <= len(part) <= 3]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start != -1:
            for i in range(start, start + len(part)):
                covered[i] = True
            start = word.find(part, start + 1)
    return list(dict.fromkeys(parts)) if all(covered) else []


def grams(text: str) -> list[str]:
    """Character bigrams of each run of Chinese characters (a lone character stands alone).

    Titles are indexed this way as well as by words, so a phrase of bigrams finds any
    substring of a title even where jieba cut it differently (寮步 in 寮步镇).
    """
    out: list[str] = []
    for run in CJK_RUN_RE.findall(normalise(text)):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def truncate(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit]
