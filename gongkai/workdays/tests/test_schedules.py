"""The sources of the schedule: RULES.md §6, chinesecalendar, the shipped files, the loader."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry, Revision

from gongkai.workdays import selectors
from gongkai.workdays.calendar import is_working_day
from gongkai.workdays.models import DayKind, ScheduleOrigin, WorkdayCalendarYear
from gongkai.workdays.schedulefile import ScheduleFileError, parse_schedule
from gongkai.workdays.services import calendar_year_create, schedule_file_load


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# RULES.md §6, typed in again from its tables: (days off as ranges, make-up working days).
RULES_SECTION_6 = {
    2024: (
        [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    ),
    2025: (
        [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    ),
    2026: (
        [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    ),
}


def _rules(year):
    ranges, makeups = RULES_SECTION_6[year]
    off = set().union(*(_span(date.fromisoformat(a), date.fromisoformat(b)) for a, b in ranges))
    return off, {date.fromisoformat(d) for d in makeups}


def _split(schedule):
    off = {d for d, (kind, _) in schedule.days.items() if kind == DayKind.HOLIDAY}
    work = {d for d, (kind, _) in schedule.days.items() if kind == DayKind.MAKEUP_WORKDAY}
    return off, work


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_it_agrees_with_rules_md_in_chinesecalendar(year):
    assert year in selectors.library_years()
    assert _split(selectors.library_schedule(year)) == _rules(year)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_it_ships_files_that_match_rules_md(year):
    assert year in selectors.shipped_years()
    assert _split(selectors.shipped_schedule(year)) == _rules(year)


def test_it_knows_which_years_chinesecalendar_ships():
    years = selectors.library_years()
    assert {2004, 2012, 2019, 2026} <= years
    assert 2099 not in years
    assert years == frozenset(range(min(years), max(years) + 1))


GOOD = """\
# 2027年（测试用）
date,kind,name
2027-01-01,holiday,元旦
2027/1/2,放假,元旦
2027-01-03,休,元旦
2027-02-06,makeup_workday,春节
2027-02-07，班，春节

