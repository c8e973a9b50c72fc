"""Following a case at /apply/track/ with its number and secret code; no account."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.selectors import application_for_tracking

from .factories import PDF


@pytest.fixture
def case(receive, erin):
    application = receive(date(2026, 9, 18))
    services.application_assign(actor=erin, application=application, officer=erin)
    services.application_add_note(actor=erin, application=application, note="内部：找档案室老李")
    return application


def track(client, number, code, **extra):
    return client.post(reverse("applications:track"), {"number": number, "code": code}, **extra)


def test_it_shows_status_due_date_and_public_events(client, case):
    response = track(client, case.number, case.secret_code.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert "正在办理" in html
    assert "2026-10-22" in html  # the due date
    assert "收到申请" in html
    # Internal matters stay internal.
    assert "找档案室老李" not in html
    assert "指定经办人" not in html
    assert "13800138000" not in html and "4419001980" not in html


def test_it_refuses_a_wrong_code_without_saying_which_part_was_wrong(client, case):
    response = track(client, case.number, "AAAAAAAA")
    html = response.content.decode()
    assert response.status_code == 404
    assert "申请编号或查询码不正确" in html
    assert case.name not in html
    response = track(client, "LB-2026-99999", case.secret_code)
    assert response.status_code == 404


def test_it_compares_the_code_in_constant_time(case, monkeypatch):
    calls = []
    import gongkai.applications.selectors as selectors

    real = selectors.constant_time_compare
    monkeypatch.setattr(
        selectors, "constant_time_compare", lambda a, b: calls.append((a, b)) or real(a, b)
    )
    assert application_for_tracking(number=case.number, code=case.secret_code) == case
    assert application_for_tracking(number="LB-0000-00000", code="X") is None
    assert len(calls) == 2  # compared even when the number does not exist


def test_it_limits_lookups_per_address(client, case, settings):
    settings.GONGKAI_TRACK_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert track(client, case.number, "WRONG123").status_code == 404
    response = track(client, case.number, case.secret_code)
    assert response.status_code == 429
    assert "查询次数过多" in response.content.decode()


def test_it_lets_the_applicant_download_what_was_given_after_tracking(
    client, case, erin, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("招标文件.pdf", PDF)
    document = services.application_attach_information(actor=erin, application=case, upload=upload)
    url = reverse("applications:track_document", args=[document.pk])
    assert client.get(url).status_code == 404  # not yet tracked in this session
    track(client, case.number, case.secret_code)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
