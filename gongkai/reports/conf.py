"""Settings of the reports app, each with its default, read at call time (override_settings).

条例第四十九条: departments of county-level-and-above governments publish by 31 January, the
government's disclosure office by 31 March. Towns are not named; their deadline is set
locally (RULES.md §1), so it is a setting.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "GONGKAI_TOWN_REPORT_DUE": "03-31",
    "GONGKAI_GOVERNMENT_REPORT_DUE": "03-31",
    "GONGKAI_DEPARTMENT_REPORT_DUE": "01-31",
    # Per organisation code, e.g. {"huaihua-xx": "02-20"} (a county collecting town reports).
    "GONGKAI_REPORT_DUE_OVERRIDES": {},
    # Name endings that make a government a town-level one (乡、镇人民政府, 街道办事处).
    "GONGKAI_TOWN_NAME_MARKERS": ("镇人民政府", "乡人民政府", "街道办事处", "镇", "乡"),
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def month_day(name: str, value: str) -> tuple[int, int]:
    """'03-31' → (3, 31); a bad value names the setting."""
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2001, month, day)  # a non-leap year: 02-29 is refused
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"{name}={value!r} 格式不正确，应为“月-日”，例如 03-31 ({name} must look like 03-31)"
        ) from None
    return month, day