"""


def test_it_parses_the_documented_format():
    parsed = parse_schedule(GOOD)
    assert list(parsed) == [2027]
    days = parsed[2027]
    assert [(d.date, d.kind, d.name) for d in days][:2] == [
        (date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        (date(2027, 1, 2), DayKind.HOLIDAY, "元旦"),
    ]
    assert days[-1].kind == DayKind.MAKEUP_WORKDAY and days[-1].line == 7


def test_it_reads_utf8_with_a_bom_and_gb18030():
    assert parse_schedule(("\ufeff" + GOOD).encode("utf-8"))[2027][0].name == "元旦"
    assert parse_schedule(GOOD.encode("gb18030"))[2027][0].name == "元旦"


def test_it_reports_every_bad_line_with_its_number():
    text = "\n".join(
        [
            "date,kind,name",
            "2027-01-01,holiday,元旦",  # 2 good
            "2027-02-30,holiday,春节",  # 3 no such day
            "2027-02-08,makeup_workday,春节",  # 4 a Monday is not a make-up day
            "2027-01-01,holiday,元旦",  # 5 duplicate of line 2
            "2027-02-09,vacation,春节",  # 6 unknown kind
            "2027-02-10,holiday,",  # 7 no name
            "only two,fields",  # 8
        ]
    )
    with pytest.raises(ScheduleFileError) as exc:
        parse_schedule(text)
    errors = exc.value.errors
    assert [e.split("：")[0] for e in errors] == [f"第{n}行" for n in (3, 4, 5, 6, 7, 8)]
    assert "2027-02-30" in errors[0]
    assert "不需要录入为调休上班日" in errors[1]
    assert "与第2行重复" in errors[2]
    assert "vacation" in errors[3]
    assert "缺少节日名称" in errors[4]
    assert "应有3项" in errors[5]


def test_it_refuses_an_empty_file_and_a_year_without_holidays():
    with pytest.raises(ScheduleFileError, match="没有任何日期"):
        parse_schedule("# nothing\n")
    with pytest.raises(ScheduleFileError, match="2027年只有调休上班日"):
        parse_schedule("2027-02-06,makeup_workday,春节\n")


@pytest.mark.django_db
def test_it_loads_nothing_if_any_line_is_bad(alice):
    text = GOOD + "2028-01-01,holiday,元旦\n2028-13-01,holiday,元旦\n"
    with pytest.raises(ScheduleFileError):
        schedule_file_load(actor=alice, content=text)
    assert WorkdayCalendarYear.objects.count() == 0


@pytest.mark.django_db
def test_it_loads_a_file_as_an_audited_year(alice):
    [(record, created)] = schedule_file_load(
        actor=alice, content=GOOD.encode(), notice_number="国办发明电〔2026〕0号"
    )
    assert created
    assert (record.year, record.source, record.status) == (2027, "file", "active")
    assert record.entered_by == alice and record.notice_number == "国办发明电〔2026〕0号"
    assert record.special_days.count() == 5
    assert Revision.objects.for_instance(record).count() == 1
    assert ModelLogEntry.objects.for_instance(record).get().action == "wagtail.create"
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 2, 7))


@pytest.mark.django_db
def test_it_corrects_a_year_only_when_asked_and_keeps_the_old_version(alice):
    [(record, _)] = schedule_file_load(actor=alice, content=GOOD)
    corrected = GOOD.replace("2027-02-07，班，春节\n", "")
    with pytest.raises(ValidationError, match="--replace"):
        schedule_file_load(actor=alice, content=corrected)
    assert record.special_days.count() == 5
    [(again, created)] = schedule_file_load(actor=alice, content=corrected, replace=True)
    assert not created and again.pk == record.pk
    assert again.special_days.count() == 4
    assert not is_working_day(date(2027, 2, 7))
    revisions = Revision.objects.for_instance(record).order_by("created_at", "id")
    assert revisions.count() == 2
    # the first revision still holds the day that the correction removed
    old_days = [d["date"] for d in revisions.first().content["special_days"]]
    assert "2027-02-07" in old_days
    actions = list(
        ModelLogEntry.objects.for_instance(record)
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["wagtail.create", "wagtail.edit"]


@pytest.mark.django_db
def test_it_lets_only_a_root_administrator_enter_a_year(alice, village_admin, dave, superuser):
    days = [(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")]
    for person in (village_admin, dave):
        with pytest.raises(PermissionDenied):
            calendar_year_create(actor=person, year=2027, days=days)
    assert WorkdayCalendarYear.objects.count() == 0
    calendar_year_create(actor=superuser, year=2027, days=days)
    assert selectors.year_schedule(2027).origin == ScheduleOrigin.ADMIN


@pytest.mark.django_db
def test_it_refuses_days_outside_the_year_and_an_active_year_without_holidays(alice):
    with pytest.raises(ValidationError) as exc:
        calendar_year_create(
            actor=alice,
            year=2027,
            days=[(date(2028, 1, 1), DayKind.HOLIDAY, "元旦")],
        )
    assert "不在 2027 年内" in str(exc.value)
    with pytest.raises(ValidationError, match="至少要有一个放假日期"):
        calendar_year_create(actor=alice, year=2027, days=[])
    with pytest.raises(ValidationError, match="2027-01-01 缺少节日名称"):
        calendar_year_create(actor=alice, year=2027, days=[(date(2027, 1, 1), "holiday", " ")])
    assert WorkdayCalendarYear.objects.count() == 0


@pytest.mark.django_db
def test_it_shows_which_source_governs_each_year(year_2027):
    rows = {row["year"]: row for row in selectors.calendar_overview(through=2028)}
    assert rows[2012]["origin"] == "chinesecalendar 库"
    assert rows[2027]["origin"] == "后台录入" and rows[2027]["reference"] == "测试用"
    assert rows[2028]["missing"]
    assert min(rows) == min(selectors.library_years())


@pytest.mark.django_db
def test_it_folds_years_from_the_same_source_into_ranges(year_2027):
    rows = selectors.calendar_coverage(through=2029)
    library = selectors.library_years()
    assert [(r["first"], r["last"], r["missing"]) for r in rows] == [
        (2028, 2029, True),
        (2027, 2027, False),
        (min(library), max(library), False),
    ]
