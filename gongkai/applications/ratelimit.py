"""A fixed-window rate limit kept in the database, so every process and machine shares it
(the default cache is per-process memory and would let each worker count on its own)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import conf
from .models import RateCounter


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy
    # rewrites it, and a deployment behind one sets REMOTE_ADDR there (e.g. gunicorn's
    # --forwarded-allow-ips with a proxy that replaces the header).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key: str, setting: str) -> bool:
    """Count one hit for `key`; False if that goes over the limit named by `setting`."""
    limit, period = conf.rate(setting)
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % period)
    start = start.replace(microsecond=0)
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
                # A new window: forget windows older than a day while we are here.
                RateCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
            except IntegrityError:
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.get(key=key, window_start=start).count
    return count <= limit


def first_use(token_id: str, issued_at) -> bool:
    """True the first time a one-time token is seen (a captcha answer is used once).

    Keyed by the token's own issue time, so the row outlives the token (cleaned after a day).
    """
    try:
        with transaction.atomic():
            RateCounter.objects.create(key=f"once:{token_id}"[:200], window_start=issued_at)
    except IntegrityError:
        return False
    return True
