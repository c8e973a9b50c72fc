"""The clock: receipt dates (条例第三十一条) and due dates recomputed from events, across the
2026 中秋 and 国庆 holidays (Sep 25–27, Oct 1–7; make-up working days Sun Sep 20, Sat Oct 10)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import services
from gongkai.applications.deadlines import application_clock, receipt_date
from gongkai.applications.models import Channel, Status

from .factories import reload

SEP_18 = date(2026, 9, 18)  # a Friday, the day before the make-up Sunday


def test_it_dates_receipt_by_channel_as_article_31_says():
    day = date(2026, 3, 2)
    later = date(2026, 3, 4)
    assert receipt_date(channel=Channel.IN_PERSON, submitted_on=day) == day
    assert receipt_date(channel=Channel.POST_SIGNED, signed_for_on=later) == later
    assert receipt_date(channel=Channel.LETTER, confirmed_on=later) == later
    assert receipt_date(channel=Channel.FAX, confirmed_on=later) == later
    assert receipt_date(channel=Channel.ONLINE, confirmed_on=later) == later
    with pytest.raises(ValidationError) as exc:
        receipt_date(channel=Channel.POST_SIGNED, submitted_on=day)
    assert "签收日期" in exc.value.message_dict["signed_for_on"][0]
    with pytest.raises(ValidationError) as exc:
        receipt_date(channel=Channel.LETTER, submitted_on=day)
    assert "确认" in exc.value.message_dict["confirmed_on"][0]


def test_it_stores_the_receipt_date_of_a_signed_for_letter(desk, erin):
    from gongkai.applications.models import EnteredVia

    from .factories import natural_person

    application = services.application_receive(
        actor=erin,
        organisation=desk.organisation,
        entered_via=EnteredVia.STAFF,
        channel=Channel.POST_SIGNED,
        submitted_on=date(2026, 9, 14),  # posted; not what counts
        signed_for_on=SEP_18,
        **natural_person(),
    )
    assert application.received_on == SEP_18
    assert application.number == "LB-2026-00001"
    assert len(application.secret_code) == 8
    assert application.events.get().kind == "received"


def test_it_counts_twenty_working_days_across_the_holidays(receive):
    application = receive(SEP_18)
    # Day 1 is Sun Sep 20 (make-up); Sep 25 and Oct 1–7 are skipped; Sat Oct 10 counts.
    assert application.due_on == date(2026, 10, 22)
    clock = application_clock(application)
    assert clock.deadline.base_days == 20
    assert any("国庆" in step for step in clock.deadline.steps)


def test_it_restarts_the_clock_from_the_corrected_application(receive, erin):
    application = receive(SEP_18)
    services.application_request_correction(
        actor=erin, application=application, sent_on=date(2026, 9, 22), items="请写明路段名称"
    )
    application = reload(application)
    assert application.status == Status.AWAITING_CORRECTION
    assert application.due_on is None  # 答复期限自收到补正的申请之日起计算
    services.application_receive_correction(
        actor=erin, application=application, received_on=date(2026, 10, 9)
    )
    application = reload(application)
    assert application.status == Status.NEW
    assert application.due_on == date(2026, 11, 5)


def test_it_sends_the_correction_notice_only_once(receive, erin):
    application = receive(SEP_18)
    services.application_request_correction(
        actor=erin, application=application, sent_on=date(2026, 9, 22), items="路段"
    )
    services.application_receive_correction(
        actor=erin, application=application, received_on=date(2026, 9, 28)
    )
    with pytest.raises(ValidationError, match="一次性"):
        services.application_request_correction(
            actor=erin, application=application, sent_on=date(2026, 9, 29), items="再补"
        )


def test_it_marks_a_late_correction_notice(receive, erin):
    application = receive(SEP_18)
    event = services.application_request_correction(
        actor=erin, application=application, sent_on=date(2026, 9, 30), items="路段"
    )
    # 7 working days from Sep 18 end on Tue Sep 29.
    assert event.data == {"notice_by": "2026-09-29", "late": True}


def test_it_does_not_count_the_third_party_consultation(receive, erin):
    application = receive(SEP_18)
    letter = services.application_consult(
        actor=erin,
        application=application,
        party_kind="third_party",
        sent_on=date(2026, 10, 12),
        party="东莞市某某建设有限公司",
    )
    application = reload(application)
    assert application.due_on is None  # paused, the answer is awaited
    assert application_clock(application).open_pauses == ["书面征求第三方意见"]
    services.application_end_consultation(
        actor=erin,
        application=application,
        consultation=letter,
        ended_on=date(2026, 10, 16),
        replied=True,
        note="不同意公开报价部分",
    )
    # Oct 13–16 (4 working days) are not counted: Oct 22 → Oct 28.
    assert reload(application).due_on == date(2026, 10, 28)


def test_it_does_not_count_the_time_between_fee_notice_and_payment(receive, erin):
    application = receive(SEP_18)
    services.application_send_fee_notice(
        actor=erin,
        application=application,
        sent_on=date(2026, 10, 9),
        basis="page",
        pages=250,
        received_on=date(2026, 10, 12),
    )
    application = reload(application)
    assert application.status == Status.AWAITING_FEE
    assert application.due_on is None
    services.application_record_fee_paid(
        actor=erin, application=application, paid_on=date(2026, 10, 14)
    )
    application = reload(application)
    assert application.status == Status.NEW
    # Oct 13–14 are not counted: Oct 22 → Oct 26.
    assert application.due_on == date(2026, 10, 26)
    assert application.events.get(kind="fee_paid").amount == 4700


def test_it_extends_once_with_the_approving_leader(receive, carol, erin):
    application = receive(SEP_18)
    with pytest.raises(PermissionDenied):
        services.application_extend(
            actor=erin,
            application=application,
            approved_on=date(2026, 10, 20),
            notified_on=date(2026, 10, 20),
            reason="需要调取档案",
        )
    event = services.application_extend(
        actor=carol,
        application=application,
        approved_on=date(2026, 10, 20),
        notified_on=date(2026, 10, 21),
        reason="需要调取档案",
    )
    assert event.person == carol
    assert event.data["approved_on"] == "2026-10-20"
    assert event.data["extension_days"] == 20
    assert reload(application).due_on == date(2026, 11, 19)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.application_extend(
            actor=carol,
            application=application,
            approved_on=date(2026, 10, 21),
            notified_on=date(2026, 10, 21),
            reason="再延",
        )


def test_it_refuses_an_extension_after_the_time_ran_out(receive, carol):
    application = receive(SEP_18)
    with pytest.raises(ValidationError) as exc:
        services.application_extend(
            actor=carol,
            application=application,
            approved_on=date(2026, 10, 23),
            notified_on=date(2026, 10, 23),
            reason="晚了",
        )
    assert "已过" in exc.value.message_dict["approved_on"][0]


def test_it_reports_a_missing_holiday_schedule_in_chinese(receive, carol):
    application = receive(date(2026, 11, 20))
    # Twenty more working days run into 2027, whose schedule is not published yet.
    with pytest.raises(ValidationError, match="2027年的节假日安排尚未录入"):
        services.application_extend(
            actor=carol,
            application=application,
            approved_on=date(2026, 11, 24),
            notified_on=date(2026, 11, 24),
            reason="需要调取档案",
        )


def test_it_uses_the_2008_rules_for_a_case_received_before_2019_05_15(receive):
    application = receive(date(2012, 6, 11))
    clock = application_clock(application)
    assert clock.deadline.rules == "2008"
    assert clock.deadline.base_days == 15
    assert application.due_on == date(2012, 7, 3)
