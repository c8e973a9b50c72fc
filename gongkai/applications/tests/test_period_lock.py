"""A locked report period (issue #8): case facts dated in it are refused on every path —
services, the workbench, the ledger import — until a recorded unlock; later facts are not."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from gongkai.applications import services
from gongkai.applications.importer import LedgerError, LedgerRow
from gongkai.applications.models import (
    Application,
    ApplicationDesk,
    CaseEvent,
    Channel,
    Delivery,
    EnteredVia,
    Status,
)
from gongkai.reports.locks import PeriodLocked
from gongkai.reports.services import period_lock, period_unlock

from .factories import ID_NUMBER, reload

Kind = CaseEvent.Kind
LOCKED = "属于已锁定的2025年度报告期（寮步镇人民政府锁定）"


@pytest.fixture
def locked_2025(town, alice):
    return period_lock(actor=alice, organisation=town, year=2025, reason="2025年报已定稿")


@pytest.fixture
def open_case(receive):
    """Received on 22 December 2025 and still open at the year's end (结转下年度)."""
    return receive(date(2025, 12, 22))


def test_it_refuses_to_register_a_case_received_in_a_locked_year(town, desk, locked_2025):
    with pytest.raises(PeriodLocked) as caught:
        services.application_receive(
            organisation=town,
            entered_via=EnteredVia.STAFF,
            channel=Channel.IN_PERSON,
            submitted_on=date(2025, 6, 1),
            **_person(),
        )
    message = caught.value.message_dict["submitted_on"][0]
    assert message.startswith("收到申请日期为2025-06-01，" + LOCKED + "，不能补录。")
    assert "解锁" in message
    assert Application.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_town_lock_covers_its_villages_cases(village, locked_2025):
    ApplicationDesk.objects.create(organisation=village, prefix="HK")
    with pytest.raises(PeriodLocked, match=LOCKED):
        services.application_receive(
            organisation=village,
            entered_via=EnteredVia.STAFF,
            channel=Channel.POST_SIGNED,
            signed_for_on=date(2025, 3, 3),
            **_person(),
        )
    assert not Application.objects.exists()


def test_it_refuses_every_event_dated_in_a_locked_year(open_case, locked_2025):
    day = date(2025, 12, 30)
    attempts = [
        lambda: services.application_request_correction(
            actor=None, application=open_case, sent_on=day, items="请补充身份证明"
        ),
        lambda: services.application_consult(
            actor=None, application=open_case, party_kind="third_party", sent_on=day, party="某公司"
        ),
        lambda: services.application_send_fee_notice(
            actor=None, application=open_case, sent_on=day, basis="piece", pieces=30
        ),
        lambda: services.application_extend(
            actor=None, application=open_case, approved_on=day, notified_on=day, reason="需要调档"
        ),
        lambda: services.application_reply(
            actor=None, application=open_case, outcome="disclosed", replied_on=day
        ),
    ]
    events = CaseEvent.objects.count()
    for attempt in attempts:
        with pytest.raises(PeriodLocked) as caught:
            attempt()
        assert "该案件日期为2025-12-30，" + LOCKED + "，不能修改。" in caught.value.messages[0]
    assert CaseEvent.objects.count() == events
    case = reload(open_case)
    assert (case.status, case.outcome, case.closed_on) == (Status.NEW, "", None)


def test_a_case_carried_into_the_next_year_stays_workable(open_case, town, alice):
    services.application_request_correction(
        actor=None, application=open_case, sent_on=date(2025, 12, 23), items="请补充身份证明"
    )
    period_lock(actor=alice, organisation=town, year=2025)
    with pytest.raises(PeriodLocked):
        services.application_receive_correction(
            actor=None, application=open_case, received_on=date(2025, 12, 31)
        )
    services.application_receive_correction(
        actor=None, application=open_case, received_on=date(2026, 1, 9)
    )
    services.application_reply(
        actor=None, application=open_case, outcome="disclosed", replied_on=date(2026, 1, 20)
    )
    services.application_deliver(
        actor=None, application=open_case, delivered_on=date(2026, 1, 21), method=Delivery.EMAIL
    )
    case = reload(open_case)
    assert (case.status, case.closed_on) == (Status.CLOSED, date(2026, 1, 20))


def test_a_delivery_dated_in_a_locked_year_is_refused(receive, town, alice):
    case = receive(date(2025, 11, 3))
    services.application_reply(
        actor=None, application=case, outcome="disclosed", replied_on=date(2025, 11, 20)
    )
    period_lock(actor=alice, organisation=town, year=2025)
    with pytest.raises(PeriodLocked) as caught:
        services.application_deliver(
            actor=None, application=case, delivered_on=date(2025, 11, 21), method=Delivery.EMAIL
        )
    assert "delivered_on" in caught.value.message_dict
    assert not case.events.filter(kind=Kind.DELIVERED).exists()


