from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from gongkai.workdays.calendar import ScheduleMissing, is_working_day
from gongkai.workdays.models import WorkdayCalendarYear
from gongkai.workdays.selectors import library_years

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_workdays_workdaycalendaryear:list"
ADD = "wagtailsnippets_workdays_workdaycalendaryear:add"
EDIT = "wagtailsnippets_workdays_workdaycalendaryear:edit"
DELETE = "wagtailsnippets_workdays_workdaycalendaryear:delete"


def form(days, *, year="2027", status="active", initial=0, **extra):
    return nested_form_data(
        {
            "year": year,
            "status": status,
            "notice_number": extra.get("notice_number", "国办发明电〔2026〕9号"),
            "notice_title": "",
            "published_on": "",
            "notes": "",
            "special_days": inline_formset(days, initial=initial),
        }
    )


DAYS_2027 = [
    {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
    {"date": "2027-01-02", "kind": "holiday", "name": "元旦"},
    {"date": "2027-01-03", "kind": "holiday", "name": "元旦"},
    {"date": "2027-02-06", "kind": "makeup_workday", "name": "春节"},
]


def test_it_lets_the_town_administrator_enter_next_year(client, alice):
    client.force_login(alice)
    with pytest.raises(ScheduleMissing):
        is_working_day(date(2027, 1, 4))
    response = client.get(reverse(ADD))
    assert response.status_code == 200
    response = client.post(reverse(ADD), form(DAYS_2027))
    assert response.status_code == 302, response.context["form"].errors
    record = WorkdayCalendarYear.objects.get(year=2027)
    assert (record.entered_by, record.updated_by, record.source) == (alice, alice, "admin")
    assert record.special_days.count() == 4
    assert Revision.objects.for_instance(record).count() == 1
    assert ModelLogEntry.objects.for_instance(record).get().action == "wagtail.create"
    # the calendar uses it at once
    assert is_working_day(date(2027, 2, 6))
    assert not is_working_day(date(2027, 1, 1))


def test_it_records_a_correction_as_an_edit_with_a_revision(client, alice, year_2027):
    client.force_login(alice)
    url = reverse(EDIT, args=[year_2027.pk])
    assert client.get(url).status_code == 200
    existing = [
        {"id": str(d.pk), "date": f"{d.date:%Y-%m-%d}", "kind": d.kind, "name": d.name}
        for d in year_2027.special_days.all()
    ]
    # the make-up Saturday 2027-02-20 was a mistake: remove that row
    for row in existing:
        if row["date"] == "2027-02-20":
            row["DELETE"] = "1"
    response = client.post(url, form(existing, initial=len(existing), notice_number="测试用"))
    assert response.status_code == 302, response.context["form"].errors
    assert not is_working_day(date(2027, 2, 20))
    assert Revision.objects.for_instance(year_2027).count() == 2
    actions = ModelLogEntry.objects.for_instance(year_2027).values_list("action", flat=True)
    assert sorted(actions) == ["wagtail.create", "wagtail.edit"]


@pytest.mark.parametrize(
    "days, status, message",
    [
        (
            [{"date": "2027-01-04", "kind": "makeup_workday", "name": "元旦"}],
            "draft",
            "2027-01-04 是工作日（星期一至星期五），不需要录入为调休上班日",
        ),
        (
            [{"date": "2028-01-01", "kind": "holiday", "name": "元旦"}],
            "draft",
            "日期 2028-01-01 不在 2027 年内",
        ),
        (
            [{"date": "2027-02-06", "kind": "makeup_workday", "name": "春节"}],
            "active",
            "已生效的年度安排至少要有一个放假日期",
        ),
        (
            [
                {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
            ],
            "active",
            "同一日期只能录入一次，请删除重复的行",
        ),
    ],
    ids=["weekday-makeup", "other-year", "no-holiday", "duplicate"],
)
def test_it_shows_mistakes_in_the_form_and_saves_nothing(client, alice, days, status, message):
    client.force_login(alice)
    response = client.post(reverse(ADD), form(days, status=status))
    assert response.status_code == 200
    assert message in response.content.decode()
    # what was typed is still there
    assert days[0]["date"] in response.content.decode()
    assert WorkdayCalendarYear.objects.count() == 0


def test_it_refuses_a_second_record_for_the_same_year(client, alice, year_2027):
    client.force_login(alice)
    response = client.post(reverse(ADD), form(DAYS_2027))
    assert response.status_code == 200
    assert "该年份的节假日安排已经录入" in response.content.decode()


def test_it_shows_case_officers_the_calendar_but_not_the_add_button(client, erin, year_2027):
    client.force_login(erin)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [year_2027]
    assert reverse(ADD) not in response.content.decode()
    assert client.get(reverse(ADD)).status_code in (302, 403)
    assert client.post(reverse(ADD), form(DAYS_2027, year="2028")).status_code in (302, 403)
    assert not WorkdayCalendarYear.objects.filter(year=2028).exists()


def test_it_refuses_a_village_administrator(client, village_admin, year_2027):
    client.force_login(village_admin)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.get(reverse(ADD)).status_code in (302, 403)
    response = client.post(reverse(EDIT, args=[year_2027.pk]), form([], status="draft"))
    assert response.status_code in (302, 403)
    year_2027.refresh_from_db()
    assert year_2027.status == "active"


def test_it_keeps_charlie_out(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse(LIST)).status_code in (302, 403)


def test_it_deletes_nothing_not_even_for_a_superuser(client, superuser, year_2027):
    client.force_login(superuser)
    response = client.post(reverse(DELETE, args=[year_2027.pk]))
    assert response.status_code in (302, 403)
    assert WorkdayCalendarYear.objects.filter(pk=year_2027.pk).exists()
    assert year_2027.special_days.count() == 14


def test_it_lists_which_source_governs_each_year(client, alice):
    client.force_login(alice)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    page = response.content.decode()
    assert "各年度节假日安排的来源" in page
    assert "chinesecalendar 库" in page
    first, last = min(library_years()), max(library_years())
    assert f"{first}–{last}" in page
    assert "尚未录入" in page  # 2027, next year at the time of writing
    assert "load_workday_schedule" in page


def test_it_puts_the_calendar_in_the_admin_menu(client, alice):
    # ScheduleMissing tells the administrator to look for “工作日历” in the admin.
    client.force_login(alice)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "workdays", "label": "\\u5de5\\u4f5c\\u65e5\\u5386"' in page
