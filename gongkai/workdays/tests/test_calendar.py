from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.workdays import calendar, selectors
from gongkai.workdays.calendar import (
    ScheduleMissing,
    add_working_days,
    is_working_day,
    schedule_origin,
    special_days,
    working_days_between,
)
from gongkai.workdays.models import DayKind, ScheduleOrigin, WorkdayCalendarYear
from gongkai.workdays.services import calendar_year_create, calendar_year_update

pytestmark = pytest.mark.django_db


def test_it_counts_through_national_day_2026_with_its_makeup_days():
    # Fri 2026-09-18. Sun 09-20 is a make-up working day (day 1); 中秋 09-25..27 and 国庆
    # 10-01..07 are off; Sat 10-10 is worked (day 11).
    start = date(2026, 9, 18)
    assert is_working_day(date(2026, 9, 20))
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 9, 25))
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert add_working_days(start, 1) == date(2026, 9, 20)
    assert add_working_days(start, 5) == date(2026, 9, 24)
    assert add_working_days(start, 6) == date(2026, 9, 28)
    assert add_working_days(start, 8) == date(2026, 9, 30)
    assert add_working_days(start, 9) == date(2026, 10, 8)
    assert add_working_days(start, 11) == date(2026, 10, 10)
    assert add_working_days(start, 12) == date(2026, 10, 12)
    assert add_working_days(start, 20) == date(2026, 10, 22)
    assert working_days_between(start, date(2026, 10, 22)) == 20


def test_it_counts_across_spring_festival_2025():
    # Fri 2025-01-24: Sun 01-26 worked, 01-28..02-04 off, Sat 02-08 worked.
    start = date(2025, 1, 24)
    assert add_working_days(start, 1) == date(2025, 1, 26)
    assert add_working_days(start, 2) == date(2025, 1, 27)
    assert add_working_days(start, 3) == date(2025, 2, 5)
    assert add_working_days(start, 6) == date(2025, 2, 8)
    assert add_working_days(start, 20) == date(2025, 2, 27)


def test_it_counts_across_spring_festival_2026():
    # Thu 2026-02-12: Sat 02-14 worked, 02-15..23 off (nine days), Sat 02-28 worked.
    start = date(2026, 2, 12)
    assert add_working_days(start, 2) == date(2026, 2, 14)
    assert add_working_days(start, 3) == date(2026, 2, 24)
    assert add_working_days(start, 7) == date(2026, 2, 28)
    assert add_working_days(start, 20) == date(2026, 3, 18)


def test_it_crosses_the_new_year():
    # 2025-12-31 (Wed) + 2: 2026-01-01..03 off, Sun 01-04 worked, Mon 01-05.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)
    assert working_days_between(date(2025, 12, 30), date(2026, 1, 5)) == 3


def test_it_returns_the_start_for_zero_days_even_on_a_holiday():
    assert add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 1)
    assert add_working_days(date(2099, 1, 1), 0) == date(2099, 1, 1)


def test_it_starts_counting_the_day_after_a_rest_day():
    # Received on a holiday: day 1 is still the first working day after it.
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)


def test_it_counts_between_in_both_directions():
    a, b = date(2026, 9, 18), date(2026, 10, 22)
    assert working_days_between(a, a) == 0
    assert working_days_between(a, b) == 20
    assert working_days_between(b, a) == -20
    # a rest day as the end: nothing more is counted
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0


def test_it_refuses_negative_counts_and_datetimes():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
    with pytest.raises(TypeError):
        is_working_day(timezone.now())
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 1, 5, 12, 0), 1)


def test_it_raises_schedule_missing_for_a_year_nobody_has_entered():
    with pytest.raises(ScheduleMissing) as exc:
        is_working_day(date(2099, 6, 1))
    assert exc.value.year == 2099
    assert str(exc.value) == (
        "2099年的节假日安排尚未录入，无法计算工作日。请公开办管理员在后台“工作日历”中录入。"
    )


def test_it_raises_schedule_missing_when_a_count_runs_into_a_missing_year():
    # Nothing covers 2027 yet: a deadline that ends there cannot be computed.
    assert 2027 not in selectors.library_years()
    with pytest.raises(ScheduleMissing) as exc:
        add_working_days(date(2026, 12, 20), 30)
    assert exc.value.year == 2027
    assert str(exc.value).startswith("2027年的节假日安排尚未录入")
    with pytest.raises(ScheduleMissing):
        working_days_between(date(2026, 12, 20), date(2027, 1, 10))
    # but a count that ends on 2026-12-31 needs no 2027
    assert working_days_between(date(2026, 12, 20), date(2026, 12, 31)) == 9