def test_an_internal_note_is_allowed_but_other_events_of_a_locked_today_are_not(
    receive, town, alice, erin
):
    case = receive(date(2026, 3, 2))
    today = timezone.localdate()
    period_lock(actor=alice, organisation=town, year=today.year)
    # A note changes no figure of any report.
    services.application_add_note(actor=erin, application=case, note="申请人来电询问进度")
    assert case.events.filter(kind=Kind.NOTE).count() == 1
    # Assigning is a case fact of today, in the locked year.
    with pytest.raises(PeriodLocked):
        services.application_assign(actor=erin, application=case, officer=erin)
    assert reload(case).assigned_to is None


def test_it_allows_the_change_after_a_recorded_unlock(town, desk, alice, locked_2025):
    period_unlock(actor=alice, organisation=town, year=2025, reason="补录一宗漏登记的申请")
    application = services.application_receive(
        organisation=town,
        entered_via=EnteredVia.STAFF,
        channel=Channel.IN_PERSON,
        submitted_on=date(2025, 6, 1),
        **_person(),
    )
    assert application.received_on == date(2025, 6, 1)
    unlock = ModelLogEntry.objects.get(action="gongkai.report.unlock")
    assert unlock.user == alice and unlock.data["reason"] == "补录一宗漏登记的申请"


def test_the_workbench_shows_the_lock_next_to_the_date_and_keeps_the_input(
    client, desk, erin, locked_2025
):
    client.force_login(erin)
    data = {
        "organisation": desk.organisation.pk,
        "channel": "in_person",
        "submitted_on": "2025-06-01",
        "signed_for_on": "",
        "confirmed_on": "",
        "applicant_type": "natural",
        "name": "王五",
        "id_document": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13900001111",
        "description": "寮步镇2025年财政预算",
        "info_form": "paper",
        "delivery": "post",
        "address": "寮步镇某路1号",
    }
    response = client.post(reverse("applications_admin:intake"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "收到申请日期为2025-06-01，" + LOCKED in html
    assert 'value="王五"' in html and 'value="2025-06-01"' in html
    assert not Application.objects.exists()


def test_a_case_action_shows_the_lock_as_a_form_error(client, open_case, erin, locked_2025):
    client.force_login(erin)
    url = reverse("applications_admin:action", kwargs={"pk": open_case.pk, "action": "reply"})
    response = client.post(
        url,
        {"reply-outcome": "disclosed", "reply-replied_on": "2025-12-30", "reply-reasons": "见附件"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "该案件日期为2025-12-30，" + LOCKED in html
    assert "id_reply-replied_on-error" in html and "见附件" in html
    assert reload(open_case).status == Status.NEW

    response = client.post(
        url,
        {"reply-outcome": "disclosed", "reply-replied_on": "2026-01-06", "reply-reasons": "见附件"},
    )
    assert response.status_code == 302
    assert reload(open_case).closed_on == date(2026, 1, 6)


def _write_ledger(path, *lines):
    header = "编号,收到日期,收到方式,申请人类型,申请人,申请内容,办理结果,答复日期"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8-sig")
    return str(path)


def test_the_ledger_import_names_the_rows_in_a_locked_year_and_imports_nothing(
    tmp_path, town, locked_2025
):
    ledger = _write_ledger(
        tmp_path / "ledger.csv",
        "寮依2026-1,2026-02-03,当面,自然人,张三,镇区道路规划,予以公开,2026-02-10",
        "寮依2025-9,2025-03-05,当面,自然人,李四,会议纪要,,",
        "寮依2024-7,2024-12-20,网络,商业企业,某公司,招标文件,予以公开,2025-01-06",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="发现 2 处错误，未导入任何数据"):
        call_command("import_applications", ledger, org="liaobu", stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("第3行：收到日期为2025-03-05，" + LOCKED + "，不能补录。")
    assert lines[1].startswith("第4行：答复日期为2025-01-06，" + LOCKED)
    assert Application.objects.count() == 0


def test_the_import_service_refuses_locked_rows_itself(town, locked_2025):
    rows = [
        LedgerRow(
            2, "寮依2026-1", date(2026, 2, 3), "in_person", "natural", "张三", "规划", "", None
        ),
        LedgerRow(
            3, "寮依2025-9", date(2025, 3, 5), "in_person", "natural", "李四", "纪要", "", None
        ),
    ]
    with pytest.raises(LedgerError) as caught:
        services.applications_import(organisation=town, rows=rows)
    assert caught.value.errors == [
        "第3行：收到日期为2025-03-05，" + LOCKED + "，不能补录。"
        "如确需补录，请公开办管理员先在“年度报告”中解锁该报告期（解锁将被记录）。"
    ]
    assert Application.objects.count() == 0
    # An unlocked year imports as before.
    assert len(services.applications_import(organisation=town, rows=rows[:1])) == 1


def _person():
    from .factories import natural_person

    return natural_person()
