"""统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999) check characters.

Written here rather than taken from a library: no maintained PyPI package covers both
standards, and each is a dozen lines of arithmetic from the standard's text.
"""

import re

# GB 32100-2015 §4.1: the 31 characters used (no I, O, Z, S, V) and the weights of §4.2.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = (code or "").strip().upper()
    if not CREDIT_RE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def make_credit_code(first17: str) -> str:
    """Append the check character; used by the demo and by tests."""
    return first17 + credit_code_check_char(first17)


def id_number_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def is_valid_id_number(number: str) -> bool:
    number = (number or "").strip().upper()
    if not ID_RE.match(number):
        return False
    return id_number_check_char(number[:17]) == number[17]


def mask_id_number(number: str) -> str:
    """Keep the first 6 (region) and last 4 characters, as offices publish them."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
