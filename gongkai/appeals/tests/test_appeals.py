from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.appeals.models import Appeal
from gongkai.appeals.selectors import appeal_report_numbers
from gongkai.appeals.services import appeal_decide, appeal_record

K = Appeal.Kind
R = Appeal.Result


def test_it_counts_the_fifteen_numbers_of_section_four(town, village, replied_case, erin):
    case = replied_case()
    village_case = replied_case(organisation=village)
    old = replied_case(received=date(2025, 3, 3))

    def record(kind, filed, result=None, decided=None, application=case, follows=None):
        appeal = appeal_record(
            actor=erin,
            application=application,
            kind=kind,
            filed_on=filed,
            authority="东莞市人民政府",
            follows=follows,
        )
        if result:
            appeal = appeal_decide(actor=erin, appeal=appeal, result=result, decided_on=decided)
        return appeal

    first = record(K.RECONSIDERATION, date(2026, 4, 1), R.UPHELD, date(2026, 5, 20))
    record(K.RECONSIDERATION, date(2026, 4, 2), R.CORRECTED, date(2026, 5, 21))
    record(K.RECONSIDERATION, date(2026, 11, 2))  # pending
    # Decided after the year: still 尚未审结 in 2026's report.
    record(K.RECONSIDERATION, date(2026, 10, 2), R.OTHER, date(2027, 1, 10), village_case)
    record(K.SUIT_DIRECT, date(2026, 6, 1), R.OTHER, date(2026, 9, 1))
    record(
        K.SUIT_AFTER_RECONSIDERATION, date(2026, 6, 5), R.UPHELD, date(2026, 10, 9), follows=first
    )
    record(K.SUIT_AFTER_RECONSIDERATION, date(2026, 7, 5))
    record(K.RECONSIDERATION, date(2025, 6, 1), R.UPHELD, date(2025, 8, 1), old)  # another year

    numbers = appeal_report_numbers(organisation=town, year=2026)
    assert numbers.flat == [1, 1, 0, 2, 4, 0, 0, 1, 0, 1, 1, 0, 0, 1, 2]
    only_town = appeal_report_numbers(organisation=town, year=2026, include_subtree=False)
    assert only_town.groups[K.RECONSIDERATION] == {
        "upheld": 1,
        "corrected": 1,
        "other": 0,
        "pending": 1,
        "total": 3,
    }
    assert appeal_report_numbers(organisation=town, year=2025).flat[:5] == [1, 0, 0, 0, 1]
    assert appeal_report_numbers(organisation=town, year=2012).flat == [0] * 15


def test_it_refuses_a_result_without_a_decision_date(replied_case, erin):
    appeal = appeal_record(
        actor=erin,
        application=replied_case(),
        kind=K.SUIT_DIRECT,
        filed_on=date(2026, 4, 1),
        authority="东莞市第一人民法院",
    )
    with pytest.raises(ValidationError) as exc:
        appeal_decide(actor=erin, appeal=appeal, result=R.UPHELD, decided_on=None)
    assert "审结日期" in str(exc.value)


def test_it_refuses_charlie_and_dave(replied_case, charlie, dave):
    case = replied_case()
    for person in (charlie, dave):
        with pytest.raises(PermissionDenied):
            appeal_record(
                actor=person,
                application=case,
                kind=K.RECONSIDERATION,
                filed_on=date(2026, 4, 1),
                authority="东莞市人民政府",
            )


def test_it_lists_appeals_in_the_admin_only_within_the_subtree(
    client, replied_case, erin, dave, village, make_user
):
    from gongkai.orgs.models import Role

    appeal_record(
        application=replied_case(),
        kind=K.RECONSIDERATION,
        filed_on=date(2026, 4, 1),
        authority="东莞市人民政府",
    )
    url = reverse("wagtailsnippets_appeals_appeal:list")
    client.force_login(erin)
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 1
    vera = make_user("vera", roles=[(Role.CASE_OFFICER, village)])
    client.force_login(vera)
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 0
    client.force_login(dave)
    assert client.get(url).status_code in (302, 403)


def test_it_creates_an_appeal_through_the_admin_form(client, replied_case, erin):
    case = replied_case()
    client.force_login(erin)
    url = reverse("wagtailsnippets_appeals_appeal:add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "application": case.pk,
            "kind": K.RECONSIDERATION,
            "filed_on": "2026-04-01",
            "authority": "东莞市人民政府",
            "reference": "东府复〔2026〕1号",
            "follows": "",
            "result": R.PENDING,
            "decided_on": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.organisation_id == case.organisation_id
