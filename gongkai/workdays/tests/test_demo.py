from io import StringIO

import pytest
from django.utils import timezone

from gongkai.workdays import demo, selectors
from gongkai.workdays.calendar import ScheduleMissing

pytestmark = pytest.mark.django_db


def test_it_confirms_the_demo_years_are_covered():
    out = StringIO()
    demo.load_demo(orgs=None, users=None, stdout=out)
    text = out.getvalue()
    assert "2012年节假日安排：chinesecalendar 库" in text
    assert f"{timezone.localdate().year}年节假日安排：" in text


def test_it_stops_the_demo_when_a_year_has_no_schedule(monkeypatch):
    monkeypatch.setattr(selectors, "library_years", lambda: frozenset())
    with pytest.raises(ScheduleMissing) as exc:
        demo.load_demo(orgs=None, users=None, stdout=StringIO())
    assert exc.value.year == 2012
