"""Working-day arithmetic on the Chinese legal calendar.

A day is a working day if it is Monday–Friday and not a holiday, or if it is a make-up working
day (调休上班). Each year's schedule comes from `selectors.year_schedule`; a date in a year
with no schedule raises ScheduleMissing — a deadline is never computed on a guessed calendar.

Counting follows RULES.md §9 (民法典第二百零一条): the day of the event is not counted, so
working day 1 is the first working day *after* the start date.

Speed: a report over tens of thousands of cases calls these functions hundreds of thousands of
times, so each year is turned once into a sorted tuple of the ordinals of its working days and
kept in memory; counting is then two binary searches per year. The cache is cleared when a
schedule is saved in this process, and every few seconds each process asks the database
whether any schedule changed (one cheap aggregate), so edits reach every application server
and worker.
"""

import threading
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext

from . import selectors
from .models import DayKind


class ScheduleMissing(Exception):
    """No holiday schedule is known for `year`."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(year)

    def __str__(self) -> str:
        return gettext(
            "%(year)s年的节假日安排尚未录入，无法计算工作日。请公开办管理员在后台“工作日历”中录入。"
        ) % {"year": self.year}


@dataclass(frozen=True)
class _YearTable:
    year: int
    origin: str
    working: tuple[int, ...]  # ordinals of the working days, ascending
    working_set: frozenset[int]
    special: dict[int, tuple[str, str]] = field(repr=False)  # ordinal -> (kind, name)


_lock = threading.Lock()
_tables: dict[int, _YearTable | None] = {}  # None: no source has the year
_state = {"checked_at": float("-inf"), "version": None}


def cache_clear() -> None:
    """Forget every year; the next call reloads and re-reads the schedule version."""
    with _lock:
        _tables.clear()
        _state["checked_at"] = float("-inf")
        _state["version"] = None


def _revalidate() -> None:
    ttl = getattr(settings, "GONGKAI_WORKDAYS_CACHE_SECONDS", 10)
    now = time.monotonic()
    if now - _state["checked_at"] < ttl:
        return
    version = selectors.schedule_version()
    with _lock:
        if version != _state["version"]:
            _tables.clear()
            _state["version"] = version
        _state["checked_at"] = now


def _build(year: int) -> _YearTable | None:
    schedule = selectors.year_schedule(year)
    if schedule is None:
        return None
    special = {day.toordinal(): value for day, value in schedule.days.items()}
    working = []
    day = date(year, 1, 1)
    one = timedelta(days=1)
    while day.year == year:
        ordinal = day.toordinal()
        kind = special.get(ordinal, (None,))[0]
        if kind == DayKind.MAKEUP_WORKDAY or (day.weekday() < 5 and kind != DayKind.HOLIDAY):
            working.append(ordinal)
        day += one
    return _YearTable(
        year=year,
        origin=schedule.origin,
        working=tuple(working),
        working_set=frozenset(working),
        special=special,
    )


def _table(year: int) -> _YearTable:
    _revalidate()
    try:
        table = _tables[year]
    except KeyError:
        table = _build(year)
        with _lock:
            _tables[year] = table
    if table is None:
        raise ScheduleMissing(year)
    return table


def _check(day) -> None:
    # An aware datetime near midnight is another day in Asia/Shanghai than in UTC: callers
    # must pass timezone.localdate(...), never a datetime.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}: use timezone.localdate()")


def is_working_day(day: date) -> bool:
    _check(day)
    return day.toordinal() in _table(day.year).working_set


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (day 1 is the first working day after it).

    `start` itself need not be a working day. n=0 returns `start` unchanged.
    """
    _check(start)
    if n < 0:
        raise ValueError("n must be zero or positive")
    if n == 0:
        return start
    year = start.year
    table = _table(year)
    index = bisect_right(table.working, start.toordinal())
    remaining = n
    while True:
        available = len(table.working) - index
        if remaining <= available:
            return date.fromordinal(table.working[index + remaining - 1])
        remaining -= available
        year += 1
        table = _table(year)
        index = 0


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`.

    So working_days_between(d, add_working_days(d, n)) == n. If `end` is before `start` the
    count is negative: working_days_between(a, b) == -working_days_between(b, a).
    """
    _check(start)
    _check(end)
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    first = start + timedelta(days=1)
    lo, hi = start.toordinal(), end.toordinal()
    count = 0
    for year in range(first.year, end.year + 1):
        working = _table(year).working
        count += bisect_right(working, hi) - bisect_right(working, lo)
    return count


@dataclass(frozen=True)
class SpecialDayInfo:
    date: date
    kind: str  # DayKind value
    name: str
    is_working_day: bool


def special_days(start: date, end: date) -> list[SpecialDayInfo]:
    """Holidays and make-up working days after `start` up to and including `end`.

    Used to explain a count to a person ("国庆节 10-01至10-07 不计入；10-10 调休上班计入").
    """
    _check(start)
    _check(end)
    if end <= start:
        return []
    lo, hi = start.toordinal(), end.toordinal()
    found = []
    for year in range(start.year, end.year + 1):
        if year == start.year and start == date(year, 12, 31):
            continue
        table = _table(year)
        for ordinal in sorted(o for o in table.special if lo < o <= hi):
            kind, name = table.special[ordinal]
            found.append(
                SpecialDayInfo(
                    date=date.fromordinal(ordinal),
                    kind=kind,
                    name=name,
                    is_working_day=ordinal in table.working_set,
                )
            )
    return found


def schedule_origin(year: int) -> str:
    """Which source governs `year` (a ScheduleOrigin value); raises ScheduleMissing."""
    return _table(year).origin
