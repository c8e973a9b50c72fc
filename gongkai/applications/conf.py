"""Settings of the applications app, each with its default.

A site overrides any of them in its settings module; they are read at call time so that tests
can use `override_settings`.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    # Online form: saved applications per IP address, and attempts (captcha guesses) per IP.
    "GONGKAI_APPLY_RATE_LIMIT": "5/h",
    "GONGKAI_APPLY_ATTEMPT_RATE_LIMIT": "30/h",
    # Tracking page: look-ups per IP address.
    "GONGKAI_TRACK_RATE_LIMIT": "20/h",
    # How long a captcha question stays valid, in seconds.
    "GONGKAI_CAPTCHA_MAX_AGE": 1800,
    # 条例第三十条 asks for "合理的补正期限" without a number; this is the default offered.
    "GONGKAI_CORRECTION_PERIOD_WORKDAYS": 15,
    # Reminders go out this many working days before a reply is due, and on the day.
    "GONGKAI_REMINDER_WORKDAYS_BEFORE": 3,
    # Proofs of identity and information given to applicants are never under MEDIA_ROOT,
    # which a web server may publish; they are served only through permission-checked views.
    "GONGKAI_PRIVATE_MEDIA_ROOT": None,
}

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def get(name: str):
    value = getattr(settings, name, DEFAULTS[name])
    if name == "GONGKAI_PRIVATE_MEDIA_ROOT" and not value:
        value = Path(settings.VAR_DIR) / "private"
    return value


def rate(name: str) -> tuple[int, int]:
    """'5/h' → (5, 3600). A bad value stops the request with a message naming the setting."""
    value = str(get(name))
    try:
        count, unit = value.split("/")
        return int(count), _UNITS[unit.strip().lower()[0]]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"{name}={value!r} 格式不正确，应为“次数/单位”，例如 5/h ({name} must look like 5/h)"
        ) from None
