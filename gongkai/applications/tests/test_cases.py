"""Services: permission and state checks, the append-only event list."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import services
from gongkai.applications.models import CaseEvent, Status

from .factories import reload


def test_it_refuses_charlie_dave_and_officers_outside_the_subtree(receive, charlie, dave, vera):
    case = receive(date(2026, 9, 18))
    for person in (charlie, dave, vera):
        with pytest.raises(PermissionDenied):
            services.application_reply(
                actor=person, application=case, outcome="disclosed", replied_on=date(2026, 10, 9)
            )
    assert reload(case).status == Status.NEW


def test_it_lets_a_village_officer_handle_the_villages_cases(receive, village, vera):
    from gongkai.applications.models import ApplicationDesk

    ApplicationDesk.objects.create(organisation=village, prefix="HK")
    case = receive(date(2026, 9, 18), organisation=village, actor=vera)
    assert case.number == "HK-2026-00001"
    services.application_assign(actor=vera, application=case, officer=vera)
    assert reload(case).assigned_to == vera


def test_it_assigns_only_a_case_officer_of_the_agency(receive, erin, carol, vera):
    case = receive(date(2026, 9, 18))
    for person in (carol, vera):
        with pytest.raises(ValidationError) as exc:
            services.application_assign(actor=erin, application=case, officer=person)
        assert "不是该机关的依申请经办人" in exc.value.message_dict["officer"][0]


def test_it_numbers_cases_per_agency_and_year(receive):
    first = receive(date(2025, 12, 30))
    second = receive(date(2026, 1, 5))
    third = receive(date(2026, 1, 6))
    assert [first.number, second.number, third.number] == [
        "LB-2025-00001",
        "LB-2026-00001",
        "LB-2026-00002",
    ]
    assert len({first.secret_code, second.secret_code, third.secret_code}) == 3


def test_it_never_changes_or_deletes_an_event(receive):
    case = receive(date(2026, 9, 18))
    event = case.events.get()
    event.note = "改写历史"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_it_refuses_dates_in_the_future_or_before_receipt(receive, erin):
    case = receive(date(2026, 9, 18))
    with pytest.raises(ValidationError) as exc:
        services.application_reply(
            actor=erin, application=case, outcome="disclosed", replied_on=date(2026, 9, 1)
        )
    assert "不能早于2026-09-18" in exc.value.message_dict["replied_on"][0]
    with pytest.raises(ValidationError):
        services.application_reply(
            actor=erin, application=case, outcome="disclosed", replied_on=date(2030, 1, 1)
        )


def test_it_closes_a_case_once(receive, erin):
    case = receive(date(2026, 9, 18))
    services.application_reply(
        actor=erin, application=case, outcome="disclosed", replied_on=date(2026, 10, 9)
    )
    with pytest.raises(ValidationError, match="已办结"):
        services.application_reply(
            actor=erin, application=case, outcome="partial", replied_on=date(2026, 10, 10)
        )


def test_it_requires_a_correction_before_replying_that_it_is_still_unclear(receive, erin):
    case = receive(date(2026, 9, 18))
    with pytest.raises(ValidationError) as exc:
        services.application_reply(
            actor=erin,
            application=case,
            outcome="unavailable_unclear",
            replied_on=date(2026, 10, 9),
        )
    assert "补正" in exc.value.message_dict["outcome"][0]


def test_it_delivers_by_email_with_the_letter_and_the_information(
    receive, erin, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF

    case = receive(date(2026, 9, 18))
    services.application_attach_information(
        actor=erin, application=case, upload=SimpleUploadedFile("招标文件.pdf", PDF)
    )
    services.application_reply(
        actor=erin, application=case, outcome="disclosed", replied_on=date(2026, 10, 9)
    )
    with pytest.raises(ValidationError):
        services.application_deliver(
            actor=erin, application=case, delivered_on=date(2026, 10, 8), method="email"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(
            actor=erin, application=case, delivered_on=date(2026, 10, 9), method="email"
        )
    message = mailoutbox[-1]
    assert message.to == ["zhangsan@example.com"]
    names = sorted(name for name, _content, _mime in message.attachments)
    assert names == ["LB-2026-00001-disclosed.pdf", "招标文件.pdf"]
    assert case.events.filter(kind="delivered", data__method="email").exists()


def test_it_records_delivery_by_post(receive, erin, mailoutbox):
    case = receive(date(2026, 9, 18), delivery="post")
    services.application_reply(
        actor=erin, application=case, outcome="disclosed", replied_on=date(2026, 10, 9)
    )
    event = services.application_deliver(
        actor=erin,
        application=case,
        delivered_on=date(2026, 10, 10),
        method="post",
        note="EMS 1234567890",
    )
    assert (event.data, event.note) == ({"method": "post"}, "EMS 1234567890")
    assert mailoutbox == []
