"""POST a signed JSON body to a receiver, the way GitHub and Stripe sign theirs.

Headers: `X-Gongkai-Signature: sha256=<hex HMAC-SHA256 of the raw body with the channel's
secret>`, `Idempotency-Key: <the delivery's UUID>` (the same on every retry, so a receiver that
saw it already can answer 200 without acting again), `X-Gongkai-Delivery: <delivery id>`.
Redirects are not followed (a POST must not silently become a GET elsewhere).
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .. import DeliveryError

SIGNATURE_HEADER = "X-Gongkai-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """For receivers (and our tests): constant-time check of the signature header."""
    return hmac.compare_digest(signature(secret, body), header or "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def webhook_post(
    *, url: str, secret: str, payload: dict, idempotency_key: str, delivery_id: int, timeout: int
) -> str:
    """Send; return the receiver's id for what it made (or a stand-in). Raise DeliveryError."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError(_("接口地址须以 http:// 或 https:// 开头。"))
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "gongkai-channels/1",
            SIGNATURE_HEADER: signature(secret, body),
            IDEMPOTENCY_HEADER: idempotency_key,
            "X-Gongkai-Delivery": str(delivery_id),
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(64 * 1024)
            request_id = response.headers.get("X-Request-Id", "")
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        raise DeliveryError(
            _("接口返回错误 HTTP %(status)s：%(detail)s") % {"status": exc.code, "detail": detail}
        ) from exc
    except TimeoutError as exc:
        raise DeliveryError(_("接口在 %(seconds)s 秒内没有响应。") % {"seconds": timeout}) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(_("无法连接接口：%(reason)s") % {"reason": reason}) from exc
    if not 200 <= status < 300:
        raise DeliveryError(_("接口返回错误 HTTP %(status)s。") % {"status": status})
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        answer = {}
    external = answer.get("id") if isinstance(answer, dict) else None
    return str(external or request_id or f"HTTP {status}")
