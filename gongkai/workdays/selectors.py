"""Where each year's holiday schedule comes from.

In order of precedence:

1. a year entered by an administrator (admin or file) and marked 已生效 — the State Council's
   notice as the office read it, so it wins over everything else;
2. the chinesecalendar library, for the years its installed release ships (read at run time,
   never copied, so upgrading the package brings new years and corrections);
3. the data files shipped in ``gongkai/workdays/data/<year>.csv``, so the platform still works
   for recent years if an older chinesecalendar is installed.

A year found in none of them has no schedule: the calendar refuses to guess.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import chinese_calendar
from django.db.models import Count, Max

from .models import DayKind, ScheduleOrigin, WorkdayCalendarYear
from .schedulefile import parse_schedule

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class YearSchedule:
    year: int
    origin: str  # a ScheduleOrigin value
    # date -> (DayKind value, holiday name); only days that differ from the plain week
    days: Mapping[dt.date, tuple[str, str]]
    reference: str = ""  # notice number, library version or file name

    @property
    def origin_label(self) -> str:
        return str(ScheduleOrigin(self.origin).label)


def schedule_version() -> tuple:
    """Changes whenever an administrator's schedule is created or edited (cache invalidation)."""
    row = WorkdayCalendarYear.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"])


def database_schedule(year: int) -> YearSchedule | None:
    record = (
        WorkdayCalendarYear.objects.filter(year=year, status=WorkdayCalendarYear.Status.ACTIVE)
        .only("id", "year", "source", "notice_number")
        .first()
    )
    if record is None:
        return None
    days = {
        day: (kind, name)
        for day, kind, name in record.special_days.values_list("date", "kind", "name")
    }
    return YearSchedule(year=year, origin=record.source, days=days, reference=record.notice_number)


@cache
def library_years() -> frozenset[int]:
    # The library's tables hold every year it ships; a year with no entry is not covered.
    return frozenset(day.year for day in chinese_calendar.holidays)


def _library_name(value: str) -> str:
    try:
        return chinese_calendar.Holiday(value).chinese
    except ValueError:
        return value


def library_schedule(year: int) -> YearSchedule | None:
    if year not in library_years():
        return None
    days: dict[dt.date, tuple[str, str]] = {}
    for day, value in chinese_calendar.holidays.items():
        if day.year == year:
            days[day] = (DayKind.HOLIDAY, _library_name(value))
    for day, value in chinese_calendar.workdays.items():
        if day.year == year:
            days[day] = (DayKind.MAKEUP_WORKDAY, _library_name(value))
    return YearSchedule(
        year=year,
        origin=ScheduleOrigin.CHINESECALENDAR,
        days=days,
        reference=f"chinesecalendar {chinese_calendar.__version__}",
    )


def shipped_years() -> frozenset[int]:
    return frozenset(int(path.stem) for path in DATA_DIR.glob("*.csv") if path.stem.isdigit())


def shipped_schedule(year: int) -> YearSchedule | None:
    path = DATA_DIR / f"{year}.csv"
    if not path.is_file():
        return None
    entries = parse_schedule(path.read_bytes()).get(year, [])
    return YearSchedule(
        year=year,
        origin=ScheduleOrigin.SHIPPED,
        days={e.date: (e.kind, e.name) for e in entries},
        reference=f"data/{path.name}",
    )


def year_schedule(year: int) -> YearSchedule | None:
    """The schedule that governs this year, or None if no source has it."""
    return database_schedule(year) or library_schedule(year) or shipped_schedule(year)


def calendar_overview(*, through: int | None = None) -> list[dict]:
    """One row per year from the first year any source covers: what governs it, and drafts.

    Shown above the admin list, so an administrator sees at a glance which year is missing.
    """
    from django.utils import timezone

    records = {r.year: r for r in WorkdayCalendarYear.objects.all()}
    covered = library_years() | shipped_years() | set(records)
    this_year = timezone.localdate().year
    last = max([*covered, this_year + 1, through or 0])
    first = min(covered | {this_year})
    library, shipped = library_years(), shipped_years()
    rows = []
    for year in range(last, first - 1, -1):
        record = records.get(year)
        if record is not None and record.is_active:
            origin, reference = record.get_source_display(), record.notice_number
        elif year in library:
            origin = ScheduleOrigin.CHINESECALENDAR.label
            reference = f"chinesecalendar {chinese_calendar.__version__}"
        elif year in shipped:
            origin, reference = ScheduleOrigin.SHIPPED.label, f"data/{year}.csv"
        else:
            origin, reference = None, ""
        rows.append(
            {
                "year": year,
                "origin": origin,
                "reference": reference,
                "missing": origin is None,
                "draft": record is not None and not record.is_active,
                "record": record,
            }
        )
    return rows


def calendar_coverage(*, through: int | None = None) -> list[dict]:
    """calendar_overview with runs of years from the same source folded into one row."""
    ranges: list[dict] = []
    for row in calendar_overview(through=through):
        last = ranges[-1] if ranges else None
        same = (
            last is not None
            and not row["draft"]
            and not last["draft"]
            and (row["origin"], row["reference"]) == (last["origin"], last["reference"])
            and last["first"] == row["year"] + 1
        )
        if same and row["record"] is None and last["record"] is None:
            last["first"] = row["year"]
        else:
            ranges.append({**row, "first": row["year"], "last": row["year"]})
    return ranges