def test_it_uses_a_year_entered_by_an_administrator(year_2027):
    assert schedule_origin(2027) == ScheduleOrigin.ADMIN
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 2, 6))  # make-up Saturday
    assert not is_working_day(date(2027, 2, 15))  # a Monday of 春节
    # 2026-12-31 (Thu): Fri 2027-01-01 off, weekend, so day 1 is Mon 01-04
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 20), 30) == date(2027, 2, 1)


def test_it_ignores_a_year_still_being_entered(alice):
    calendar_year_create(
        actor=alice,
        year=2027,
        days=[(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
        status=WorkdayCalendarYear.Status.DRAFT,
    )
    with pytest.raises(ScheduleMissing):
        is_working_day(date(2027, 1, 4))


def test_it_lets_an_administrator_override_the_library(alice):
    # Say a town's office records a (fictional) extra day off on Mon 2026-09-21.
    assert schedule_origin(2026) == ScheduleOrigin.CHINESECALENDAR
    assert is_working_day(date(2026, 9, 21))
    library = selectors.library_schedule(2026)
    days = [(day, kind, name) for day, (kind, name) in library.days.items()]
    days.append((date(2026, 9, 21), DayKind.HOLIDAY, "测试"))
    calendar_year_create(actor=alice, year=2026, days=days)
    assert schedule_origin(2026) == ScheduleOrigin.ADMIN
    assert not is_working_day(date(2026, 9, 21))
    assert add_working_days(date(2026, 9, 18), 20) == date(2026, 10, 23)


def test_it_sees_a_correction_at_once_without_clearing_the_cache_by_hand(year_2027, alice):
    assert is_working_day(date(2027, 2, 20))
    days = [d for d in year_2027.special_days.all() if d.date != date(2027, 2, 20)]
    calendar_year_update(actor=alice, calendar_year=year_2027, days=days)
    assert not is_working_day(date(2027, 2, 20))


def test_it_notices_changes_made_by_another_process(year_2027, settings):
    # Another application server edits the table: no signal reaches this process, the
    # periodic version check does.
    assert is_working_day(date(2027, 2, 8)) is False
    settings.GONGKAI_WORKDAYS_CACHE_SECONDS = 3600
    WorkdayCalendarYear.objects.filter(pk=year_2027.pk).update(
        status=WorkdayCalendarYear.Status.DRAFT, updated_at=timezone.now()
    )
    assert is_working_day(date(2027, 2, 8)) is False  # still cached
    settings.GONGKAI_WORKDAYS_CACHE_SECONDS = 0
    with pytest.raises(ScheduleMissing):
        is_working_day(date(2027, 2, 8))


def test_it_answers_from_memory_after_the_first_call(django_assert_num_queries):
    add_working_days(date(2026, 1, 5), 200)  # warm 2026
    with django_assert_num_queries(0):
        day = date(2026, 1, 1)
        for _ in range(20_000):
            add_working_days(day, 20)
            working_days_between(day, date(2026, 12, 31))
            is_working_day(day)


def test_it_agrees_with_the_library_on_every_day_it_ships():
    # An independent oracle: chinesecalendar's own is_workday.
    first, last = min(selectors.library_years()), max(selectors.library_years())
    day = date(first, 1, 1)
    while day.year <= last:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_it_covers_2012_for_the_demo():
    assert schedule_origin(2012) == ScheduleOrigin.CHINESECALENDAR
    # 2012 国庆+中秋: 09-30..10-07 off, Sat 09-29 worked
    assert is_working_day(date(2012, 9, 29))
    assert not is_working_day(date(2012, 10, 5))


def test_it_falls_back_to_the_shipped_files_without_the_library(monkeypatch):
    library = {y: calendar._build(y).working for y in (2024, 2025, 2026)}
    monkeypatch.setattr(selectors, "library_years", lambda: frozenset())
    calendar.cache_clear()
    for year in (2024, 2025, 2026):
        assert schedule_origin(year) == ScheduleOrigin.SHIPPED
        assert calendar._table(year).working == library[year], year
    with pytest.raises(ScheduleMissing):
        is_working_day(date(2023, 5, 4))


def test_it_lists_the_special_days_of_a_span():
    found = special_days(date(2026, 9, 18), date(2026, 10, 12))
    assert [d.date for d in found if d.is_working_day] == [date(2026, 9, 20), date(2026, 10, 10)]
    off = [d for d in found if not d.is_working_day]
    assert off[0].date == date(2026, 9, 25) and off[0].kind == DayKind.HOLIDAY
    assert {d.name for d in off} == {"中秋", "国庆节"}
    assert special_days(date(2026, 10, 12), date(2026, 9, 18)) == []


def test_it_makes_one_query_per_year_at_most():
    with CaptureQueriesContext(connection) as ctx:
        working_days_between(date(2020, 1, 1), date(2026, 12, 31))
    # version check + (year row + its days) per year, at most
    assert len(ctx.captured_queries) <= 1 + 2 * 7
