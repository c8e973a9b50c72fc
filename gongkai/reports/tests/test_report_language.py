"""The annual report is a Chinese statutory document, whatever language the staff member uses."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from gongkai.reports.models import AnnualReport
from gongkai.reports.services import report_compose

from .conftest import YEAR


@pytest.fixture
def alice_in_english(alice):
    profile = UserProfile.get_for_user(alice)
    profile.preferred_language = "en"
    profile.save()
    return alice


def test_an_english_speaking_officer_still_previews_and_exports_the_report_in_chinese(
    client, alice_in_english, year_of_records
):
    client.force_login(alice_in_english)
    assert '<html lang="en"' in client.get(reverse("reports_index")).content.decode()

    preview = client.get(reverse("reports_preview", args=["liaobu", YEAR, "2021"]) + "?subtree=1")
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "寮步镇人民政府2025年政府信息公开工作年度报告" in body
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in body
    assert "Annual Report on Government Information Disclosure" not in body

    exported = client.get(reverse("reports_export", args=["liaobu", YEAR, "2021", "json"]))
    data = json.loads(exported.content)
    assert data["title"] == "寮步镇人民政府2025年政府信息公开工作年度报告"


def test_a_report_composed_under_english_is_stored_in_chinese(alice, town, year_of_records):
    with translation.override("en"):
        report = report_compose(
            actor=alice, organisation=town, year=YEAR, fmt="2021", include_subtree=True
        )
    report = AnnualReport.objects.get(pk=report.pk)
    assert report.title == "寮步镇人民政府2025年政府信息公开工作年度报告"
