"""Due dates (条例第四十九条) and the reminders to the disclosure office."""

from datetime import date

from django.core import mail
from django.core.management import call_command

from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create
from gongkai.reports.models import AnnualReport, ReportReminder
from gongkai.reports.selectors import report_due_date
from gongkai.reports.services import reminders_send


def test_it_computes_the_due_dates_by_kind(town, settings):
    department = organisation_create(
        name="某县财政局", code="caizheng", kind=Organisation.Kind.DEPARTMENT
    )
    county = organisation_create(
        name="某县人民政府", code="county", kind=Organisation.Kind.GOVERNMENT
    )
    assert report_due_date(organisation=department, year=2025) == date(2026, 1, 31)
    assert report_due_date(organisation=county, year=2025) == date(2026, 3, 31)
    assert report_due_date(organisation=town, year=2025) == date(2026, 3, 31)
    settings.GONGKAI_TOWN_REPORT_DUE = "02-20"
    assert report_due_date(organisation=town, year=2025) == date(2026, 2, 20)
    assert report_due_date(organisation=county, year=2025) == date(2026, 3, 31)
    settings.GONGKAI_REPORT_DUE_OVERRIDES = {"county": "02-28"}
    assert report_due_date(organisation=county, year=2025) == date(2026, 2, 28)


def test_it_names_a_bad_setting(town, settings):
    settings.GONGKAI_TOWN_REPORT_DUE = "31/03"
    try:
        report_due_date(organisation=town, year=2025)
    except Exception as exc:
        assert "GONGKAI_TOWN_REPORT_DUE" in str(exc)
    else:
        raise AssertionError("a bad setting must be refused")


def test_it_reminds_the_disclosure_office_once_per_milestone(
    town, alice, bob, django_capture_on_commit_callbacks
):
    alice.email = "alice@liaobu.example.gov.cn"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(today=date(2026, 1, 2))
    assert [(r.user, r.milestone, r.due_on) for r in sent] == [
        (alice, ReportReminder.Milestone.START, date(2026, 3, 31))
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@liaobu.example.gov.cn"]
    assert "2025年政府信息公开工作年度报告" in mail.outbox[0].subject
    assert "2026年03月31日" in mail.outbox[0].body
    # Idempotent: running again the same day, or later in the same milestone, sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=date(2026, 1, 2)) == []
        assert reminders_send(today=date(2026, 2, 1)) == []
        week = reminders_send(today=date(2026, 3, 25))
    assert [r.milestone for r in week] == [ReportReminder.Milestone.WEEK_BEFORE]
    assert len(mail.outbox) == 2


def test_it_stops_reminding_once_the_report_is_submitted(town, alice):
    alice.email = "alice@liaobu.example.gov.cn"
    alice.save()
    AnnualReport.objects.create(
        organisation=town,
        year=2025,
        format="2021",
        title="寮步镇人民政府2025年政府信息公开工作年度报告",
        status=AnnualReport.Status.SUBMITTED,
    )
    assert reminders_send(today=date(2026, 3, 31)) == []


def test_the_command_reports_what_it_sent(town, alice, capsys):
    alice.email = "alice@liaobu.example.gov.cn"
    alice.save()
    call_command("send_report_reminders", today="2026-04-02")
    out = capsys.readouterr().out
    assert "已提醒 alice@liaobu.example.gov.cn" in out and "已逾期" in out
    call_command("send_report_reminders", today="2026-04-02")
    assert "共发送 0 条提醒。" in capsys.readouterr().out
