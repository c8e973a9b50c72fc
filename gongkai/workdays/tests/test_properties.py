"""Properties of the arithmetic over every year chinesecalendar ships (2004–2026 in 1.11.0)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.workdays.calendar import add_working_days, is_working_day, working_days_between
from gongkai.workdays.deadlines import Pause, reply_deadline

pytestmark = pytest.mark.django_db

FIRST = date(2004, 1, 1)
# Leave room for 120 working days before the end of the last shipped year.
LAST_START = date(2026, 5, 31)

run = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
days = st.dates(min_value=FIRST, max_value=LAST_START)
counts = st.integers(min_value=0, max_value=120)


@run
@given(start=days, n=counts)
def test_it_lands_on_a_working_day_exactly_n_working_days_later(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n == 0:
        assert end == start
    else:
        assert end > start
        assert is_working_day(end)
        # and it is the first such day: the day before has one working day less
        assert working_days_between(start, end - timedelta(days=1)) == n - 1


@run
@given(a=days, b=days, c=days)
def test_it_counts_additively_and_antisymmetrically(a, b, c):
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@run
@given(start=days, n=counts)
def test_it_counts_the_same_as_chinesecalendar(start, n):
    end = start + timedelta(days=n)
    expected = len(chinese_calendar.get_workdays(start + timedelta(days=1), end)) if n else 0
    assert working_days_between(start, end) == expected


@run
@given(
    received=st.dates(min_value=date(2019, 5, 15), max_value=date(2026, 6, 30)),
    offset=st.integers(min_value=0, max_value=25),
    length=st.integers(min_value=0, max_value=30),
)
def test_it_moves_a_deadline_by_exactly_the_paused_working_days(received, offset, length):
    p = received + timedelta(days=offset)
    q = p + timedelta(days=length)
    plain = reply_deadline(received=received)
    paused = reply_deadline(received=received, pauses=[Pause(p, q)])
    quiet = reply_deadline(received=received, pauses=[Pause(p, q)], explain=False)
    assert (quiet.due, quiet.paused_days) == (paused.due, paused.paused_days)
    if p <= plain.due:
        assert paused.paused_days == working_days_between(p, q)
        assert paused.due == add_working_days(plain.due, paused.paused_days)
    else:
        assert paused.paused_days == 0
        assert paused.due == plain.due


@run
@given(a=st.dates(min_value=FIRST, max_value=date(2026, 9, 30)), b=st.integers(0, 60))
def test_it_never_moves_a_deadline_earlier_for_a_later_receipt(a, b):
    later = a + timedelta(days=b)
    assert (
        reply_deadline(received=later, rules="2019").due
        >= reply_deadline(received=a, rules="2019").due
    )
