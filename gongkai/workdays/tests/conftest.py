from datetime import date

import pytest

from gongkai.orgs.models import Role
from gongkai.workdays import calendar
from gongkai.workdays.models import DayKind, WorkdayCalendarYear
from gongkai.workdays.services import calendar_year_create


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # Each test's database rows are rolled back without signals: start from an empty cache.
    calendar.cache_clear()
    yield
    calendar.cache_clear()


@pytest.fixture
def village_admin(make_user, village):
    """公开办管理员 of a village: an administrator, but not of a root organisation."""
    return make_user("victor", roles=[(Role.ADMIN, village)])


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="pw-Secret-123")


# A plausible 2027 schedule for tests only (2027's real one is not in RULES.md): 元旦 on a Friday
# with the weekend, and a 春节 with two make-up Saturdays/Sundays.
SCHEDULE_2027 = [
    (date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
    (date(2027, 1, 2), DayKind.HOLIDAY, "元旦"),
    (date(2027, 1, 3), DayKind.HOLIDAY, "元旦"),
    (date(2027, 2, 6), DayKind.MAKEUP_WORKDAY, "春节"),
    *[(date(2027, 2, d), DayKind.HOLIDAY, "春节") for d in range(7, 16)],
    (date(2027, 2, 20), DayKind.MAKEUP_WORKDAY, "春节"),
]


@pytest.fixture
def year_2027(alice):
    return calendar_year_create(
        actor=alice,
        year=2027,
        days=SCHEDULE_2027,
        notice_number="测试用",
        status=WorkdayCalendarYear.Status.ACTIVE,
    )
