"""Before submitting, the applicant sees already-published items that match the request."""

import re
from datetime import date

from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.catalogue.models import Category
from gongkai.catalogue.services import item_create
from gongkai.review.testing import publish_through_review

from .test_intake import valid_data


def test_it_shows_published_items_matching_the_request_without_saving(
    client, desk, town, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = item_create(
            organisation=town,
            title="寮步镇道路改造工程招标公告",
            summary="道路改造工程的招标文件。",
            created_date=date(2026, 3, 2),
            category=Category.objects.get(scheme="info", name="其他"),
        )
        publish_through_review(item)
    url = reverse("applications:apply", kwargs={"code": desk.organisation.code})
    data = valid_data(check_published="1", description="道路改造工程的招标文件")
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    text = re.sub(r"<[^>]+>", "", body)  # matches are highlighted with <mark>
    assert "已公开的相关信息" in text
    assert "寮步镇道路改造工程招标公告" in text
    assert "<mark>" in body
    # what was typed is shown again, and nothing was saved
    assert "道路改造工程的招标文件" in body
    assert "张三" in body
    assert Application.objects.count() == 0


def test_it_says_so_when_nothing_published_matches(client, desk):
    url = reverse("applications:apply", kwargs={"code": desk.organisation.code})
    response = client.post(url, valid_data(check_published="1", description="不存在的信息"))
    assert response.status_code == 200
    assert "没有找到与您描述相符的已公开信息" in response.content.decode()
    assert Application.objects.count() == 0
