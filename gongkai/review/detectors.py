"""Detectors that look at one piece of text: classification marks, personal data, addresses.

Each detector is one compiled regular expression whose first character is a fixed set, so
that `re` skips quickly over ordinary Chinese text (a leading look-behind would make it try
every position, five to seven times slower); the few candidates it yields are then checked in
Python (check digits, dates, context). None of this touches the database.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from gongkai.orgs.creditcode import is_valid_credit_code, is_valid_id_number, mask_id_number

from .kinds import Confidence, Kind


@dataclass(slots=True)
class Hit:
    """Something found in a text, before it becomes a Finding.

    `value` is the raw text and never leaves the scanner; `masked` is what may be shown.
    """

    start: int
    end: int
    kind: str
    confidence: str
    value: str
    masked: str
    category: str = ""


# ---------------------------------------------------------------------------------------------
# Classification marks (密级标志)
# ---------------------------------------------------------------------------------------------

# Marks that are also ordinary words ("国家秘密", "机密性", "内部控制"): only counted where a
# mark stands — at the start of a line or inside brackets and followed by a break, after
# "密级：", or before ★.
LEVEL_MARKS = ("绝密", "机密", "秘密", "工作秘密", "内部", "商业秘密")
# Phrases that are marks wherever they stand, unless they begin a compound ("内部资料性出版物").
PHRASE_MARKS = (
    "仅供内部使用",
    "仅限内部使用",
    "仅供内部参考",
    "内部资料",
    "内部文件",
    "内部使用",
    "内部参考",
    "内部传阅",
    "内部刊物",
    "内部材料",
    "注意保存",
    "妥善保管",
    "不得外传",
    "严禁外传",
    "禁止外传",
    "不得翻印",
    "严禁翻印",
    "不得复制",
    "不得公开",
)
_PHRASE_SET = frozenset(PHRASE_MARKS)
# Longest first, so that "内部资料" wins over "内部" and "工作秘密" over "秘密".
MARK_RE = re.compile(
    "|".join(sorted({*LEVEL_MARKS, *PHRASE_MARKS}, key=lambda s: (-len(s), s))),
)
_STARS = "★☆"
# The period after the star (保密期限): "★10年", "★长期", "★6个月".
_PERIOD_RE = re.compile(r"[★☆]\s*(?:\d{1,3}\s*(?:年|个月|月)|长期)?")
_SPACE = " \t\u3000\u00a0"
_BREAK = "\n\r\f\v"
_OPEN = "【〔[（(「『《<"
_CLOSE = "】〕]）)」』》>"
_AFTER_MARK = "：:，,。；;、"
_COMPOUND_AFTER = "性化"


def find_marks(text: str) -> list[Hit]:
    hits = []
    n = len(text)
    for m in MARK_RE.finditer(text):
        s, e = m.span()
        token = m.group()
        i = s - 1
        while i >= 0 and text[i] in _SPACE:
            i -= 1
        prev = text[i] if i >= 0 else "\n"
        at_start = prev in _BREAK or prev in _OPEN
        labelled = prev in "：:" and text[max(0, i - 2) : i] == "密级"
        j = e
        while j < n and text[j] in _SPACE:
            j += 1
        nxt = text[j] if j < n else "\n"
        end = e
        if nxt in _STARS:
            end = _PERIOD_RE.match(text, j).end()
            confidence = Confidence.HIGH
        elif labelled:
            confidence = Confidence.HIGH
        elif at_start and (j > e or nxt in _BREAK or nxt in _CLOSE or nxt in _AFTER_MARK):
            confidence = Confidence.HIGH
        elif token in _PHRASE_SET and not (e < n and text[e] in _COMPOUND_AFTER):
            confidence = Confidence.MEDIUM
        else:
            continue
        value = text[s:end]
        hits.append(Hit(s, end, Kind.CLASSIFICATION, confidence, value, value))
    return hits


# ---------------------------------------------------------------------------------------------
# Numbers: resident ID numbers, mobile numbers, bank cards (credit codes are public: skipped)
# ---------------------------------------------------------------------------------------------

_DIGIT = "[0-9\uff10-\uff19]"
_SEP = "[ \\-\u00a0\u2010-\u2015\u2212\uff0d]"
_ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# One run of 11 to 27 digits with single separators, an optional leading + and trailing X,
# that is not part of a longer code or a decimal amount.
# The look-behind sits after the first character so that the pattern still starts with a
# character set (see the module docstring).
NUMBER_RE = re.compile(
    f"[+\uff0b0-9\uff10-\uff19](?<![{_ALNUM}][+\uff0b0-9\uff10-\uff19])"
    f"(?<![0-9]\\.[0-9])"  # not the decimals of an amount
    f"(?:{_SEP}?{_DIGIT}){{10,26}}(?:{_SEP}?[XxＸｘ])?(?![{_ALNUM}]|\\.[0-9])"
)
_GROUP_RE = re.compile(r"\+?[0-9]+[Xx]?|[Xx]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋ｘＸ\uff0d", "0123456789+xX-", "")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
# GB/T 2260 province codes; 9 opens the numbers of foreigners' permanent residence cards.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_CREDIT_CONTEXT = ("信用代码", "组织机构代码", "纳税人识别号", "税号", "注册号")
_CARD_CONTEXT = ("卡号", "账号", "帐号", "银行", "开户", "储蓄卡", "信用卡", "存折")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def id_shaped(number: str) -> bool:
    """Region and date of birth of a resident ID number are plausible (GB 11643-1999 §5)."""
    if not (number[:2] in _PROVINCES or number[0] == "9"):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year and born <= timezone.localdate()


def is_id_number(number: str) -> bool:
    number = number.upper()
    return is_valid_id_number(number) and id_shaped(number)


def _mask_digits(raw: str, keep_first: int, keep_last: int) -> str:
    """Replace digits by * except the first and last few; separators stay where they are."""
    positions = [i for i, ch in enumerate(raw) if ch.isdigit() or ch in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else ch for i, ch in enumerate(raw))


def mask_mobile(raw: str) -> str:
    # Keep a +86/0086 prefix as it is, then 3 + 4 of the 11 digits.
    digits = [i for i, ch in enumerate(raw) if ch.isdigit()]
    national = digits[-11:]
    hide = set(national[3:7])
    return "".join("*" if i in hide else ch for i, ch in enumerate(raw))


def mask_bank_card(raw: str) -> str:
    return _mask_digits(raw, 0, 4)


def mask_id(raw: str) -> str:
    compact = raw.translate(_FULLWIDTH)
    if len(compact) == 18:
        return mask_id_number(compact)
    return _mask_digits(raw, 6, 4)


class _Group:
    __slots__ = ("text", "start", "end")

    def __init__(self, text, start, end):
        self.text, self.start, self.end = text, start, end


def _hit(kind, confidence, raw_text, start, end, masked):
    return Hit(start, end, kind, confidence, raw_text, masked)


def _classify_single(text: str, g: _Group, original: str) -> Hit | None:
    d = g.text
    raw = original
    if d.startswith("+"):
        d = d[1:]
        if d.startswith("86") and len(d) == 13 and _MOBILE_RE.fullmatch(d[2:]):
            return _hit(Kind.MOBILE, Confidence.HIGH, raw, g.start, g.end, mask_mobile(raw))
        return None
    n = len(d)
    if n == 18:
        if is_id_number(d):
            if is_valid_credit_code(d) and _has_context(text, g.start, _CREDIT_CONTEXT):
                return None
            return _hit(Kind.ID_NUMBER, Confidence.HIGH, raw, g.start, g.end, mask_id(raw))
        if is_valid_credit_code(d) or id_shaped(d):
            # A credit code is public; an ID-shaped number with a wrong check digit is a typo
            # or a made-up number, not a bank card.
            return None
    if n == 11 and _MOBILE_RE.fullmatch(d):
        return _hit(Kind.MOBILE, Confidence.HIGH, raw, g.start, g.end, mask_mobile(raw))
    if n in (13, 15) and d.startswith(("86", "0086")) and _MOBILE_RE.fullmatch(d[n - 11 :]):
        return _hit(Kind.MOBILE, Confidence.HIGH, raw, g.start, g.end, mask_mobile(raw))
    if 16 <= n <= 19 and d.isdigit() and luhn_ok(d):
        return _card_hit(text, raw, g.start, g.end, d)
    return None


def _card_hit(text, raw, start, end, digits):
    sure = digits.startswith("62") or _has_context(text, start, _CARD_CONTEXT)
    confidence = Confidence.HIGH if sure else Confidence.MEDIUM
    return _hit(Kind.BANK_CARD, confidence, raw, start, end, mask_bank_card(raw))


def _has_context(text: str, start: int, words) -> bool:
    before = text[max(0, start - 24) : start]
    return any(w in before for w in words)


def _classify_groups(text: str, groups: list[_Group], i: int) -> tuple[Hit | None, int]:
    """Read the number that begins at group i; return the hit and how many groups it used."""
    n = len(groups)
    g = groups[i]
    lens = [len(x.text) for x in groups[i : i + 5]]
    # +86 / 86 / 0086 then a mobile number written 138 0013 8000 or 13800138000
    if g.text in ("+86", "86", "0086") and i + 1 < n:
        hit, used = _classify_groups(text, groups, i + 1)
        if hit is not None and hit.kind == Kind.MOBILE:
            raw = text[g.start : hit.end]
            return _hit(Kind.MOBILE, hit.confidence, raw, g.start, hit.end, mask_mobile(raw)), (
                used + 1
            )
    for k in (5, 4, 3, 2):
        if i + k > n:
            continue
        part = groups[i : i + k]
        joined = "".join(x.text for x in part)
        if "+" in joined:
            continue
        raw = text[part[0].start : part[-1].end]
        total = len(joined)
        if total == 18 and is_id_number(joined):
            return _hit(
                Kind.ID_NUMBER, Confidence.HIGH, raw, part[0].start, part[-1].end, mask_id(raw)
            ), k
        # Bank cards are written in fours: 6222 0212 3456 7890 123
        if (
            16 <= total <= 19
            and k >= 4
            and all(len(x.text) == 4 for x in part[:-1])
            and 1 <= len(part[-1].text) <= 4
            and joined.isdigit()
            and luhn_ok(joined)
        ):
            return _card_hit(text, raw, part[0].start, part[-1].end, joined), k
    if lens[:3] == [3, 4, 4]:
        joined = "".join(x.text for x in groups[i : i + 3])
        if _MOBILE_RE.fullmatch(joined):
            raw = text[g.start : groups[i + 2].end]
            return _hit(
                Kind.MOBILE, Confidence.HIGH, raw, g.start, groups[i + 2].end, mask_mobile(raw)
            ), 3
    return _classify_single(text, g, text[g.start : g.end]), 1


# Office telephone numbers (0769-83322000, 020-12345678) are public and common: skipped at once.
_LANDLINE_RE = re.compile(r"0[0-9]{2,3}[ \-][0-9]{7,8}")


def find_numbers(text: str) -> list[Hit]:
    hits = []
    for m in NUMBER_RE.finditer(text):
        run = m.group().translate(_FULLWIDTH)
        base = m.start()
        if run.isdigit() or (run[:-1].isdigit() and run[-1] in "Xx"):
            # One group (the usual case): no need to split it.
            hit = _classify_single(text, _Group(run.upper(), base, m.end()), m.group())
            if hit is not None:
                hits.append(hit)
            continue
        if _LANDLINE_RE.fullmatch(run):
            continue
        groups = [
            _Group(g.group().upper(), base + g.start(), base + g.end())
            for g in _GROUP_RE.finditer(run)
        ]
        # A lone X belongs to the group before it ("440106 19900101 123 X" is rare but seen).
        merged: list[_Group] = []
        for g in groups:
            if g.text == "X" and merged:
                merged[-1] = _Group(merged[-1].text + "X", merged[-1].start, g.end)
            else:
                merged.append(g)
        i = 0
        while i < len(merged):
            hit, used = _classify_groups(text, merged, i)
            if hit is not None:
                hits.append(hit)
            i += used
    return hits


# ---------------------------------------------------------------------------------------------
# E-mail addresses
# ---------------------------------------------------------------------------------------------

_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
_EMAIL_DOMAIN_RE = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def find_emails(text: str) -> list[Hit]:
    hits = []
    pos = text.find("@")
    while pos != -1:
        local = _EMAIL_LOCAL_RE.search(text, max(0, pos - 64), pos)
        domain = _EMAIL_DOMAIN_RE.match(text, pos + 1)
        if local and domain:
            start = local.start()
            while start < pos and text[start] in ".-+%":
                start += 1
            if start < pos:
                value = text[start : domain.end()]
                host = domain.group().lower()
                official = host.endswith((".gov.cn", ".gov"))
                confidence = Confidence.LOW if official else Confidence.MEDIUM
                hits.append(
                    Hit(start, domain.end(), Kind.EMAIL, confidence, value, mask_email(value))
                )
                pos = text.find("@", domain.end())
                continue
        pos = text.find("@", pos + 1)
    return hits


# ---------------------------------------------------------------------------------------------
# House addresses (lower confidence: street, number, then building/unit/room)
# ---------------------------------------------------------------------------------------------

_N = "[0-9\uff10-\uff19]"
_UNIT = f"(?:{_N}{{1,4}}|[A-Za-z]){{1,2}}\\s*(?:栋|幢|座|号楼|单元|楼|层|室|房|号房)"
# One pass finds the places an address can start (a street, an estate or a village followed by
# a number); only there are the full patterns tried. The anchor is an alternation of plain
# words, so `re` scans for its first characters quickly.
_STREETS = ("路", "街", "巷", "道", "弄", "里")
_ESTATES = ("小区", "花园", "家园", "新村", "公寓", "大厦", "山庄", "苑")
_VILLAGES = ("村", "社区")
_ADDRESS_ANCHOR_RE = re.compile(
    "(?:" + "|".join((*_STREETS, *_ESTATES, *_VILLAGES)) + ")"
    "(?=\\s*[0-9\uff10-\uff19A-Za-z一二三四五六七八九十])"
)
_ADDRESS_RES = {
    # 香园路12号3栋2单元501室 / 向阳街8号之2 5楼502房
    "street": re.compile(
        f"(?:{'|'.join(_STREETS)})\\s*{_N}{{1,5}}\\s*号(?:之{_N}{{1,3}}|[-－]{_N}{{1,3}})?"
        f"[^\\n。；;，,]{{0,6}}?{_UNIT}(?:\\s*{_UNIT}){{0,3}}"
    ),
    # 幸福花园3栋501房 / 金域小区B座12楼
    "estate": re.compile(
        f"(?:{'|'.join(_ESTATES)})\\s*{_UNIT}(?:\\s*{_UNIT}){{0,3}}"
        f"(?:\\s*{_N}{{2,5}}\\s*(?:室|房|号))?"
    ),
    # 横坑村三组15号 (rural addresses: village, group, house number)
    "village": re.compile(
        f"(?:{'|'.join(_VILLAGES)})[0-9一二三四五六七八九十]{{1,3}}(?:组|队|巷|坊)\\s*{_N}{{1,4}}\\s*号"
    ),
}
_ANCHOR_KIND = {
    **dict.fromkeys(_STREETS, "street"),
    **dict.fromkeys(_ESTATES, "estate"),
    **dict.fromkeys(_VILLAGES, "village"),
}
_CJK_BEFORE = 6


def mask_address(value: str) -> str:
    return re.sub(r"[0-9\uff10-\uff19]", "*", value)


def find_addresses(text: str) -> list[Hit]:
    hits = []
    covered = -1
    for anchor in _ADDRESS_ANCHOR_RE.finditer(text):
        s = anchor.start()
        if s < covered:
            continue
        m = _ADDRESS_RES[_ANCHOR_KIND[anchor.group()]].match(text, s)
        if m is None:
            continue
        e = m.end()
        # Take the street or estate name in front (a few Chinese characters).
        k = s
        while k > s - _CJK_BEFORE and k > 0 and "\u4e00" <= text[k - 1] <= "\u9fff":
            k -= 1
        value = text[k:e]
        hits.append(Hit(k, e, Kind.ADDRESS, Confidence.LOW, value, mask_address(value)))
        covered = e
    return hits


# ---------------------------------------------------------------------------------------------
# The one-click mask for ID numbers in HTML
# ---------------------------------------------------------------------------------------------


def mask_id_numbers_in_html(html: str) -> tuple[str, int]:
    """Replace every valid resident ID number by its masked form (first 6 and last 4 kept).

    Works on the HTML source: an ID number never contains markup, and masking digits cannot
    break a tag. Credit codes and numbers with a wrong check digit stay as they are.
    """
    hits = [h for h in find_numbers(html) if h.kind == Kind.ID_NUMBER]
    if not hits:
        return html, 0
    out = []
    last = 0
    for h in hits:
        out.append(html[last : h.start])
        out.append(h.masked)
        last = h.end
    out.append(html[last:])
    return "".join(out), len(hits)
