"""The staff workbench in the Wagtail admin: who may see and do what, masked personal data,
actions as forms, the timeline, letters, and a missing holiday schedule shown as a message."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from gongkai.applications import services
from gongkai.applications.models import Application, Status
from gongkai.workdays.calendar import ScheduleMissing

from .factories import ID_NUMBER, reload


@pytest.fixture
def case(receive, erin):
    return receive(date(2026, 9, 18), actor=erin)


def case_url(application, name="case", **kwargs):
    return reverse(f"applications_admin:{name}", kwargs={"pk": application.pk, **kwargs})


def test_it_refuses_charlie_and_dave(client, case, charlie, dave):
    for person in (charlie, dave):
        client.force_login(person)
        assert client.get(reverse("applications_admin:workbench")).status_code in (302, 403)
        assert client.get(case_url(case)).status_code in (302, 403)


def test_it_keeps_a_village_officer_out_of_the_towns_cases(client, case, vera):
    client.force_login(vera)
    response = client.get(reverse("applications_admin:workbench"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    # Wagtail's admin answers PermissionDenied with a redirect home and a message.
    assert client.get(case_url(case)).status_code in (302, 403)
    response = client.post(case_url(case, "action", action="note"), {"note-note": "越权"})
    assert response.status_code in (302, 403)
    assert not case.events.filter(kind="note").exists()
    with pytest.raises(PermissionDenied) as exc:
        services.application_add_note(actor=vera, application=case, note="越权")
    assert "无权" in str(exc.value)


def test_it_masks_personal_data_in_lists(client, case, erin):
    client.force_login(erin)
    html = client.get(reverse("applications_admin:workbench")).content.decode()
    assert case.number in html
    assert ID_NUMBER not in html and "13800138000" not in html
    assert "441900********" in html and "138****8000" in html


def test_it_shows_personal_data_only_on_an_audited_request(client, case, erin, lily):
    client.force_login(erin)
    html = client.get(case_url(case)).content.decode()
    assert ID_NUMBER not in html
    response = client.post(case_url(case, "reveal"))
    assert ID_NUMBER in response.content.decode()
    entry = ModelLogEntry.objects.get(action="gongkai.applications.reveal")
    assert (entry.user, entry.object_id) == (erin, str(case.pk))

    client.force_login(lily)  # the leading group reads, but does not see ID numbers
    html = client.get(case_url(case)).content.decode()
    assert "显示完整个人信息" not in html
    assert client.post(case_url(case, "reveal")).status_code in (302, 403)
    assert ModelLogEntry.objects.filter(action="gongkai.applications.reveal").count() == 1


def test_it_offers_the_leading_group_no_actions(client, case, lily):
    client.force_login(lily)
    response = client.get(case_url(case))
    assert response.status_code == 200
    assert response.context["actions"] == []
    response = client.post(case_url(case, "action", action="note"), {"note-note": "x"})
    assert response.status_code in (302, 403)
    assert not case.events.filter(kind="note").exists()


def test_it_registers_a_posted_application_with_its_signed_for_date(client, desk, erin):
    client.force_login(erin)
    url = reverse("applications_admin:intake")
    data = {
        "organisation": desk.organisation.pk,
        "channel": "post_signed",
        "submitted_on": "",
        "signed_for_on": "",
        "confirmed_on": "",
        "applicant_type": "natural",
        "name": "王五",
        "id_document": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13900001111",
        "description": "寮步镇2026年财政预算",
        "info_form": "paper",
        "delivery": "post",
        "address": "寮步镇某路1号",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "邮寄提交的，请填写签收日期。" in html
    assert 'value="王五"' in html
    response = client.post(url, {**data, "signed_for_on": "2026-11-02"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.received_on == date(2026, 11, 2)
    assert application.created_by == erin
    receipt = client.get(case_url(application, "receipt")).content.decode()
    assert application.secret_code in receipt
    assert client.get(case_url(application, "receipt_pdf"))["Content-Type"] == "application/pdf"


def test_it_handles_a_case_through_action_forms(client, case, erin, carol):
    client.force_login(erin)
    response = client.post(case_url(case, "action", action="assign"), {"assign-officer": erin.pk})
    assert response.status_code == 302
    assert reload(case).assigned_to == erin

    # A reply without an outcome: the error is in Chinese, next to the field, in a 400.
    response = client.post(
        case_url(case, "action", action="reply"),
        {"reply-outcome": "", "reply-replied_on": "2026-10-15", "reply-reasons": "已提供"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "id_reply-outcome-error" in html
    assert "已提供" in html  # kept

    response = client.post(
        case_url(case, "action", action="reply"),
        {"reply-outcome": "other", "reply-replied_on": "2026-10-15", "reply-reasons": ""},
    )
    assert "选择“其他”时请写明理由。" in response.content.decode()

    response = client.post(
        case_url(case, "action", action="reply"),
        {"reply-outcome": "disclosed", "reply-replied_on": "2026-10-15", "reply-reasons": "见附件"},
    )
    assert response.status_code == 302
    case = reload(case)
    assert (case.status, case.outcome, case.closed_on) == (
        Status.CLOSED,
        "disclosed",
        date(2026, 10, 15),
    )
    html = client.get(case_url(case)).content.decode()
    assert "作出答复" in html and "erin" in html  # the timeline says who
    assert ModelLogEntry.objects.filter(action="gongkai.applications.reply", user=erin).exists()

    docx = client.get(case_url(case, "letter", key="disclosed", fmt="docx"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(case_url(case, "letter", key="disclosed", fmt="pdf"))
    assert pdf.content[:4] == b"%PDF"


def test_it_shows_a_missing_schedule_as_a_message(client, case, erin, monkeypatch):
    def missing(**kwargs):
        raise ScheduleMissing(2027)

    monkeypatch.setattr("gongkai.applications.deadlines.reply_deadline", missing)
    client.force_login(erin)
    response = client.get(case_url(case))
    assert response.status_code == 200
    assert "2027年的节假日安排尚未录入" in response.content.decode()


def test_it_answers_an_impossible_extension_with_a_message(client, receive, carol):
    case = receive(date(2026, 11, 20))
    client.force_login(carol)
    response = client.post(
        case_url(case, "action", action="extend"),
        {
            "extend-approved_on": "2026-11-24",
            "extend-notified_on": "2026-11-24",
            "extend-reason": "需要调取档案",
        },
    )
    assert response.status_code == 400
    assert "2027年的节假日安排尚未录入" in response.content.decode()


def test_it_lists_queues_due_today_this_week_and_overdue(client, receive, erin):
    overdue = receive(date(2026, 10, 9))  # due 2026-11-05
    fresh = receive(date(2026, 11, 25))
    client.force_login(erin)
    response = client.get(reverse("applications_admin:workbench") + "?queue=overdue")
    numbers = [row["application"].number for row in response.context["rows"]]
    assert numbers == [overdue.number]
    counts = dict((k, n) for k, _l, n in response.context["queues"])
    assert counts["open"] == 2 and counts["overdue"] == 1 and counts["new"] == 2
    assert fresh.number not in numbers


def test_it_shows_other_applications_of_the_same_applicant_and_similar_ones(client, receive, erin):
    first = receive(date(2026, 9, 18))
    receive(date(2026, 10, 9), description="寮步镇道路改造工程招标文件和中标通知书")
    receive(
        date(2026, 10, 12),
        phone="13911112222",
        id_document="other",
        id_number="H12345678",
        description="完全无关的财政决算",
    )
    client.force_login(erin)
    response = client.get(case_url(first))
    same = response.context["same_applicant"]
    assert len(same) == 1
    similar = [a.description for a, _score in response.context["similar"]]
    assert similar == ["寮步镇道路改造工程招标文件和中标通知书"]


def test_it_lets_the_administrator_edit_a_letter_template(client, alice, erin):
    from gongkai.applications.models import LetterTemplate

    services.load_default_letter_templates()
    template = LetterTemplate.objects.get(key="disclosed")
    url = reverse("wagtailsnippets_applications_lettertemplate:edit", args=[template.pk])
    client.force_login(erin)  # case officers use the letters but do not edit them
    assert client.get(url).status_code in (302, 403)
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert "{负责机关说明}" in response.content.decode()  # the placeholders are explained
    data = {"key": "disclosed", "title": "答复书", "body": "{申请人}：{写错了}"}
    response = client.post(url, data)
    assert "无法识别的占位符：写错了" in response.content.decode()
    response = client.post(url, {**data, "body": "{申请人}：\n\n同意公开。"})
    assert response.status_code == 302
    assert LetterTemplate.objects.get(pk=template.pk).body == "{申请人}：\n\n同意公开。"


def test_it_scopes_application_desks_to_the_subtree(client, desk, alice, make_user, village):
    from gongkai.orgs.models import Role

    url = reverse("wagtailsnippets_applications_applicationdesk:list")
    client.force_login(alice)
    assert list(client.get(url).context["object_list"]) == [desk]
    village_admin = make_user("victor", roles=[(Role.ADMIN, village)])
    client.force_login(village_admin)
    assert list(client.get(url).context["object_list"]) == []
