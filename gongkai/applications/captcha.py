"""A captcha that needs no outside service: a sum in Chinese numerals, asked in text.

The question is plain text, so a screen reader reads it like any label: it is its own text
alternative. The answer is not in the page: the form carries a signed token with an HMAC of
it, valid for GONGKAI_CAPTCHA_MAX_AGE seconds and usable once.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from . import conf, ratelimit

SALT = "gongkai.applications.captcha"
NUMERALS = "零一二三四五六七八九十"

OK, WRONG, EXPIRED, REUSED = "ok", "wrong", "expired", "reused"


def chinese_numeral(n: int) -> str:
    """0–99 in Chinese numerals: 七, 十二, 二十."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens] if tens > 1 else "") + "十" + (NUMERALS[ones] if ones else "")


def parse_answer(text: str) -> int | None:
    text = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    for n in range(100):
        if chinese_numeral(n) == text:
            return n
    return None


@dataclass(frozen=True)
class Captcha:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def captcha_new() -> Captcha:
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        question = _("%(a)s减%(b)s等于几？") % {
            "a": chinese_numeral(a),
            "b": chinese_numeral(b),
        }
        answer = a - b
    else:
        question = _("%(a)s加%(b)s等于几？") % {
            "a": chinese_numeral(a),
            "b": chinese_numeral(b),
        }
        answer = a + b
    nonce = secrets.token_hex(12)
    token = signing.dumps(
        {"n": nonce, "d": _digest(nonce, answer), "t": int(time.time())}, salt=SALT
    )
    return Captcha(question=question, token=token)


def captcha_check(token: str, answer: str) -> str:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=conf.get("GONGKAI_CAPTCHA_MAX_AGE"))
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return WRONG
    # Any answer, right or wrong, uses the question up: no guessing the same one twice.
    if not ratelimit.first_use(data["n"], datetime.fromtimestamp(data["t"], tz=UTC)):
        return REUSED
    value = parse_answer(answer)
    if value is None or not constant_time_compare(_digest(data["n"], value), data["d"]):
        return WRONG
    return OK
