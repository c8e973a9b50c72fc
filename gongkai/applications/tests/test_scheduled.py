"""The scheduled work: closing abandoned cases and deadline reminders, each idempotent."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from gongkai.applications import services
from gongkai.applications.models import ReminderSent, Status

from .factories import reload


def test_it_closes_cases_abandoned_for_want_of_correction_or_fee(
    receive, erin, mailoutbox, django_capture_on_commit_callbacks
):
    silent = receive(date(2026, 9, 18))
    services.application_request_correction(
        actor=erin,
        application=silent,
        sent_on=date(2026, 9, 22),
        items="请写明路段",
        correction_due_on=date(2026, 10, 20),
    )
    answered = receive(date(2026, 9, 18))
    services.application_request_correction(
        actor=erin,
        application=answered,
        sent_on=date(2026, 9, 22),
        items="请写明路段",
        correction_due_on=date(2026, 10, 20),
    )
    services.application_receive_correction(
        actor=erin, application=answered, received_on=date(2026, 10, 19)
    )
    unpaid = receive(date(2026, 9, 18))
    services.application_send_fee_notice(
        actor=erin,
        application=unpaid,
        sent_on=date(2026, 10, 9),
        basis="page",
        pages=50,
        received_on=date(2026, 10, 12),
    )  # 20 working days from Oct 12: pay by Nov 9
    waiting = receive(date(2026, 11, 2))
    services.application_send_fee_notice(
        actor=erin,
        application=waiting,
        sent_on=date(2026, 11, 20),
        basis="page",
        pages=50,
        received_on=date(2026, 11, 23),
    )

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_abandoned", stdout=out)
    text = out.getvalue()
    assert silent.number in text and unpaid.number in text
    assert "其他处理:申请人无正当理由逾期不补正" in text
    assert "本次办结 2 件" in text

    silent, unpaid = reload(silent), reload(unpaid)
    assert (silent.status, silent.outcome) == (Status.CLOSED, "other_no_correction")
    assert (unpaid.status, unpaid.outcome) == (Status.CLOSED, "other_fee_unpaid")
    assert silent.events.get(kind="abandoned").actor is None
    assert reload(answered).status == Status.NEW
    assert reload(waiting).status == Status.AWAITING_FEE
    # Its letter is on file for the applicant.
    assert silent.documents.filter(kind="letter").count() == 2

    out = StringIO()
    call_command("close_abandoned", stdout=out)
    assert "本次办结 0 件" in out.getvalue()


def test_it_reminds_three_working_days_before_and_on_the_day_once(
    receive, erin, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    erin.email = "erin@liaobu.example.gov.cn"
    erin.save()
    soon = receive(date(2026, 10, 28))  # due Wed 2026-11-25
    services.application_assign(actor=erin, application=soon, officer=erin)
    soon = reload(soon)
    today = date(2026, 11, 23)
    due = soon.due_on
    from gongkai.workdays.calendar import working_days_between

    assert 0 < working_days_between(today, due) <= 3

    with django_capture_on_commit_callbacks(execute=True):
        report = services.deadline_reminders_send(today=today)
    assert [r.kind for r in ReminderSent.objects.all()] == ["before"]
    assert len(report.done) == 1
    reminder = [m for m in mailoutbox if "即将到期" in m.subject]
    assert len(reminder) == 1 and reminder[0].to == ["erin@liaobu.example.gov.cn"]

    with django_capture_on_commit_callbacks(execute=True):
        again = services.deadline_reminders_send(today=today)
    assert again.done == []
    assert len([m for m in mailoutbox if "即将到期" in m.subject]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_reminders_send(today=due)
        services.deadline_reminders_send(today=due)
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == ["before", "due"]
    assert len([m for m in mailoutbox if "今日到期" in m.subject]) == 1


def test_it_runs_the_reminder_command(receive):
    receive(date(2026, 10, 9))  # overdue since 2026-11-05
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "本次发送提醒 1 条" in out.getvalue()
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "本次发送提醒 0 条" in out.getvalue()
